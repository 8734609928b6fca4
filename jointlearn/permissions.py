"""Who may do what in a project: the one place that decides, used by views, templates and sockets.

A non-member learns nothing about a project: every lookup for them ends in 404. A member
without the right for an action gets 403.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, Q
from django.http import Http404
from django.utils.translation import gettext as _

from .models import Guest, LiveActivity, Membership, Project, Role

GUEST_SESSION_KEY = "jointlearn_guests"


def get_membership(user, project):
    if not user.is_authenticated:
        return None
    return (
        Membership.objects.select_related("organisation", "user")
        .filter(user=user, project=project)
        .first()
    )


def membership_by_slug(user, project_slug):
    """The user's membership of the project with this address, with the project: the one
    query every project page starts with."""
    if not user.is_authenticated:
        return None
    try:
        # get(), not first(): one member per project, and no ORDER BY to compile (0.15 ms).
        return Membership.objects.select_related("project", "organisation", "user").get(
            user=user, project__slug=project_slug
        )
    except Membership.DoesNotExist:
        return None


def get_guest(session, project):
    """The guest this browser session joined the project as, if any."""
    guest_id = session.get(GUEST_SESSION_KEY, {}).get(str(project.pk))
    if guest_id is None:
        return None
    guest = Guest.objects.filter(pk=guest_id, project=project).first()
    if guest is not None:
        guest.seen()
    return guest


def remember_guest(session, guest):
    guests = dict(session.get(GUEST_SESSION_KEY, {}))
    guests[str(guest.project_id)] = guest.pk
    session[GUEST_SESSION_KEY] = guests


def forget_guest(session, guest):
    guests = dict(session.get(GUEST_SESSION_KEY, {}))
    guests.pop(str(guest.project_id), None)
    session[GUEST_SESSION_KEY] = guests


def is_coordinator(membership):
    return membership is not None and membership.role == Role.COORDINATOR


def can_view_project(membership):
    return membership is not None


def can_edit_project(membership):
    return is_coordinator(membership)


def can_manage_organisations(membership):
    return is_coordinator(membership)


def can_manage_members(membership):
    return is_coordinator(membership)


def can_manage_join_codes(membership):
    return membership is not None and membership.role in {Role.COORDINATOR, Role.FACILITATOR}


def can_run_live_activities(membership):
    """Open, moderate, lock, time and end live activities."""
    return membership is not None and membership.role in {Role.COORDINATOR, Role.FACILITATOR}


def activities_open_to_guest(guest, activities):
    """The live activities among `activities` a guest may use: those they entered the code
    of, or every one of the project when they came in with a project code (a code that
    belongs to no activity)."""
    codes = guest.admitted_with.all()
    activities = activities.filter(project_id=guest.project_id)
    return activities.filter(Q(join_code__in=codes) | Q(Exists(codes.filter(live_activity=None))))


def can_guest_use_activity(guest, activity):
    if guest is None:
        return False
    return activities_open_to_guest(guest, LiveActivity.objects.filter(pk=activity.pk)).exists()


def project_permissions(membership):
    """The flags templates use to show or hide actions."""
    return {
        "edit_project": can_edit_project(membership),
        "manage_organisations": can_manage_organisations(membership),
        "manage_members": can_manage_members(membership),
        "manage_join_codes": can_manage_join_codes(membership),
        "run_live_activities": can_run_live_activities(membership),
    }


def project_view(permission=can_view_project, *, allow_guests=False):
    """Resolve `project_slug` for a view: 404 for outsiders, 403 for members without the right.

    Signed-out visitors are sent to sign in (they may be members). With `allow_guests`, a
    guest who joined this project with a code is let in too. The view receives the project;
    `request.project`, `request.membership` and `request.guest` are set for templates.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, project_slug, *args, **kwargs):
            membership = membership_by_slug(request.user, project_slug)
            if membership is not None:
                project = membership.project
            else:
                project = Project.objects.filter(slug=project_slug).first()
            guest = None
            if project and allow_guests and membership is None:
                guest = get_guest(request.session, project)
            if membership is None and guest is None:
                if not request.user.is_authenticated:
                    return redirect_to_login(request.get_full_path())
                raise Http404(_("No such project, or you are not a member of it."))
            if membership is not None and not permission(membership):
                raise PermissionDenied(_("Your role in this project does not allow this."))
            request.project, request.membership, request.guest = project, membership, guest
            return view(request, project, *args, **kwargs)

        return wrapped

    return decorator


def can_share_outputs(membership):
    """Publish an activity's results or a meeting's pack to the participants, and revoke it."""
    return can_run_live_activities(membership)
