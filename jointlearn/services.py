"""Every change to projects, organisations, members, invitations and guests goes here."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from .live.broadcast import disconnect_after_commit, project_changed
from .live.groups import person_group
from .models import (
    Guest,
    Invitation,
    JoinCode,
    Membership,
    Organisation,
    Project,
    Role,
    User,
    hash_token,
)


class DomainError(Exception):
    """A rule of the domain refused the change; `message` is a sentence for the person."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class LastCoordinator(DomainError):
    pass


class AlreadyMember(DomainError):
    pass


class AlreadyInvited(DomainError):
    pass


class InvitationUnusable(DomainError):
    def __init__(self, message, *, state):
        super().__init__(message)
        self.state = state


class JoinCodeUnusable(DomainError):
    pass


class SlugTaken(DomainError):
    pass


# Projects


@transaction.atomic
def create_project(*, creator, organisation=None, **fields):
    """Create a project with its creator as coordinator, in the organisation given as a dict."""
    if Project.objects.filter(slug=fields["slug"]).exists():
        raise SlugTaken(_("Another project already uses this short address. Choose another."))
    project = Project.objects.create(**fields)
    own_organisation = None
    if organisation:
        own_organisation = Organisation.objects.create(project=project, **organisation)
    Membership.objects.create(
        user=creator, project=project, organisation=own_organisation, role=Role.COORDINATOR
    )
    return project


@transaction.atomic
def update_project(*, project, **fields):
    if (
        Project.objects.filter(slug=fields.get("slug", project.slug))
        .exclude(pk=project.pk)
        .exists()
    ):
        raise SlugTaken(_("Another project already uses this short address. Choose another."))
    for name, value in fields.items():
        setattr(project, name, value)
    project.full_clean()
    project.save()
    project_changed(project, "project")
    return project


# Organisations


@transaction.atomic
def save_organisation(*, project, organisation=None, **fields):
    """Add a partner organisation to the project, or update one of its own."""
    if organisation is None:
        organisation = Organisation(project=project)
    elif organisation.project_id != project.pk:
        raise DomainError(_("This organisation belongs to another project."))
    logo = fields.pop("logo", None)
    remove_logo = fields.pop("remove_logo", False)
    for name, value in fields.items():
        setattr(organisation, name, value)
    old_logo = organisation.logo.name if organisation.logo else None
    if logo is not None:
        organisation.logo.save(logo.name, logo, save=False)
    elif remove_logo:
        organisation.logo = ""
    organisation.save()
    if old_logo and old_logo != organisation.logo.name:
        storage = organisation.logo.storage
        transaction.on_commit(lambda: storage.delete(old_logo))
    project_changed(project, "organisations")
    return organisation


@transaction.atomic
def delete_organisation(*, organisation):
    if organisation.memberships.exists():
        raise DomainError(
            _("People belong to this organisation. Move them to another one before deleting it.")
        )
    project = organisation.project
    if organisation.logo:
        logo = organisation.logo
        transaction.on_commit(lambda: logo.delete(save=False))
    try:
        organisation.delete()
    except ProtectedError as error:
        raise DomainError(
            _("This organisation still has practices. Delete them or move them first.")
        ) from error
    project_changed(project, "organisations")


# Invitations and memberships


def _send_invitation(invitation, token, *, accept_url):
    context = {
        "invitation": invitation,
        "accept_url": accept_url,
        "invitation_valid_days": settings.INVITATION_VALID_DAYS,
    }
    subject = _("You are invited to %(project)s on JointLearn") % {
        "project": invitation.project.name
    }
    body = render_to_string("emails/invitation.txt", context)
    transaction.on_commit(
        lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [invitation.email])
    )


@transaction.atomic
def invite_member(*, project, email, role, organisation, invited_by, build_accept_url):
    """Invite `email`; `build_accept_url(token)` makes the absolute link put in the email."""
    email = email.strip().lower()
    if Membership.objects.filter(project=project, user__email__iexact=email).exists():
        raise AlreadyMember(_("%(email)s is already a member of this project.") % {"email": email})
    if project.invitations.filter(
        email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True
    ).exists():
        raise AlreadyInvited(
            _("%(email)s has an open invitation already. Resend it from the list below.")
            % {"email": email}
        )
    if organisation is not None and organisation.project_id != project.pk:
        raise DomainError(_("This organisation belongs to another project."))
    token = Invitation.new_token()
    invitation = Invitation.objects.create(
        project=project,
        email=email,
        role=role,
        organisation=organisation,
        invited_by=invited_by,
        token_hash=hash_token(token),
        expires_at=Invitation.default_expiry(),
        sent_at=timezone.now(),
    )
    _send_invitation(invitation, token, accept_url=build_accept_url(token))
    project_changed(project, "members")
    return invitation, token


@transaction.atomic
def resend_invitation(*, invitation, build_accept_url):
    """Send a fresh link; the old one stops working and the expiry starts again."""
    if invitation.state in {Invitation.State.ACCEPTED, Invitation.State.REVOKED}:
        raise InvitationUnusable(
            _("This invitation was accepted or revoked and cannot be sent again."),
            state=invitation.state,
        )
    token = Invitation.new_token()
    invitation.token_hash = hash_token(token)
    invitation.expires_at = Invitation.default_expiry()
    invitation.sent_at = timezone.now()
    invitation.save(update_fields=["token_hash", "expires_at", "sent_at"])
    _send_invitation(invitation, token, accept_url=build_accept_url(token))
    return invitation, token


@transaction.atomic
def revoke_invitation(*, invitation):
    if invitation.state == Invitation.State.ACCEPTED:
        raise InvitationUnusable(
            _("This invitation was already accepted; remove the member instead."),
            state=invitation.state,
        )
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    project_changed(invitation.project, "members")


def find_invitation(token):
    """The invitation behind a token, or InvitationUnusable saying why it cannot be used."""
    invitation = (
        Invitation.objects.select_related("project", "organisation", "invited_by")
        .filter(token_hash=hash_token(token or ""))
        .first()
    )
    if invitation is None:
        raise InvitationUnusable(
            _("This invitation link is not valid. Check that you copied the whole link."),
            state=None,
        )
    messages = {
        Invitation.State.ACCEPTED: _("This invitation has already been used. Sign in instead."),
        Invitation.State.REVOKED: _("This invitation was withdrawn by the project's coordinator."),
        Invitation.State.EXPIRED: _(
            "This invitation has expired. Ask the project's coordinator to send a new one."
        ),
    }
    if invitation.state in messages:
        raise InvitationUnusable(messages[invitation.state], state=invitation.state)
    return invitation


@transaction.atomic
def accept_invitation(*, token, user=None, display_name="", password=None):
    """Turn an invitation into a membership, creating the account when `user` is None."""
    invitation = find_invitation(token)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.state != Invitation.State.PENDING:
        raise InvitationUnusable(
            _("This invitation has already been used. Sign in instead."), state=invitation.state
        )
    if user is None:
        if User.objects.filter(email__iexact=invitation.email).exists():
            raise DomainError(
                _("An account with this email address exists. Sign in to accept the invitation.")
            )
        user = User.objects.create_user(
            invitation.email, password, display_name=display_name.strip()
        )
    elif user.email.lower() != invitation.email.lower():
        raise DomainError(
            _("This invitation is for %(email)s, but you are signed in as %(current)s.")
            % {"email": invitation.email, "current": user.email}
        )
    try:
        with transaction.atomic():
            membership = Membership.objects.create(
                user=user,
                project=invitation.project,
                organisation=invitation.organisation,
                role=invitation.role,
            )
    except IntegrityError as error:
        raise AlreadyMember(_("You are already a member of this project.")) from error
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    project_changed(invitation.project, "members")
    return membership


def _coordinators_left_without(membership):
    return (
        Membership.objects.filter(project=membership.project_id, role=Role.COORDINATOR)
        .exclude(pk=membership.pk)
        .count()
    )


@transaction.atomic
def change_membership(*, membership, role, organisation):
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if organisation is not None and organisation.project_id != membership.project_id:
        raise DomainError(_("This organisation belongs to another project."))
    if (
        membership.role == Role.COORDINATOR
        and role != Role.COORDINATOR
        and not _coordinators_left_without(membership)
    ):
        raise LastCoordinator(
            _("A project needs at least one coordinator. Make someone else coordinator first.")
        )
    membership.role = role
    membership.organisation = organisation
    membership.save(update_fields=["role", "organisation"])
    project_changed(membership.project, "members")
    return membership


@transaction.atomic
def remove_membership(*, membership):
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.role == Role.COORDINATOR and not _coordinators_left_without(membership):
        raise LastCoordinator(
            _("A project needs at least one coordinator. Make someone else coordinator first.")
        )
    project = membership.project
    user_id = membership.user_id
    membership.delete()
    project_changed(project, "members")
    # Their open live pages close at once; an op already on its way is refused.
    disconnect_after_commit(person_group(project.pk, f"user-{user_id}"))


# Join codes and guests


@transaction.atomic
def create_join_code(*, project, label, expires_at=None, created_by=None):
    return JoinCode.objects.create(
        project=project, label=label, expires_at=expires_at, created_by=created_by
    )


@transaction.atomic
def set_join_code_open(*, join_code, is_open):
    join_code.is_open = is_open
    join_code.save(update_fields=["is_open"])
    return join_code


def find_join_code(code):
    """The usable join code for what someone typed, or JoinCodeUnusable saying why not."""
    normalised = "".join((code or "").split()).upper()
    join_code = JoinCode.objects.select_related("project").filter(code=normalised).first()
    if join_code is None:
        raise JoinCodeUnusable(
            _("There is no activity with the code %(code)s. Check the code and try again.")
            % {"code": normalised}
        )
    if not join_code.is_usable:
        raise JoinCodeUnusable(
            _("The code %(code)s has closed. Ask the facilitator for the current code.")
            % {"code": normalised}
        )
    return join_code


def refuse_unusable(join_code):
    if not join_code.is_usable:
        raise JoinCodeUnusable(
            _("The code %(code)s has closed. Ask the facilitator for the current code.")
            % {"code": join_code.code}
        )


@transaction.atomic
def join_as_guest(*, join_code, display_name):
    refuse_unusable(join_code)
    guest = Guest.objects.create(
        project=join_code.project, join_code=join_code, display_name=display_name
    )
    guest.admitted_with.add(join_code)
    return guest


@transaction.atomic
def admit_guest(*, guest, join_code):
    """A guest who is already in the project entered another of its codes."""
    refuse_unusable(join_code)
    if join_code.project_id != guest.project_id:
        raise JoinCodeUnusable(_("This code belongs to another project."))
    guest.admitted_with.add(join_code)


@transaction.atomic
def rename_guest(*, guest, display_name):
    guest.display_name = display_name
    guest.save(update_fields=["display_name", "last_seen_at"])
    return guest
