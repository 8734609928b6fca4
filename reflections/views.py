"""Setting up the live activities of this app: a reflection round, a quick poll and a
cross-country pairing. Running them happens on the shared live pages (jointlearn/live)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from jointlearn.live.broadcast import project_changed
from jointlearn.permissions import can_run_live_activities, project_view

from .pairs import PairingForm, create_pairing
from .polls import PollForm, create_poll
from .rounds import RoundForm, create_round


def opened(request, project, activity, message):
    project_changed(project, "live")
    messages.success(request, message % {"code": activity.join_code.code})
    return redirect("live_console", project_slug=project.slug, activity_id=activity.pk)


@project_view(can_run_live_activities)
def reflection_create(request, project):
    form = RoundForm(request.POST or None, project=project)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        activity = create_round(
            project=project,
            created_by=request.user,
            title=data["title"],
            prompts=data["prompts"],
            meeting=data["meeting"],
            anonymous=data["anonymous"],
            speaker_minutes=data["speaker_minutes"],
        )
        return opened(
            request,
            project,
            activity,
            _("The reflection round is open. People join with the code %(code)s."),
        )
    return render(
        request,
        "reflections/setup_form.html",
        {
            "project": project,
            "form": form,
            "heading": _("Open a reflection round"),
            "intro": _(
                "Everyone says what they gained and how they learned best, in a speaking order "
                "mixed across countries. Answers are typed on phones or written down by you, "
                "and appear on the projector as they arrive."
            ),
            "submit": _("Open the round"),
        },
    )


@project_view(can_run_live_activities)
def poll_create(request, project):
    form = PollForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        activity = create_poll(project=project, created_by=request.user, **form.cleaned_data)
        return opened(
            request, project, activity, _("The poll is open. People join with the code %(code)s.")
        )
    return render(
        request,
        "reflections/setup_form.html",
        {
            "project": project,
            "form": form,
            "heading": _("Open a quick poll"),
            "intro": _(
                "One question with choices or a scale. People vote from their phones and may "
                "change their vote until you close the poll; the projector shows the bars."
            ),
            "submit": _("Open the poll"),
        },
    )


@project_view(can_run_live_activities)
def pairing_create(request, project):
    form = PairingForm(request.POST or None, project=project)
    if request.method == "POST" and form.is_valid():
        activity = create_pairing(project=project, created_by=request.user, **form.cleaned_data)
        return opened(
            request,
            project,
            activity,
            _("The pairing is open. People join with the code %(code)s and press “I'm here”."),
        )
    return render(
        request,
        "reflections/setup_form.html",
        {
            "project": project,
            "form": form,
            "heading": _("Open a cross-country pairing"),
            "intro": _(
                "People in the room press “I'm here” on their phones; you make pairs of people "
                "from different countries, with a prompt from the icebreaker library, and "
                "re-pair whenever you like."
            ),
            "submit": _("Open the pairing"),
        },
    )
