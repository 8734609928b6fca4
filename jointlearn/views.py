"""Views of the core: home, profile, projects, organisations, members, join codes, guests."""

import segno
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection, transaction
from django.db.models import Count, Prefetch, Q
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from . import consent, dashboard, erasure, guides, personal_data, services
from .forms import (
    AcceptInvitationForm,
    ConsentForm,
    ConsentTextForm,
    EnterCodeForm,
    ErasureForm,
    GuestNameForm,
    GuestRemovalForm,
    InviteForm,
    JoinCodeForm,
    MembershipForm,
    NewProjectForm,
    OrganisationForm,
    ProfileForm,
    ProjectForm,
)
from .models import (
    ConsentDecision,
    Guest,
    Invitation,
    JoinCode,
    LiveActivity,
    Membership,
    Organisation,
    Project,
    User,
)
from .modules import hooks
from .permissions import (
    activities_open_to_guest,
    can_edit_project,
    can_manage_join_codes,
    can_manage_members,
    can_manage_organisations,
    forget_guest,
    get_guest,
    get_membership,
    project_permissions,
    project_view,
    remember_guest,
)
from .ratelimit import record_failure, seconds_until_allowed
from .research import build_export

MEMBERS_PER_PAGE = 50


def home(request):
    if not request.user.is_authenticated:
        return render(request, "jointlearn/landing.html", {"form": EnterCodeForm()})
    memberships = (
        Membership.objects.filter(user=request.user)
        .select_related("project", "organisation")
        .annotate(member_count=Count("project__memberships"))
        .order_by("project__name")
    )
    return render(request, "jointlearn/my_projects.html", {"memberships": memberships})


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        translation.activate(user.preferred_language)
        messages.success(request, _("Your profile has been saved."))
        response = redirect("profile")
        response.set_cookie("django_language", user.preferred_language, samesite="Lax")
        return response
    memberships = list(
        Membership.objects.filter(user=request.user)
        .select_related("project")
        .order_by("project__name")
    )
    history = list(ConsentDecision.objects.filter(user=request.user).select_related("project")[:50])
    latest = {}
    for decision in reversed(history):
        latest[decision.project_id] = decision
    for membership in memberships:
        membership.consent = latest.get(membership.project_id)
    return render(
        request,
        "jointlearn/profile.html",
        {"form": form, "memberships": memberships, "consent_history": history},
    )


@login_required
def account_erase(request):
    """Erase one's own account, after a page that says what goes and what stays."""
    form = ErasureForm(request.POST if request.method == "POST" else None, user=request.user)
    blocking = erasure.sole_coordinator_of(request.user)
    if request.method == "POST" and form.is_valid():
        try:
            erasure.erase_account(
                user=request.user,
                remove_contributions=form.cleaned_data["remove_contributions"],
            )
        except erasure.ErasureRefused as error:
            form.add_error(None, error.message)
        else:
            logout(request)
            return redirect("account_erased")
    return render(request, "jointlearn/account_erase.html", {"form": form, "blocking": blocking})


def account_erased(request):
    return render(request, "jointlearn/account_erased.html")


@require_POST
@login_required
def consent_change(request, project_id):
    """Give or withdraw consent to research use, from the profile page, at any time."""
    project = get_object_or_404(Project, pk=project_id)
    if get_membership(request.user, project) is None:
        raise Http404(_("No such project, or you are not a member of it."))
    given = request.POST.get("given") == "yes"
    consent.record_decision(
        project=project,
        user=request.user,
        given=given,
        context=ConsentDecision.Context.PROFILE,
    )
    if given:
        messages.success(
            request,
            _("Thank you: your contributions to %(project)s may be used for research.")
            % {"project": project.name},
        )
    else:
        messages.success(
            request,
            _(
                "Your consent for %(project)s is withdrawn: your contributions are left out of "
                "every research export from now on."
            )
            % {"project": project.name},
        )
    return redirect(reverse("profile") + "#research")


@login_required
def my_data(request):
    """The signed-in person's personal data as one JSON file (jointlearn.personal_data)."""
    stamp = timezone.localdate().strftime("%Y%m%d")
    response = JsonResponse(
        personal_data.document(request.user),
        json_dumps_params={"ensure_ascii": False, "indent": 2},
    )
    response["Content-Disposition"] = f'attachment; filename="jointlearn-my-data-{stamp}.json"'
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def set_language(request):
    """Switch the interface language; a signed-in person keeps it as their preference."""
    response = django_set_language(request)
    language = request.POST.get("language")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        request.user.preferred_language = language
        request.user.save(update_fields=["preferred_language"])
    return response


# Projects


@login_required
def project_create(request):
    form = NewProjectForm(request.POST or None, initial={"time_zone": request.time_zone_name})
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in NewProjectForm.Meta.fields}
        try:
            project = services.create_project(
                creator=request.user, organisation=form.organisation(), **fields
            )
        except services.DomainError as error:
            form.add_error("slug", error.message)
        else:
            messages.success(
                request, _("The project %(name)s has been created.") % {"name": project.name}
            )
            return redirect(project)
    return render(request, "jointlearn/project_form.html", {"form": form, "creating": True})


@project_view()
def project_home(request, project):
    memberships = project.memberships.select_related("user", "organisation")
    organisations = project.organisations.prefetch_related(
        Prefetch("memberships", queryset=memberships.order_by("user__display_name"))
    ).order_by("country", "name")
    countries = {}
    for organisation in organisations:
        countries.setdefault(organisation.country, []).append(organisation)
    unaffiliated = [m for m in memberships.order_by("user__display_name") if not m.organisation_id]
    return render(
        request,
        "jointlearn/project_home.html",
        {
            "project": project,
            "countries": countries,
            "unaffiliated": unaffiliated,
            "member_count": memberships.count(),
            "coming_next": [
                item
                for home in hooks("home")
                for item in home.coming_next(project, request.membership)
            ],
            "can": project_permissions(request.membership),
        },
    )


@project_view(can_edit_project)
def project_edit(request, project):
    form = ProjectForm(request.POST or None, instance=project)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in ProjectForm.Meta.fields}
        try:
            project = services.update_project(project=project, **fields)
        except services.DomainError as error:
            form.add_error("slug", error.message)
        else:
            messages.success(request, _("The project has been saved."))
            return redirect(project)
    return render(request, "jointlearn/project_form.html", {"form": form, "project": project})


# Organisations


@project_view()
def organisation_list(request, project):
    organisations = project.organisations.annotate(member_count=Count("memberships"))
    form = None
    if can_manage_organisations(request.membership):
        form = OrganisationForm(request.POST or None, request.FILES or None, project=project)
        if request.method == "POST" and form.is_valid():
            organisation = services.save_organisation(project=project, **form.service_fields())
            messages.success(
                request,
                _("The organisation %(name)s has been added.") % {"name": organisation.name},
            )
            return redirect("organisation_list", project_slug=project.slug)
    elif request.method == "POST":
        raise Http404
    return render(
        request,
        "jointlearn/organisation_list.html",
        {
            "project": project,
            "organisations": organisations,
            "form": form,
            "can": project_permissions(request.membership),
        },
    )


@project_view(can_manage_organisations)
def organisation_edit(request, project, organisation_id):
    organisation = get_object_or_404(Organisation, pk=organisation_id, project=project)
    form = OrganisationForm(
        request.POST or None, request.FILES or None, instance=organisation, project=project
    )
    if request.method == "POST" and form.is_valid():
        services.save_organisation(
            project=project, organisation=organisation, **form.service_fields()
        )
        messages.success(
            request, _("The organisation %(name)s has been saved.") % {"name": organisation.name}
        )
        return redirect("organisation_list", project_slug=project.slug)
    return render(
        request,
        "jointlearn/organisation_form.html",
        {"project": project, "organisation": organisation, "form": form},
    )


@require_POST
@project_view(can_manage_organisations)
def organisation_delete(request, project, organisation_id):
    organisation = get_object_or_404(Organisation, pk=organisation_id, project=project)
    try:
        services.delete_organisation(organisation=organisation)
    except services.DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("The organisation %(name)s has been deleted.") % {"name": organisation.name}
        )
    return redirect("organisation_list", project_slug=project.slug)


# Members and invitations


def accept_url_builder(request):
    return lambda token: request.build_absolute_uri(
        reverse("invitation_accept", kwargs={"token": token})
    )


@project_view(can_manage_members)
def member_list(request, project):
    form = InviteForm(request.POST or None, project=project)
    if request.method == "POST" and form.is_valid():
        try:
            invitation, _token = services.invite_member(
                project=project,
                invited_by=request.user,
                build_accept_url=accept_url_builder(request),
                **form.cleaned_data,
            )
        except services.DomainError as error:
            form.add_error("email", error.message)
        else:
            messages.success(
                request,
                _("An invitation has been sent to %(email)s.") % {"email": invitation.email},
            )
            return redirect("member_list", project_slug=project.slug)
    query = request.GET.get("q", "").strip()
    memberships = project.memberships.select_related("user", "organisation").order_by(
        "organisation__country", "organisation__name", "user__display_name", "pk"
    )
    if query:
        memberships = memberships.filter(
            Q(user__display_name__icontains=query)
            | Q(user__email__icontains=query)
            | Q(organisation__name__icontains=query)
        )
    page = Paginator(memberships, MEMBERS_PER_PAGE).get_page(request.GET.get("page"))
    organisation_choices = [("", _("No organisation"))] + [
        (organisation.pk, str(organisation)) for organisation in project.organisations.all()
    ]
    rows = []
    for membership in page:
        row_form = MembershipForm(
            initial={"role": membership.role, "organisation": membership.organisation_id},
            project=project,
            prefix=f"m{membership.pk}",
        )
        row_form.fields["organisation"].choices = organisation_choices
        rows.append((membership, row_form))
    invitations = project.invitations.filter(
        accepted_at__isnull=True, revoked_at__isnull=True
    ).select_related("organisation", "invited_by")
    return render(
        request,
        "jointlearn/member_list.html",
        {
            "project": project,
            "rows": rows,
            "page": page,
            "query": query,
            "invitations": invitations,
            "form": form,
        },
    )


@require_POST
@project_view(can_manage_members)
def membership_change(request, project, membership_id):
    membership = get_object_or_404(Membership, pk=membership_id, project=project)
    form = MembershipForm(request.POST, project=project, prefix=f"m{membership.pk}")
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("member_list", project_slug=project.slug)
    try:
        services.change_membership(membership=membership, **form.cleaned_data)
    except services.DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("The role of %(name)s has been saved.") % {"name": membership.user}
        )
    return redirect("member_list", project_slug=project.slug)


@require_POST
@project_view(can_manage_members)
def membership_remove(request, project, membership_id):
    membership = get_object_or_404(Membership, pk=membership_id, project=project)
    try:
        services.remove_membership(membership=membership)
    except services.DomainError as error:
        messages.error(request, error.message)
        return redirect("member_list", project_slug=project.slug)
    messages.success(
        request, _("%(name)s has been removed from the project.") % {"name": membership.user}
    )
    if membership.user_id == request.user.pk:
        return redirect("home")
    return redirect("member_list", project_slug=project.slug)


@require_POST
@project_view(can_manage_members)
def invitation_resend(request, project, invitation_id):
    invitation = get_object_or_404(Invitation, pk=invitation_id, project=project)
    try:
        services.resend_invitation(
            invitation=invitation, build_accept_url=accept_url_builder(request)
        )
    except services.DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("The invitation has been sent again to %(email)s.") % {"email": invitation.email},
        )
    return redirect("member_list", project_slug=project.slug)


@require_POST
@project_view(can_manage_members)
def invitation_revoke(request, project, invitation_id):
    invitation = get_object_or_404(Invitation, pk=invitation_id, project=project)
    try:
        services.revoke_invitation(invitation=invitation)
    except services.DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("The invitation to %(email)s has been withdrawn.") % {"email": invitation.email},
        )
    return redirect("member_list", project_slug=project.slug)


def invitation_accept(request, token):
    try:
        invitation = services.find_invitation(token)
    except services.InvitationUnusable as error:
        status = 404 if error.state is None else 410
        return render(
            request,
            "jointlearn/invitation_unusable.html",
            {"message": error.message},
            status=status,
        )
    user = request.user if request.user.is_authenticated else None
    needs_account = user is None
    form = (
        AcceptInvitationForm(request.POST or None, email=invitation.email)
        if needs_account
        else None
    )
    existing_account = (
        needs_account and User.objects.filter(email__iexact=invitation.email).exists()
    )
    consent_form = ConsentForm(
        request.POST if request.method == "POST" else None,
        shown=consent.text_for(invitation.project),
    )
    if (
        request.method == "POST"
        and consent_form.is_valid()
        and (not needs_account or form.is_valid())
    ):
        try:
            with transaction.atomic():
                membership = services.accept_invitation(
                    token=token,
                    user=user,
                    display_name=form.cleaned_data["display_name"] if form else "",
                    password=form.cleaned_data["password1"] if form else None,
                )
                if consent_form.decision() is not None:
                    consent.record_decision(
                        project=membership.project,
                        user=membership.user,
                        given=consent_form.decision(),
                        context=ConsentDecision.Context.JOINING,
                    )
        except services.DomainError as error:
            messages.error(request, error.message)
        else:
            if needs_account:
                login(request, membership.user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request, _("Welcome to %(project)s.") % {"project": membership.project.name}
            )
            return redirect(membership.project)
    return render(
        request,
        "jointlearn/invitation_accept.html",
        {
            "invitation": invitation,
            "form": form,
            "consent_form": consent_form,
            "existing_account": existing_account,
        },
    )


# Join codes and guests


@project_view(can_manage_join_codes)
def join_code_list(request, project):
    form = JoinCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        join_code = services.create_join_code(
            project=project, created_by=request.user, **form.cleaned_data
        )
        messages.success(request, _("The code %(code)s is open.") % {"code": join_code.code})
        return redirect("join_code_list", project_slug=project.slug)
    join_codes = project.join_codes.annotate(guest_count=Count("guests"))
    return render(
        request,
        "jointlearn/join_code_list.html",
        {"project": project, "join_codes": join_codes, "form": form},
    )


GUESTS_PER_PAGE = 50


@project_view(can_manage_join_codes)
def guest_list(request, project):
    """The guests who joined with a code, newest first, with the codes they entered."""
    guests = project.guests.select_related("join_code").order_by("-created_at", "-pk")
    page = Paginator(guests, GUESTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "jointlearn/guest_list.html", {"project": project, "page": page})


@project_view(can_manage_join_codes)
def guest_remove(request, project, guest_id):
    """Remove a guest, after a page that says what goes and asks about what they posted."""
    guest = get_object_or_404(
        Guest.objects.select_related("join_code"), pk=guest_id, project=project
    )
    form = GuestRemovalForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        removed = form.cleaned_data["remove_contributions"]
        erasure.purge_guest(guest=guest, remove_contributions=removed)
        if removed:
            told = _(
                "%(name)s has been removed with what they posted: their open pages have closed."
            )
        else:
            told = _("%(name)s has been removed: their open pages have closed.")
        messages.success(request, told % {"name": guest.display_name})
        return redirect("guest_list", project_slug=project.slug)
    return render(
        request,
        "jointlearn/guest_remove.html",
        {"project": project, "guest": guest, "form": form},
    )


@project_view(can_manage_join_codes)
def join_code_detail(request, project, join_code_id):
    join_code = get_object_or_404(JoinCode, pk=join_code_id, project=project)
    join_url = request.build_absolute_uri(join_code.get_join_url())
    qr_svg = segno.make(join_url, error="m").svg_inline(
        scale=8, border=2, dark="#111", omitsize=True
    )
    return render(
        request,
        "jointlearn/join_code_detail.html",
        {"project": project, "join_code": join_code, "join_url": join_url, "qr_svg": qr_svg},
    )


@require_POST
@project_view(can_manage_join_codes)
def join_code_toggle(request, project, join_code_id):
    join_code = get_object_or_404(JoinCode, pk=join_code_id, project=project)
    services.set_join_code_open(join_code=join_code, is_open=not join_code.is_open)
    if join_code.is_open:
        messages.success(request, _("The code %(code)s is open again.") % {"code": join_code.code})
    else:
        messages.success(request, _("The code %(code)s is closed.") % {"code": join_code.code})
    return redirect("join_code_list", project_slug=project.slug)


def join_attempt_limits(request):
    """Wrong codes are counted per browser session and, more loosely, per address."""
    if not request.session.session_key:
        request.session.save()
    address = request.META.get("REMOTE_ADDR", "unknown")
    return [
        (f"join:session:{request.session.session_key}", settings.JOIN_ATTEMPTS_PER_CLIENT),
        (f"join:address:{address}", settings.JOIN_ATTEMPTS_PER_ADDRESS),
    ]


def join_wait_message(request):
    """The sentence telling a guesser how long to wait, or None when they may try."""
    window = settings.JOIN_ATTEMPT_WINDOW_SECONDS
    wait = max(
        seconds_until_allowed(key, limit=limit, window=window)
        for key, limit in join_attempt_limits(request)
    )
    if not wait:
        return None
    minutes = max(1, (wait + 59) // 60)
    return ngettext(
        "Too many wrong codes. Please wait %(minutes)d minute and try again.",
        "Too many wrong codes. Please wait %(minutes)d minutes and try again.",
        minutes,
    ) % {"minutes": minutes}


def where_code_leads(join_code):
    """A live activity's code opens the activity; a project code opens the lobby."""
    activity = LiveActivity.objects.filter(join_code=join_code).select_related("project").first()
    if activity is not None:
        return activity.get_absolute_url()
    return reverse("project_lobby", kwargs={"project_slug": join_code.project.slug})


def join(request, code=None):
    """Join with a code: typed at /join/, or read from a QR code at /join/<code>/."""
    code_form = EnterCodeForm(request.POST if request.method == "POST" and not code else None)
    if code is None:
        if not code_form.is_bound or not code_form.is_valid():
            return render(request, "jointlearn/join.html", {"code_form": code_form})
        code = code_form.cleaned_data["code"]
    context = {"code_form": EnterCodeForm(initial={"code": code})}
    wait_message = join_wait_message(request)
    if wait_message:
        return render(
            request, "jointlearn/join.html", {**context, "error": wait_message}, status=429
        )
    try:
        join_code = services.find_join_code(code)
    except services.JoinCodeUnusable as refused:
        for key, _limit in join_attempt_limits(request):
            record_failure(key, window=settings.JOIN_ATTEMPT_WINDOW_SECONDS)
        return render(
            request, "jointlearn/join.html", {**context, "error": refused.message}, status=404
        )
    project = join_code.project
    if get_membership(request.user, project) is not None:
        return redirect(where_code_leads(join_code))
    guest = get_guest(request.session, project)
    if guest is not None:
        try:
            services.admit_guest(guest=guest, join_code=join_code)
        except services.JoinCodeUnusable as refused:
            return render(
                request, "jointlearn/join.html", {**context, "error": refused.message}, status=404
            )
        return redirect(where_code_leads(join_code))
    name_form = GuestNameForm(request.POST if "display_name" in request.POST else None)
    context.update(join_code=join_code, name_form=name_form)
    if name_form.is_bound and name_form.is_valid():
        try:
            guest = services.join_as_guest(
                join_code=join_code, display_name=name_form.cleaned_data["display_name"]
            )
        except services.JoinCodeUnusable as refused:
            context["error"] = refused.message
            return render(request, "jointlearn/join.html", context, status=404)
        remember_guest(request.session, guest)
        return redirect(where_code_leads(join_code))
    return render(request, "jointlearn/join.html", context)


@project_view(allow_guests=True)
def project_lobby(request, project):
    guest = request.guest
    form = GuestNameForm(
        request.POST or None, initial={"display_name": guest and guest.display_name}
    )
    if guest and request.method == "POST" and form.is_valid():
        services.rename_guest(guest=guest, display_name=form.cleaned_data["display_name"])
        messages.success(request, _("Your name has been changed."))
        return redirect("project_lobby", project_slug=project.slug)
    activities = project.live_activities.filter(state=LiveActivity.State.OPEN).select_related(
        "project"
    )
    if guest is not None:
        activities = activities_open_to_guest(guest, activities)
    return render(
        request,
        "jointlearn/lobby.html",
        {
            "project": project,
            "guest": guest,
            "form": form if guest else None,
            "activities": activities,
        },
    )


@require_POST
@project_view(allow_guests=True)
def guest_leave(request, project):
    if request.guest:
        forget_guest(request.session, request.guest)
        messages.success(request, _("You have left %(project)s.") % {"project": project.name})
    return redirect("join")


# Research: the consent text and the export


@project_view(can_edit_project)
def research_page(request, project):
    current = consent.current_text(project)
    language = translation.get_language() or "en"
    initial = {"language": language, "body": consent.text_for(project, language).text}
    if current is not None:
        initial = {"body": current.body, "language": current.language}
        initial.update({f"text_{code}": text for code, text in current.translations.items()})
    form = ConsentTextForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            published = consent.publish_text(
                project=project,
                body=form.cleaned_data["body"],
                language=form.cleaned_data["language"],
                translations=form.translations(),
                created_by=request.user,
            )
        except services.DomainError as error:
            form.add_error("body", error.message)
        else:
            messages.success(
                request,
                _(
                    "Version %(version)d of the consent text is published. Members are asked "
                    "again when they next register for a meeting."
                )
                % {"version": published.version},
            )
            return redirect("research_page", project_slug=project.slug)
    latest = consent.latest_decisions(project)
    member_ids = set(project.memberships.values_list("user_id", flat=True))
    decided = [d for user_id, d in latest.items() if user_id in member_ids]
    return render(
        request,
        "jointlearn/research.html",
        {
            "project": project,
            "form": form,
            "shown": consent.text_for(project, current=current),
            "versions": project.consent_texts.select_related("created_by"),
            "member_count": len(member_ids),
            "agreed": sum(1 for d in decided if d.given),
            "declined": sum(1 for d in decided if not d.given),
            "undecided": len(member_ids) - len(decided),
        },
    )


@require_POST
@project_view(can_edit_project)
def research_export(request, project):
    """The ZIP of the research data set: consenting people only, pseudonymised."""
    export = build_export(project=project)
    response = HttpResponse(export.content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response


# Health


async def healthz(request):
    """Touch the database and the channel layer for real; 503 names the part that failed."""
    report, healthy = {}, True
    try:
        await sync_to_async(_touch_database)()
        report["database"] = "ok"
    except Exception as error:
        report["database"], healthy = f"error: {type(error).__name__}", False
    try:
        layer = get_channel_layer()
        channel = await layer.new_channel("healthz.")
        await layer.send(channel, {"type": "healthz.ping", "at": timezone.now().isoformat()})
        message = await layer.receive(channel)
        if message.get("type") != "healthz.ping":
            raise RuntimeError("unexpected message")
        report["channel_layer"] = "ok"
    except Exception as error:
        report["channel_layer"], healthy = f"error: {type(error).__name__}", False
    return JsonResponse(report, status=200 if healthy else 503)


def _touch_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


@project_view()
def project_dashboard(request, project):
    """The learning dashboard: what the project's modules add up to, for one scope."""
    form = dashboard.ScopeForm(request.GET or None, project=project)
    scope = form.scope() if request.GET else dashboard.Scope()
    return render(
        request,
        "jointlearn/dashboard.html",
        {
            "project": project,
            "form": form,
            "scope": scope,
            "sections": dashboard.collect(project, scope),
        },
    )


# Help: the user guides of docs/, for everyone, signed in or not.


def help_page(request, slug=""):
    """A user guide in the reader's language where it has been translated, else in English."""
    known = guides.pages(translation.get_language())
    if slug not in known:
        raise Http404(_("There is no such guide."))
    title, body = guides.render_page(known[slug], known)
    return render(
        request,
        "jointlearn/help.html",
        {
            "title": title,
            "body": mark_safe(body),  # noqa: S308 (cleaned by nh3 in render_markdown)
            "is_index": slug == "",
            "guide_language": guides.language_of(known[slug]),
        },
    )


def help_picture(request, name):
    path = guides.picture_path(name)
    if path is None:
        raise Http404(_("There is no such picture."))
    return FileResponse(path.open("rb"), content_type="image/png")
