"""Views of the practice library: browse, add and edit, evaluate, rounds, comments, transfers."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Exists, F, OuterRef, Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from jointlearn.models import LiveActivity, Organisation
from jointlearn.permissions import can_run_live_activities, is_coordinator, project_view
from jointlearn.services import DomainError
from jointlearn.uploads import attachment_response

from . import charts, library, matrix, pitch, scoring, search, services
from .forms import (
    CommentForm,
    CriterionFormSet,
    EvaluationForm,
    LibraryFilterForm,
    PitchSessionForm,
    PracticeForm,
    RoundForm,
    TargetGroupsForm,
    TransferForm,
    criterion_initial,
)
from .models import (
    MIN_EVALUATIONS_FOR_RESULTS,
    Assignment,
    Attachment,
    Comment,
    Criterion,
    Evaluation,
    EvaluationRound,
    Picture,
    Practice,
    Score,
)
from .permissions import (
    can_add_practice,
    can_edit_practice,
    can_hide_comment,
    can_manage_rounds,
    can_manage_rubric,
    can_view_practice,
    practice_permissions,
)

PRACTICES_PER_PAGE = 24
ORDERINGS = {
    "newest": ["-created_at", "-pk"],
    "rating": [F("rating_mean").desc(nulls_last=True), "-evaluation_count", "title"],
    "applied": ["-transfer_count", "title"],
    "title": ["title", "pk"],
}


def get_practice(request, project, practice_id):
    """The practice if the viewer may see it; 404 otherwise, drafts included."""
    practice = get_object_or_404(
        Practice.objects.select_related("organisation", "project", "created_by", "updated_by"),
        pk=practice_id,
        project=project,
    )
    if not can_view_practice(request.membership, practice):
        raise Http404(_("No such practice."))
    return practice


def own_organisations(membership, project):
    """The organisations the member may add practices for."""
    if is_coordinator(membership):
        return project.organisations.all()
    return Organisation.objects.filter(pk=membership.organisation_id)


# Library


@project_view()
def practice_list(request, project):
    membership = request.membership
    organisations = list(project.organisations.order_by("name"))
    target_groups = list(project.target_groups.all())
    themes = library.project_themes(project)
    form = LibraryFilterForm(
        request.GET, organisations=organisations, themes=themes, target_groups=target_groups
    )
    filters = form.filters()
    practices = Practice.objects.filter(project=project).visible_to(membership)
    if "country" in filters:
        practices = practices.filter(organisation__country=filters["country"])
    if "organisation" in filters:
        practices = practices.filter(organisation_id=filters["organisation"])
    if "theme" in filters:
        practices = practices.filter(themes__name=filters["theme"])
    if "target_group" in filters:
        practices = practices.filter(target_groups=filters["target_group"])
    if "theme" in filters or "target_group" in filters:
        # These join link tables: a practice is listed once even if a link were repeated.
        practices = practices.distinct()
    if filters.get("rated") == "rated":
        practices = practices.filter(evaluation_count__gt=0)
    elif filters.get("rated") == "unrated":
        practices = practices.filter(evaluation_count=0)
    if filters.get("assigned"):
        # Every practice the reviewer was assigned, rounds past their deadline included:
        # those are shown read-only and marked closed.
        mine = Assignment.objects.filter(
            reviewer=request.user, practice=OuterRef("pk"), round__project=project
        )
        still_open = mine.filter(round__closed_at__isnull=True, round__deadline__gt=timezone.now())
        practices = practices.filter(Exists(mine)).annotate(assignment_open=Exists(still_open))
    sort = filters.get("sort", "newest")
    if "q" in filters:
        practices = search.search(practices, filters["q"])
        ordering = ["-search_rank", *ORDERINGS[sort]] if "sort" not in filters else None
        practices = practices.order_by(*(ordering or ORDERINGS[sort]))
    else:
        practices = practices.order_by(*ORDERINGS[sort])
    practices = library.card_queryset(practices)
    page = Paginator(practices, PRACTICES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "practices/practice_list.html",
        {
            "project": project,
            "page": page,
            "cards": library.cards(page.object_list, project),
            "form": form,
            "filtered": bool(set(filters) - {"sort"}),
            "can_add": can_add_practice(membership),
            "can_manage_rubric": can_manage_rubric(membership),
            "can_manage_rounds": can_manage_rounds(membership),
            "min_evaluations": MIN_EVALUATIONS_FOR_RESULTS,
        },
    )


# One practice


def practice_form(request, project, practice=None):
    services.ensure_target_groups(project=project)
    return PracticeForm(
        request.POST or None,
        request.FILES or None,
        instance=practice,
        project=project,
        organisations=own_organisations(request.membership, project)
        if practice is None or not is_coordinator(request.membership)
        else project.organisations.all(),
        theme_suggestions=library.project_themes(project),
        initial={"organisation": request.membership.organisation_id} if practice is None else None,
    )


@project_view(can_add_practice)
def practice_create(request, project):
    form = practice_form(request, project)
    if request.method == "POST" and form.is_valid():
        try:
            practice = services.save_practice(
                project=project, author=request.user, **form.service_fields()
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The practice has been saved."))
            return redirect(practice)
    return render(request, "practices/practice_form.html", {"project": project, "form": form})


@project_view()
def practice_edit(request, project, practice_id):
    practice = get_practice(request, project, practice_id)
    if not can_edit_practice(request.membership, practice):
        raise PermissionDenied(
            _("Only its organisation and the coordinators can edit this practice.")
        )
    form = practice_form(request, project, practice)
    if request.method == "POST" and form.is_valid():
        try:
            practice = services.save_practice(
                project=project, author=request.user, practice=practice, **form.service_fields()
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The practice has been saved."))
            return redirect(practice)
    return render(
        request,
        "practices/practice_form.html",
        {"project": project, "form": form, "practice": practice},
    )


@require_POST
@project_view()
def practice_delete(request, project, practice_id):
    practice = get_practice(request, project, practice_id)
    if not can_edit_practice(request.membership, practice):
        raise PermissionDenied(
            _("Only its organisation and the coordinators can delete this practice.")
        )
    services.delete_practice(practice=practice, by=request.user)
    messages.success(
        request, _("The practice %(title)s has been deleted.") % {"title": practice.title}
    )
    return redirect("practice_list", project_slug=project.slug)


def practice_results(practice, criteria):
    scores = Score.objects.filter(evaluation__practice=practice).values_list(
        "criterion_id", "value"
    )
    results = scoring.criterion_results(
        scores, [c.pk for c in criteria], minimum=MIN_EVALUATIONS_FOR_RESULTS
    )
    rows = []
    for criterion, result in zip(criteria, results, strict=True):
        rows.append(
            {
                "criterion": criterion,
                "result": result,
                "percent": round(100 * (result.mean - 1) / (criterion.scale_max - 1))
                if result.mean is not None
                else 0,
            }
        )
    return rows


def radar_of(results):
    """The radar chart of the per-criterion means, when there are means and three axes."""
    shown = [row for row in results if row["result"].mean is not None]
    if len(shown) < 3:
        return None
    return charts.radar(
        [row["result"].mean / row["criterion"].scale_max for row in shown],
        [row["criterion"].label for row in shown],
    )


@project_view()
def practice_detail(request, project, practice_id):
    practice = get_practice(request, project, practice_id)
    criteria = services.ensure_rubric(project=project)
    evaluations = list(
        practice.evaluations.select_related("evaluator", "organisation").order_by("-updated_at")
    )
    own_evaluation = next((e for e in evaluations if e.evaluator_id == request.user.pk), None)
    transferability = {}
    for evaluation in evaluations:
        transferability.setdefault(evaluation.country, []).append(evaluation.transferability)
    countries = [
        {
            "country": country,
            "count": len(values),
            "mean": scoring.mean_if_enough(values, minimum=MIN_EVALUATIONS_FOR_RESULTS),
        }
        for country, values in sorted(transferability.items(), key=lambda item: item[0].name)
    ]
    comments = (
        practice.comments.filter(parent__isnull=True)
        .select_related("author")
        .prefetch_related(Prefetch("replies", queryset=Comment.objects.select_related("author")))
    )
    results = practice_results(practice, criteria)
    return render(
        request,
        "practices/practice_detail.html",
        {
            "project": project,
            "practice": practice,
            "radar": radar_of(results),
            "pitch_sessions": pitch.practice_pitch_results(practice),
            "pictures": practice.pictures.all(),
            "attachments": practice.attachments.all(),
            "target_groups": practice.target_groups.all(),
            "themes": practice.themes.all(),
            "results": results,
            "evaluations": evaluations,
            "own_evaluation": own_evaluation,
            "countries": countries,
            "enough": len(evaluations) >= MIN_EVALUATIONS_FOR_RESULTS,
            "min_evaluations": MIN_EVALUATIONS_FOR_RESULTS,
            "comments": comments,
            "comment_form": CommentForm(),
            "transfers": practice.transfers.select_related("organisation"),
            "can": practice_permissions(request.membership, practice),
        },
    )


@project_view()
def attachment_download(request, project, practice_id, attachment_id):
    practice = get_practice(request, project, practice_id)
    attachment = get_object_or_404(Attachment, pk=attachment_id, practice=practice)
    return attachment_response(
        attachment.file, filename=attachment.name, content_type=attachment.content_type
    )


@project_view()
def picture(request, project, practice_id, picture_id, variant):
    """A practice's picture for those who may see the practice; re-encoded, so shown inline."""
    practice = get_practice(request, project, practice_id)
    if variant not in {"image", "thumbnail"}:
        raise Http404(_("No such picture."))
    found = get_object_or_404(Picture, pk=picture_id, practice=practice)
    field_file = found.thumbnail if variant == "thumbnail" else found.image
    extension = field_file.name.rsplit(".", 1)[-1]
    content_type = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}[extension]
    response = FileResponse(field_file.open("rb"), content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=86400"
    return response


# Evaluation


@project_view()
def practice_evaluate(request, project, practice_id):
    practice = get_practice(request, project, practice_id)
    membership = request.membership
    if membership.organisation_id == practice.organisation_id:
        raise PermissionDenied(_("You cannot evaluate a practice of your own organisation."))
    if not practice_permissions(membership, practice)["evaluate"]:
        raise PermissionDenied(_("You cannot evaluate this practice."))
    criteria = services.ensure_rubric(project=project)
    evaluation = (
        Evaluation.objects.select_related("round")
        .prefetch_related("scores")
        .filter(practice=practice, evaluator=request.user)
        .first()
    )
    form = EvaluationForm(request.POST or None, criteria=criteria, evaluation=evaluation)
    locked = evaluation is not None and evaluation.is_locked
    if request.method == "POST" and form.is_valid():
        try:
            services.submit_evaluation(
                practice=practice, evaluator=request.user, **form.service_fields()
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Thank you: your evaluation has been saved."))
            return redirect(practice)
    return render(
        request,
        "practices/practice_evaluate.html",
        {
            "project": project,
            "practice": practice,
            "form": form,
            "evaluation": evaluation,
            "locked": locked,
            "country": membership.organisation.country,
        },
    )


@project_view()
def transferability_matrix(request, project):
    countries, rows = matrix.transferability_matrix(project)
    return render(
        request,
        "practices/matrix.html",
        {
            "project": project,
            "countries": countries,
            "rows": rows,
            "min_evaluations": MIN_EVALUATIONS_FOR_RESULTS,
        },
    )


# Rubric and target groups


@project_view(can_manage_rubric)
def library_settings(request, project):
    criteria = services.ensure_rubric(project=project)
    groups = services.ensure_target_groups(project=project)
    rubric_posted = request.method == "POST" and "rubric" in request.POST
    groups_posted = request.method == "POST" and "target_groups" in request.POST
    formset = CriterionFormSet(
        request.POST if rubric_posted else None,
        initial=criterion_initial(criteria),
        prefix="criteria",
    )
    groups_form = TargetGroupsForm(
        request.POST if groups_posted else None,
        initial={"names": "\n".join(group.name for group in groups)},
    )
    if rubric_posted and formset.is_valid():
        try:
            services.save_rubric(project=project, criteria=formset.rows())
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The rubric has been saved."))
            return redirect("library_settings", project_slug=project.slug)
    if groups_posted and groups_form.is_valid():
        try:
            services.save_target_groups(project=project, names=groups_form.cleaned_data["names"])
        except DomainError as error:
            groups_form.add_error("names", error.message)
        else:
            messages.success(request, _("The target groups have been saved."))
            return redirect("library_settings", project_slug=project.slug)
    return render(
        request,
        "practices/settings.html",
        {"project": project, "formset": formset, "groups_form": groups_form},
    )


# Evaluation rounds


@project_view()
def my_assignments(request, project):
    assignments = list(
        Assignment.objects.filter(round__project=project, reviewer=request.user)
        .select_related("round", "practice__organisation")
        .order_by("-round__deadline", "practice__title")
    )
    done = set(
        Evaluation.objects.filter(
            evaluator=request.user, practice__in={a.practice_id for a in assignments}
        ).values_list("practice_id", flat=True)
    )
    rounds = {}
    for item in assignments:
        item.done = item.practice_id in done
        rounds.setdefault(item.round, []).append(item)
    summary = [
        {
            "round": evaluation_round,
            "assignments": items,
            "done": sum(item.done for item in items),
            "total": len(items),
        }
        for evaluation_round, items in rounds.items()
    ]
    return render(
        request,
        "practices/my_assignments.html",
        {"project": project, "rounds": summary},
    )


@project_view(can_manage_rounds)
def round_list(request, project):
    form = RoundForm(request.POST or None, project=project)
    if request.method == "POST" and form.is_valid():
        try:
            evaluation_round = services.open_round(
                project=project, created_by=request.user, **form.cleaned_data
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            count = evaluation_round.assignments.count()
            messages.success(
                request,
                ngettext(
                    "The round is open with %(count)d assignment.",
                    "The round is open with %(count)d assignments.",
                    count,
                )
                % {"count": count},
            )
            return redirect("round_detail", project_slug=project.slug, round_id=evaluation_round.pk)
    rounds = project.evaluation_rounds.annotate(
        assignment_count=Count("assignments", distinct=True),
        practice_count=Count("practices", distinct=True),
    )
    return render(
        request, "practices/round_list.html", {"project": project, "rounds": rounds, "form": form}
    )


@project_view(can_manage_rounds)
def round_detail(request, project, round_id):
    evaluation_round = get_object_or_404(EvaluationRound, pk=round_id, project=project)
    assignments = services.round_progress(evaluation_round)
    practices = {}
    for item in assignments:
        practices.setdefault(item.practice, []).append(item)
    done = sum(item.done for item in assignments)
    return render(
        request,
        "practices/round_detail.html",
        {
            "project": project,
            "round": evaluation_round,
            "practices": practices,
            "done": done,
            "total": len(assignments),
            "unassigned": [
                p
                for p in evaluation_round.practices.select_related("organisation")
                if p not in practices
            ],
        },
    )


@require_POST
@project_view(can_manage_rounds)
def round_remind(request, project, round_id):
    evaluation_round = get_object_or_404(EvaluationRound, pk=round_id, project=project)
    url = request.build_absolute_uri(reverse("my_assignments", args=[project.slug]))
    try:
        count = services.send_reminders(evaluation_round=evaluation_round, build_url=lambda: url)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            ngettext(
                "A reminder has been sent to %(count)d reviewer.",
                "A reminder has been sent to %(count)d reviewers.",
                count,
            )
            % {"count": count},
        )
    return redirect("round_detail", project_slug=project.slug, round_id=evaluation_round.pk)


@require_POST
@project_view(can_manage_rounds)
def round_close(request, project, round_id):
    evaluation_round = get_object_or_404(EvaluationRound, pk=round_id, project=project)
    services.close_round(evaluation_round=evaluation_round)
    messages.success(request, _("The round has been closed; its evaluations are locked."))
    return redirect("round_detail", project_slug=project.slug, round_id=evaluation_round.pk)


# Comments and transfers


@require_POST
@project_view()
def comment_add(request, project, practice_id):
    practice = get_practice(request, project, practice_id)
    form = CommentForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(practice.get_absolute_url() + "#comments")
    parent = None
    if form.cleaned_data["parent"]:
        parent = get_object_or_404(Comment, pk=form.cleaned_data["parent"], practice=practice)
    url = request.build_absolute_uri(practice.get_absolute_url())
    try:
        comment = services.add_comment(
            practice=practice,
            author=request.user,
            body=form.cleaned_data["body"],
            parent=parent,
            build_url=lambda: url,
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(practice.get_absolute_url() + "#comments")
    messages.success(request, _("Your comment has been posted."))
    return redirect(f"{practice.get_absolute_url()}#comment-{comment.pk}")


@require_POST
@project_view(can_hide_comment)
def comment_hide(request, project, practice_id, comment_id):
    practice = get_object_or_404(Practice, pk=practice_id, project=project)
    comment = get_object_or_404(Comment, pk=comment_id, practice=practice)
    hidden = comment.hidden_at is None
    services.hide_comment(comment=comment, by=request.user, hidden=hidden)
    messages.success(
        request, _("The comment is hidden.") if hidden else _("The comment is shown again.")
    )
    return redirect(f"{practice.get_absolute_url()}#comment-{comment.pk}")


@project_view()
def transfer_create(request, project, practice_id):
    practice = get_practice(request, project, practice_id)
    if not practice_permissions(request.membership, practice)["record_transfer"]:
        raise PermissionDenied(
            _("Only partners of other organisations can record that they applied it.")
        )
    form = TransferForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_transfer(
                practice=practice, created_by=request.user, **form.cleaned_data
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Thank you: the transfer has been recorded."))
            return redirect(f"{practice.get_absolute_url()}#transfers")
    return render(
        request,
        "practices/transfer_form.html",
        {"project": project, "practice": practice, "form": form},
    )


# Pitch sessions (the live session itself runs on the shared live pages)


def pitch_session_form(request, project, activity=None):
    criteria = services.ensure_rubric(project=project)
    initial = {"title": str(pitch.DEFAULT_TITLE), "one_word": True}
    if activity is not None:
        chosen = {entry["id"] for entry in pitch.session_criteria(activity)}
        initial = {
            "title": activity.title,
            "one_word": bool(activity.config.get("one_word")),
            "criteria": [c for c in criteria if c.pk in chosen],
        }
        for number, practice_id in enumerate(pitch.practice_ids(activity), start=1):
            initial[f"order_{practice_id}"] = number
    else:
        initial["criteria"] = criteria[:3]
    return PitchSessionForm(
        request.POST or None,
        criteria=Criterion.objects.filter(project=project),
        practices=pitch.choosable_practices(project),
        initial=initial,
    )


@project_view(can_run_live_activities)
def pitch_session_create(request, project):
    form = pitch_session_form(request, project)
    if request.method == "POST" and form.is_valid():
        try:
            activity = pitch.create_pitch_session(
                project=project,
                created_by=request.user,
                title=form.cleaned_data["title"],
                practices=form.cleaned_data["practices"],
                criteria=form.cleaned_data["criteria"],
                one_word=form.cleaned_data["one_word"],
                state=LiveActivity.State.PREPARED
                if request.POST.get("start") == "later"
                else LiveActivity.State.OPEN,
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            if activity.is_prepared:
                message = _(
                    "The pitch session is prepared: start it from the console when the "
                    "pitches begin. People will join with the code %(code)s."
                )
            else:
                message = _("The pitch session is open. People join with the code %(code)s.")
            messages.success(request, message % {"code": activity.join_code.code})
            return redirect("live_console", project_slug=project.slug, activity_id=activity.pk)
    return render(
        request,
        "practices/pitch_form.html",
        {"project": project, "form": form, "activity": None},
    )


@project_view(can_run_live_activities)
def pitch_session_edit(request, project, pitch_session_id):
    activity = get_object_or_404(
        LiveActivity, pk=pitch_session_id, project=project, kind=LiveActivity.Kind.PITCH
    )
    form = pitch_session_form(request, project, activity)
    if request.method == "POST" and form.is_valid():
        try:
            pitch.configure_pitch_session(
                activity=activity,
                title=form.cleaned_data["title"],
                practices=form.cleaned_data["practices"],
                criteria=form.cleaned_data["criteria"],
                one_word=form.cleaned_data["one_word"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The pitch session has been set up."))
            return redirect("live_console", project_slug=project.slug, activity_id=activity.pk)
    return render(
        request,
        "practices/pitch_form.html",
        {
            "project": project,
            "form": form,
            "activity": activity,
            "has_ratings": activity.pitch_ratings.exists(),
        },
    )
