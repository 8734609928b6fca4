"""Every change to surveys: building, opening and closing, sending links, answering."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from jointlearn.models import Membership, hash_token
from jointlearn.services import DomainError

from .models import Answer, Choice, Question, Response, Survey, SurveyLink

MAX_CHOICES = 20


class SurveyLocked(DomainError):
    pass


class SurveyClosed(DomainError):
    pass


class LinkUnusable(DomainError):
    def __init__(self, message, *, reason):
        super().__init__(message)
        self.reason = reason


def respondent_key(survey, user):
    """The key a person's response is found by; see the note in models.py."""
    return salted_hmac(
        "jointlearn.surveys.respondent", f"{survey.pk}:{user.pk}", algorithm="sha256"
    ).hexdigest()


def _refuse_if_answered(survey):
    if survey.responses.exists():
        raise SurveyLocked(
            _(
                "People have already answered this survey, so its questions can no longer "
                "change. Translations can still be added."
            )
        )


# Building


@transaction.atomic
def save_survey(*, project, survey=None, created_by=None, **fields):
    meeting = fields.get("meeting")
    if meeting is not None and meeting.project_id != project.pk:
        raise DomainError(_("This meeting belongs to another project."))
    if survey is None:
        survey = Survey(project=project, created_by=created_by)
    elif (
        "anonymous" in fields
        and fields["anonymous"] != survey.anonymous
        and survey.responses.exists()
    ):
        raise SurveyLocked(
            _("People have already answered, so the survey cannot change to or from anonymous.")
        )
    for name, value in fields.items():
        setattr(survey, name, value)
    survey.full_clean(exclude=["project", "created_by"])
    survey.save()
    return survey


@transaction.atomic
def set_survey_open(*, survey, is_open):
    """Open now (keeping a closing time still ahead) or close now."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    now = timezone.now()
    if is_open:
        survey.opens_at = now
        if survey.closes_at is not None and survey.closes_at <= now:
            survey.closes_at = None
    else:
        if survey.opens_at is None or survey.opens_at > now:
            survey.opens_at = now - timezone.timedelta(seconds=1)
        survey.closes_at = now
    survey.save(update_fields=["opens_at", "closes_at"])
    return survey


def _clean_choices(kind, choices):
    choices = [text.strip() for text in choices if text.strip()]
    if kind in {Question.Kind.SINGLE, Question.Kind.MULTIPLE}:
        if len(choices) < 2:
            raise DomainError(_("Give at least two choices, one per line."))
        if len(choices) > MAX_CHOICES:
            raise DomainError(_("Give at most %(count)d choices.") % {"count": MAX_CHOICES})
        if len({c.casefold() for c in choices}) != len(choices):
            raise DomainError(_("Each choice must be different from the others."))
        return choices
    return []


@transaction.atomic
def save_question(
    *, survey, question=None, kind, text, required, low_label="", high_label="", choices=()
):
    _refuse_if_answered(survey)
    choices = _clean_choices(kind, choices)
    if question is None:
        last = survey.questions.aggregate(Max("position"))["position__max"]
        question = Question(survey=survey, position=0 if last is None else last + 1)
    elif question.survey_id != survey.pk:
        raise DomainError(_("This question belongs to another survey."))
    scale = kind in {Question.Kind.SCALE_5, Question.Kind.SCALE_10}
    question.kind = kind
    question.text = text.strip()
    question.required = required
    question.low_label = low_label.strip() if scale else ""
    question.high_label = high_label.strip() if scale else ""
    question.full_clean(exclude=["survey"])
    question.save()
    existing = list(question.choices.all())
    kept_translations = {c.text: c.translations for c in existing}
    question.choices.all().delete()
    Choice.objects.bulk_create(
        Choice(
            question=question,
            position=position,
            text=choice,
            translations=kept_translations.get(choice, {}),
        )
        for position, choice in enumerate(choices)
    )
    return question


@transaction.atomic
def move_question(*, question, direction):
    """Swap the question with its neighbour above (-1) or below (+1)."""
    survey = question.survey
    _refuse_if_answered(survey)
    questions = list(survey.questions.select_for_update().order_by("position", "pk"))
    index = next(i for i, q in enumerate(questions) if q.pk == question.pk)
    other = index + direction
    if not 0 <= other < len(questions):
        return question
    questions[index], questions[other] = questions[other], questions[index]
    for position, item in enumerate(questions):
        if item.position != position:
            item.position = position
            item.save(update_fields=["position"])
    return question


@transaction.atomic
def delete_question(*, question):
    _refuse_if_answered(question.survey)
    question.delete()


@transaction.atomic
def save_translation(*, survey, language, texts):
    """`texts`: {"title", "intro", "q<id>", "q<id>_low", "q<id>_high", "c<id>"} in `language`."""

    def keep(holder, values):
        cleaned = {name: value.strip() for name, value in values.items() if value.strip()}
        translations = dict(holder.translations)
        if cleaned:
            translations[language] = cleaned
        else:
            translations.pop(language, None)
        holder.translations = translations
        holder.save(update_fields=["translations"])

    keep(survey, {"title": texts.get("title", ""), "intro": texts.get("intro", "")})
    for question in survey.questions.prefetch_related("choices"):
        keep(
            question,
            {
                "text": texts.get(f"q{question.pk}", ""),
                "low_label": texts.get(f"q{question.pk}_low", ""),
                "high_label": texts.get(f"q{question.pk}_high", ""),
            },
        )
        for choice in question.choices.all():
            keep(choice, {"text": texts.get(f"c{choice.pk}", "")})
    return survey


# Sending follow-up links


@transaction.atomic
def send_links(*, survey, build_url):
    """Email every member their own link; a new link replaces the person's older one."""
    if not survey.is_open:
        raise SurveyClosed(_("Open the survey before sending its links."))
    memberships = Membership.objects.filter(project=survey.project).select_related("user")
    sent = 0
    for membership in memberships:
        user = membership.user
        token = SurveyLink.new_token()
        SurveyLink.objects.update_or_create(
            survey=survey,
            user=user,
            defaults={
                "token_hash": hash_token(token),
                "expires_at": SurveyLink.default_expiry(survey),
                "sent_at": timezone.now(),
            },
        )
        with translation.override(user.preferred_language):
            subject = _("Your feedback on %(project)s: %(survey)s") % {
                "project": survey.project.name,
                "survey": survey.translated("title"),
            }
            body = render_to_string(
                "emails/survey_link.txt",
                {
                    "survey": survey,
                    "user": user,
                    "url": build_url(survey, token),
                    "expires_at": SurveyLink.default_expiry(survey),
                },
            )
        transaction.on_commit(
            lambda s=subject, b=body, e=user.email: send_mail(
                s, b, settings.DEFAULT_FROM_EMAIL, [e]
            )
        )
        sent += 1
    return sent


def find_link(*, survey_id, token):
    """The person's link to this survey, or LinkUnusable saying why it cannot be used."""
    link = (
        SurveyLink.objects.select_related("survey__project", "user")
        .filter(token_hash=hash_token(token or ""))
        .first()
    )
    if link is None:
        raise LinkUnusable(
            _("This survey link is not valid. Check that you copied the whole link."),
            reason="unknown",
        )
    if link.survey_id != survey_id:
        raise LinkUnusable(
            _(
                "This link belongs to another survey. Open the link from the email about the "
                "survey you want to answer."
            ),
            reason="other_survey",
        )
    if link.is_expired:
        raise LinkUnusable(
            _("This survey link has expired. Ask the project's coordinator for a new one."),
            reason="expired",
        )
    if not Membership.objects.filter(project=link.survey.project, user=link.user).exists():
        raise LinkUnusable(
            _("This link no longer works: you are not a member of the project any more."),
            reason="not_member",
        )
    return link


# Answering


def response_of(survey, user):
    return (
        Response.objects.filter(survey=survey, respondent_key=respondent_key(survey, user))
        .prefetch_related("answers__choices")
        .first()
    )


@transaction.atomic
def submit_response(*, survey, user, answers):
    """Save the person's answers, changing their earlier ones: one response per person.

    `answers` maps each question to a number (scale), a list of choices, or a text; the
    form has checked them, and the survey's rules are checked again here.
    """
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.state() in {Survey.State.DRAFT, Survey.State.SCHEDULED}:
        raise SurveyClosed(_("This survey is not open yet."))
    if not survey.is_open:
        raise SurveyClosed(_("This survey is closed; answers can no longer be given or changed."))
    if not Membership.objects.filter(project=survey.project, user=user).exists():
        raise DomainError(_("Only members of the project can answer this survey."))
    questions = {q.pk: q for q in survey.questions.prefetch_related("choices")}
    if any(q.required and answers.get(q.pk) in (None, "", []) for q in questions.values()):
        raise DomainError(_("Answer every question marked as required."))
    key = respondent_key(survey, user)
    response = Response.objects.filter(survey=survey, respondent_key=key).first()
    today = timezone.localdate()
    if response is None:
        try:
            with transaction.atomic():
                response = Response.objects.create(
                    survey=survey,
                    respondent_key=key,
                    user=None if survey.anonymous else user,
                    submitted_on=today,
                )
        except IntegrityError:
            response = Response.objects.get(survey=survey, respondent_key=key)
    response.submitted_on = today
    response.save(update_fields=["submitted_on"])
    response.answers.all().delete()
    for question_id, value in answers.items():
        question = questions.get(question_id)
        if question is None or value in (None, "", []):
            continue
        answer = Answer(response=response, question=question)
        if question.is_scale:
            if int(value) not in question.scale_range:
                raise DomainError(_("A scale answer is outside its range."))
            answer.number = int(value)
        elif question.has_choices:
            valid = {c.pk for c in question.choices.all()}
            picked = [int(v) for v in (value if isinstance(value, list) else [value])]
            if not set(picked) <= valid or (
                question.kind == Question.Kind.SINGLE and len(picked) != 1
            ):
                raise DomainError(_("An answer names a choice the question does not have."))
        else:
            answer.text = str(value).strip()
        answer.full_clean(exclude=["response", "question"])
        answer.save()
        if question.has_choices:
            answer.choices.set(picked)
    return response
