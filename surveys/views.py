"""Pages of the surveys: the list, the builder, translations, answering, results and CSV."""

import csv

from django.conf import settings
from django.contrib import messages
from django.db.models import Count, Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jointlearn import outputs
from jointlearn.exports import safe_row
from jointlearn.models import Membership
from jointlearn.permissions import project_view
from jointlearn.services import DomainError

from . import services
from .exports import survey_output
from .forms import LANGUAGE_NAMES, AnswerForm, QuestionForm, SurveyForm, TranslationForm
from .models import Choice, Question, Response, Survey
from .permissions import can_manage_surveys
from .results import answers_by_response
from .results import survey_results as compute_results


def get_survey(project, survey_id):
    return get_object_or_404(
        Survey.objects.select_related("project", "meeting"), pk=survey_id, project=project
    )


def ordered_questions(survey):
    return list(
        survey.questions.prefetch_related(Prefetch("choices", queryset=Choice.objects.all()))
    )


@project_view()
def survey_list(request, project):
    manage = can_manage_surveys(request.membership)
    surveys = project.surveys.select_related("meeting").annotate(
        response_count=Count("responses", distinct=True),
        question_count=Count("questions", distinct=True),
    )
    surveys = list(surveys)
    answered = set(
        Response.objects.filter(
            survey__in=surveys,
            respondent_key__in=[services.respondent_key(s, request.user) for s in surveys],
        ).values_list("survey_id", flat=True)
    )
    for survey in surveys:
        survey.answered_by_me = survey.pk in answered
    visible = (
        surveys
        if manage
        else [
            s
            for s in surveys
            if s.state() in {Survey.State.OPEN, Survey.State.CLOSED}
            and (s.is_open or s.answered_by_me)
        ]
    )
    return render(
        request,
        "surveys/survey_list.html",
        {"project": project, "surveys": visible, "manage": manage},
    )


@project_view(can_manage_surveys)
def survey_create(request, project):
    initial = {}
    if request.GET.get("meeting", "").isdigit():
        initial["meeting"] = request.GET["meeting"]
    form = SurveyForm(request.POST or None, project=project, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            survey = services.save_survey(
                project=project, created_by=request.user, **form.cleaned_data
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The survey has been created. Now add its questions."))
            return redirect(survey)
    return render(request, "surveys/survey_form.html", {"project": project, "form": form})


@project_view(can_manage_surveys)
def survey_edit(request, project, survey_id):
    survey = get_survey(project, survey_id)
    form = SurveyForm(request.POST or None, instance=survey, project=project)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_survey(project=project, survey=survey, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The survey has been saved."))
            return redirect(survey)
    return render(
        request, "surveys/survey_form.html", {"project": project, "form": form, "survey": survey}
    )


@project_view(can_manage_surveys)
def survey_detail(request, project, survey_id):
    """The builder: the questions in order, and a form to add one."""
    survey = get_survey(project, survey_id)
    questions = ordered_questions(survey)
    response_count = survey.responses.count()
    form = QuestionForm(request.POST or None, initial={"kind": Question.Kind.SCALE_5})
    if request.method == "POST" and form.is_valid():
        try:
            question = services.save_question(survey=survey, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, _("The question “%(text)s” has been added.") % {"text": question.text}
            )
            return redirect(survey)
    return render(
        request,
        "surveys/survey_detail.html",
        {
            "project": project,
            "survey": survey,
            "questions": questions,
            "form": form,
            "response_count": response_count,
            "locked": response_count > 0,
            "translation_languages": [
                (code, name) for code, name in settings.LANGUAGES if code != survey.language
            ],
        },
    )


@project_view(can_manage_surveys)
def question_edit(request, project, survey_id, question_id):
    survey = get_survey(project, survey_id)
    question = get_object_or_404(Question, pk=question_id, survey=survey)
    form = QuestionForm(request.POST or None, initial=QuestionForm.initial_for(question))
    if request.method == "POST" and form.is_valid():
        try:
            services.save_question(survey=survey, question=question, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The question has been saved."))
            return redirect(survey)
    return render(
        request,
        "surveys/question_form.html",
        {"project": project, "survey": survey, "question": question, "form": form},
    )


@require_POST
@project_view(can_manage_surveys)
def question_move(request, project, survey_id, question_id):
    survey = get_survey(project, survey_id)
    question = get_object_or_404(Question, pk=question_id, survey=survey)
    direction = -1 if request.POST.get("direction") == "up" else 1
    try:
        services.move_question(question=question, direction=direction)
    except DomainError as error:
        messages.error(request, error.message)
    return redirect(f"{survey.get_absolute_url()}#question-{question.pk}")


@require_POST
@project_view(can_manage_surveys)
def question_delete(request, project, survey_id, question_id):
    survey = get_survey(project, survey_id)
    question = get_object_or_404(Question, pk=question_id, survey=survey)
    try:
        services.delete_question(question=question)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("The question “%(text)s” has been removed.") % {"text": question.text}
        )
    return redirect(survey)


@project_view(can_manage_surveys)
def survey_translate(request, project, survey_id, language):
    survey = get_survey(project, survey_id)
    if language not in LANGUAGE_NAMES or language == survey.language:
        raise Http404(_("There is nothing to translate into this language."))
    questions = ordered_questions(survey)
    form = TranslationForm(
        request.POST or None, survey=survey, questions=questions, language=language
    )
    if request.method == "POST" and form.is_valid():
        services.save_translation(survey=survey, language=language, texts=form.cleaned_data)
        messages.success(
            request,
            _("The %(language)s translation has been saved.")
            % {"language": LANGUAGE_NAMES[language]},
        )
        return redirect(survey)
    return render(
        request,
        "surveys/survey_translate.html",
        {
            "project": project,
            "survey": survey,
            "form": form,
            "language_name": LANGUAGE_NAMES[language],
            "original_language": LANGUAGE_NAMES.get(survey.language, survey.language),
        },
    )


@require_POST
@project_view(can_manage_surveys)
def survey_state(request, project, survey_id):
    survey = get_survey(project, survey_id)
    is_open = request.POST.get("action") == "open"
    if is_open and not survey.questions.exists():
        messages.error(request, _("Add at least one question before opening the survey."))
        return redirect(survey)
    services.set_survey_open(survey=survey, is_open=is_open)
    if is_open:
        messages.success(request, _("The survey is open: members can answer it now."))
    else:
        messages.success(request, _("The survey is closed: answers can no longer change."))
    return redirect(survey)


def link_url_builder(request):
    return lambda survey, token: request.build_absolute_uri(
        reverse("survey_link", kwargs={"survey_id": survey.pk, "token": token})
    )


@require_POST
@project_view(can_manage_surveys)
def survey_send(request, project, survey_id):
    survey = get_survey(project, survey_id)
    try:
        sent = services.send_links(survey=survey, build_url=link_url_builder(request))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Personal links have been emailed to %(count)d members.") % {"count": sent},
        )
    return redirect(survey)


def answer_page(request, *, survey, user, template_context, action):
    """Show and take the answers of `user` (signed in, or through their personal link)."""
    language = translation.get_language()
    questions = ordered_questions(survey)
    response = services.response_of(survey, user)
    initial = {}
    if response is not None:
        for answer in response.answers.all():
            if answer.number is not None:
                initial[f"q{answer.question_id}"] = str(answer.number)
            elif answer.text:
                initial[f"q{answer.question_id}"] = answer.text
            else:
                picked = [str(c.pk) for c in answer.choices.all()]
                initial[f"q{answer.question_id}"] = picked
                if picked and len(picked) == 1:
                    question = next((q for q in questions if q.pk == answer.question_id), None)
                    if question and question.kind == Question.Kind.SINGLE:
                        initial[f"q{answer.question_id}"] = picked[0]
    form = AnswerForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        questions=questions,
        language=language,
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.submit_response(survey=survey, user=user, answers=form.answers())
            except DomainError as error:
                messages.error(request, error.message)
                status = 409 if isinstance(error, services.SurveyClosed) else 400
            else:
                if response is None:
                    messages.success(request, _("Thank you! Your answers have been saved."))
                else:
                    messages.success(request, _("Your answers have been changed."))
                return redirect(action)
        else:
            messages.error(
                request,
                _(
                    "Some answers need your attention: see the messages below. "
                    "Your other answers are kept."
                ),
            )
            status = 400
    return render(
        request,
        "surveys/survey_answer.html",
        {
            **template_context,
            "survey": survey,
            "title": survey.translated("title", language),
            "intro": survey.translated("intro", language),
            "form": form,
            "response": response,
            "action": action,
        },
        status=status,
    )


@project_view()
def survey_answer(request, project, survey_id):
    survey = get_survey(project, survey_id)
    if survey.state() == Survey.State.DRAFT and not can_manage_surveys(request.membership):
        raise Http404(_("No such survey."))
    return answer_page(
        request,
        survey=survey,
        user=request.user,
        template_context={"project": project},
        action=survey.get_answer_url(),
    )


def survey_link(request, survey_id, token):
    """A follow-up answered through the personal link from the email, without signing in."""
    try:
        link = services.find_link(survey_id=survey_id, token=token)
    except services.LinkUnusable as error:
        status = {"expired": 410, "other_survey": 404, "not_member": 403}.get(error.reason, 404)
        return render(
            request, "surveys/link_unusable.html", {"message": error.message}, status=status
        )
    with translation.override(link.user.preferred_language):
        return answer_page(
            request,
            survey=link.survey,
            user=link.user,
            template_context={"via_link": True, "respondent": link.user},
            action=request.path,
        )


@project_view(can_manage_surveys)
def survey_results(request, project, survey_id):
    survey = get_survey(project, survey_id)
    questions = ordered_questions(survey)
    return render(
        request,
        "surveys/survey_results.html",
        {
            "project": project,
            "survey": survey,
            "response_count": survey.responses.count(),
            "results": survey_results_of(survey, questions),
        },
    )


def survey_results_of(survey, questions):
    return compute_results(survey, questions, language=translation.get_language())


@project_view(can_manage_surveys)
def survey_export(request, project, survey_id):
    """One row per response, one column per question; every cell spreadsheet-safe."""
    survey = get_survey(project, survey_id)
    questions = ordered_questions(survey)
    responses = list(survey.responses.select_related("user"))
    answers = answers_by_response(survey)
    choice_texts = {c.pk: c.text for q in questions for c in q.choices.all()}
    header = [_("response"), _("answered on")]
    if not survey.anonymous:
        header += [_("name"), _("organisation")]
    header += [f"Q{number}: {q.text}" for number, q in enumerate(questions, start=1)]
    organisations = {}
    if not survey.anonymous:
        organisations = {
            m.user_id: str(m.organisation or "")
            for m in Membership.objects.filter(project=project).select_related("organisation")
        }
    filename = f"{slugify(survey.title) or 'survey'}-{timezone.localdate():%Y%m%d}.csv"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(safe_row(header))
    for number, item in enumerate(responses, start=1):
        by_question = answers.get(item.pk, {})
        row = [number, item.submitted_on.isoformat()]
        if not survey.anonymous:
            row += [str(item.user or ""), organisations.get(item.user_id, "")]
        for question in questions:
            answer = by_question.get(question.pk)
            if answer is None:
                row.append("")
            elif answer.number is not None:
                row.append(answer.number)
            elif question.has_choices:
                row.append("; ".join(choice_texts[pk] for pk in answer.choice_ids))
            else:
                row.append(answer.text)
        writer.writerow(safe_row(row))
    return response


@project_view(can_manage_surveys)
def survey_output_export(request, project, survey_id, fmt):
    """The results as Markdown, JSON or PDF (jointlearn/outputs.py); the CSV is above."""
    survey = get_survey(project, survey_id)
    output = survey_output(survey, language=translation.get_language())
    return outputs.download(output, fmt, request)
