"""The project pack: what the whole project did and learned, as one ZIP, the basis of a
funder's report.

Meetings (agenda and attendance), practices with their peer evaluations and the
transferability matrix, transfer records, café harvests, the learning formats named in the
reflection rounds over time and survey results, as CSV and Markdown, plus one combined PDF
printed with the meeting pack's stylesheet (meetings/pack.py). Hidden café notes never come
in (the harvest leaves them out) and neither do the names of evaluators, reflection speakers
or survey respondents: the pack is written to be passed on.
"""

import hashlib
import json
import zoneinfo
from collections import Counter

from django.db.models import Count, Max, Prefetch, Q, Sum
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from weasyprint import HTML

from jointlearn import outputs
from jointlearn.exports import csv_text, markdown_table, zip_of
from jointlearn.models import LiveActivity, Organisation
from learningcafe import harvest
from learningcafe.models import Cafe, Note, TableSummary
from meetings import pack as meeting_pack
from meetings.agenda import agenda_days
from meetings.models import AgendaItem, Meeting, Registration, Task
from meetings.printing import StaticFilesOnly
from practices.matrix import transferability_matrix
from practices.models import (
    MIN_EVALUATIONS_FOR_RESULTS,
    Criterion,
    Evaluation,
    PitchRating,
    Practice,
    Score,
    Transfer,
)
from practices.scoring import mean_if_enough
from reflections.models import Answer, LearningFormat, ReflectionRound
from surveys.models import Choice, Question, Response, Survey
from surveys.results import survey_results

# Raise when what the pack contains or how it looks changes, so cached packs are rebuilt.
PACK_VERSION = 1
PDF_NOTES = 5  # notes of each café table printed in the PDF; the CSV has every one


def fingerprint(project, language):
    """A digest of everything the pack is made of: counts and latest changes of every table it
    reads. When none of them moved, the pack built before is still the right one."""
    figures = [PACK_VERSION, language, project.pk, project.name]

    def add(queryset, *fields):
        aggregates = {"n": Count("pk"), "top": Max("pk")}
        for field in fields:
            aggregates[field] = Max(field)
        row = queryset.aggregate(**aggregates)
        figures.append([str(row[key]) for key in sorted(row)])

    add(Meeting.objects.filter(project=project), "updated_at")
    add(AgendaItem.objects.filter(day__meeting__project=project))
    add(
        Registration.objects.filter(meeting__project=project),
        "registered_at",
        "checked_in_at",
    )
    add(Organisation.objects.filter(project=project))
    add(Practice.objects.filter(project=project), "updated_at")
    add(Evaluation.objects.filter(practice__project=project), "updated_at")
    add(Criterion.objects.filter(project=project))
    add(Transfer.objects.filter(practice__project=project), "created_at")
    add(PitchRating.objects.filter(practice__project=project), "updated_at")
    add(LiveActivity.objects.filter(project=project), "updated_at")
    add(Note.objects.filter(cafe__activity__project=project), "created_at", "edited_at")
    figures.append(
        list(
            Note.objects.filter(cafe__activity__project=project)
            .aggregate(hidden=Count("pk", filter=Q(hidden=True)), votes=Max("votes"))
            .values()
        )
    )
    add(TableSummary.objects.filter(table__cafe__activity__project=project), "created_at")
    add(Answer.objects.filter(activity__project=project), "created_at")
    add(Survey.objects.filter(project=project), "opens_at", "closes_at")
    add(Question.objects.filter(survey__project=project))
    add(Response.objects.filter(survey__project=project), "submitted_on")
    add(Task.objects.filter(project=project), "created_at", "done_at")
    # What has no timestamp: names, the rubric, survey texts; and the agenda's changes, which
    # raise the meeting's calendar sequence.
    figures.append(
        Meeting.objects.filter(project=project).aggregate(agenda=Sum("sequence"))["agenda"]
    )
    for queryset, fields in [
        (Organisation.objects.filter(project=project), ["name", "country"]),
        (Criterion.objects.filter(project=project), ["name", "position", "weight"]),
        (Survey.objects.filter(project=project), ["title", "translations"]),
        (Question.objects.filter(survey__project=project), ["text", "translations"]),
    ]:
        figures.append(list(queryset.order_by("pk").values_list("pk", *fields)))
    text = json.dumps(figures, default=str, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def table(caption, columns, rows):
    """A table for the PDF and for its CSV and Markdown files: rows are lists of cells."""
    return {"caption": caption, "columns": columns, "rows": rows}


def table_files(path, entry):
    rows = [dict(zip(entry["columns"], row, strict=True)) for row in entry["rows"]]
    return {
        f"{path}.csv": csv_text(entry["columns"], rows).encode(),
        f"{path}.md": (
            f"# {entry['caption']}\n\n" + markdown_table(entry["columns"], rows)
        ).encode(),
    }


def number(value, digits=1):
    return "" if value is None else round(value, digits)


# The parts of the pack


def meetings_part(project):
    meetings = list(
        Meeting.objects.filter(project=project)
        .exclude(status=Meeting.Status.DRAFT)
        .select_related("host")
        .order_by("starts_on", "pk")
    )
    entries = []
    for meeting in meetings:
        days = agenda_days(meeting, viewer_zone=meeting.zone)
        entries.append(
            {
                "meeting": meeting,
                "days": days,
                "attendance": meeting_pack.attendance(meeting),
                "stem": f"meetings/{meeting.starts_on.isoformat()}-{slugify(meeting.title)[:50]}",
            }
        )
    overview = table(
        _("Meetings"),
        [_("Meeting"), _("Kind"), _("From"), _("To"), _("Host"), _("Registered"), _("Present")],
        [
            [
                entry["meeting"].title,
                entry["meeting"].get_kind_display(),
                entry["meeting"].starts_on.isoformat(),
                entry["meeting"].ends_on.isoformat(),
                entry["meeting"].host.name if entry["meeting"].host else "",
                entry["attendance"]["registered"],
                entry["attendance"]["present"],
            ]
            for entry in entries
        ],
    )
    return entries, overview


def matrix_cell(cell):
    """The mean, or "(n)" for evaluations too few for a mean, or — for the own country."""
    if cell["own"]:
        return "—"
    if cell["mean"] is not None:
        return number(cell["mean"])
    return f"({cell['count']})" if cell["count"] else ""


def practices_part(project):
    practices = list(
        Practice.objects.filter(project=project, status=Practice.Status.PUBLISHED)
        .select_related("organisation")
        .annotate(pitch_rating_count=Count("pitch_ratings"))
        .order_by("organisation__country", "title")
    )
    overview = table(
        _("Good practices"),
        [
            _("Practice"),
            _("Organisation"),
            _("Country"),
            _("Evaluations"),
            _("Average rating"),
            _("Pitch ratings"),
            _("Applied by"),
        ],
        [
            [
                practice.title,
                practice.organisation.name,
                str(practice.organisation.country.name),
                practice.evaluation_count,
                number(practice.rating_mean),
                practice.pitch_rating_count,
                practice.transfer_count,
            ]
            for practice in practices
        ],
    )
    criteria = list(Criterion.objects.filter(project=project).order_by("position", "pk"))
    evaluations = list(
        Evaluation.objects.filter(practice__in=practices)
        .select_related("practice", "organisation")
        .order_by("practice__title", "created_at", "pk")
    )
    scores = {}
    for evaluation_id, criterion_id, value in Score.objects.filter(
        evaluation__in=evaluations
    ).values_list("evaluation_id", "criterion_id", "value"):
        scores[(evaluation_id, criterion_id)] = value
    evaluation_table = table(
        _("Peer evaluations"),
        [
            _("Practice"),
            _("Evaluating organisation"),
            _("Country"),
            _("Transferability"),
            *[criterion.name for criterion in criteria],
            _("Strengths"),
            _("Suggestions"),
            _("Date"),
        ],
        [
            [
                evaluation.practice.title,
                evaluation.organisation.name,
                str(evaluation.country.name),
                evaluation.transferability,
                *[scores.get((evaluation.pk, criterion.pk), "") for criterion in criteria],
                evaluation.strengths,
                evaluation.suggestions,
                timezone.localdate(evaluation.created_at).isoformat(),
            ]
            for evaluation in evaluations
        ],
    )
    # The PDF prints each practice's mean per criterion; the CSV has every evaluation.
    by_practice = {}
    for evaluation in evaluations:
        for criterion in criteria:
            value = scores.get((evaluation.pk, criterion.pk))
            if value is not None:
                by_practice.setdefault((evaluation.practice_id, criterion.pk), []).append(value)
    criteria_table = table(
        _("Peer evaluations: mean score per criterion"),
        [_("Practice"), _("Evaluations"), *[criterion.name for criterion in criteria]],
        [
            [
                practice.title,
                practice.evaluation_count,
                *[
                    number(
                        mean_if_enough(
                            by_practice.get((practice.pk, criterion.pk), []),
                            minimum=MIN_EVALUATIONS_FOR_RESULTS,
                        )
                    )
                    for criterion in criteria
                ],
            ]
            for practice in practices
        ],
    )
    countries, rows = transferability_matrix(project)
    matrix = table(
        _("Transferability matrix"),
        [_("Practice"), _("Country of origin"), *[str(country.name) for country in countries]],
        [
            [
                row["practice"].title,
                str(row["practice"].organisation.country.name),
                *[matrix_cell(cell) for cell in row["cells"]],
            ]
            for row in rows
        ],
    )
    transfers = table(
        _("Transfer records"),
        [
            _("Practice"),
            _("Applied by"),
            _("Country"),
            _("When"),
            _("What was adapted"),
            _("Outcome"),
            _("Link"),
        ],
        [
            [
                transfer.practice.title,
                transfer.organisation.name,
                str(transfer.organisation.country.name),
                transfer.applied_on.isoformat(),
                transfer.adapted,
                transfer.outcome,
                transfer.link,
            ]
            for transfer in Transfer.objects.filter(practice__project=project)
            .select_related("practice", "organisation")
            .order_by("applied_on", "pk")
        ],
    )
    return overview, evaluation_table, criteria_table, matrix, transfers


def meeting_of_activities(activities):
    """{activity id: meeting} from the agenda items the activities were prepared for, or the
    meeting a reflection round was opened for."""
    found = {}
    for item in AgendaItem.objects.filter(live_activity__in=activities).select_related(
        "day__meeting"
    ):
        found[item.live_activity_id] = item.day.meeting
    for reflection in ReflectionRound.objects.filter(
        activity__in=activities, meeting__isnull=False
    ).select_related("meeting"):
        found[reflection.activity_id] = reflection.meeting
    return found


def started(project, kind):
    return list(
        LiveActivity.objects.filter(project=project, kind=kind)
        .exclude(state=LiveActivity.State.PREPARED)
        .order_by("created_at", "pk")
    )


def cafes_part(project):
    activities = started(project, LiveActivity.Kind.CAFE)
    meetings = meeting_of_activities(activities)
    cafes = {cafe.activity_id: cafe for cafe in Cafe.objects.filter(activity__in=activities)}
    entries = []
    for activity in activities:
        cafe = cafes.get(activity.pk)
        if cafe is None:
            continue
        themes = harvest.themes(cafe)
        entries.append(
            {
                "activity": activity,
                "meeting": meetings.get(activity.pk),
                "themes": [
                    {
                        "theme": entry["table"].theme,
                        "question": entry["table"].question,
                        "count": len(entry["notes"]),
                        "notes": entry["notes"][:PDF_NOTES],
                        "summary": entry["summary"].text if entry["summary"] else "",
                    }
                    for entry in themes
                    if not entry["table"].removed or entry["notes"]
                ],
            }
        )
    return entries


def formats_part(project):
    """The learning formats named in each reflection round, oldest round first."""
    activities = started(project, LiveActivity.Kind.REFLECTION)
    meetings = meeting_of_activities(activities)
    counts = {activity.pk: Counter() for activity in activities}
    answers = Counter()
    for activity_id, formats in Answer.objects.filter(activity__in=activities).values_list(
        "activity_id", "formats"
    ):
        counts[activity_id].update(formats)
        answers[activity_id] += 1

    def when(activity):
        meeting = meetings.get(activity.pk)
        return meeting.starts_on if meeting else timezone.localdate(activity.created_at)

    activities.sort(key=lambda activity: (when(activity), activity.pk))
    choices = LearningFormat.choices
    return table(
        _("Learning formats named in the reflection rounds"),
        [_("Date"), _("Meeting"), _("Round"), _("Answers"), *[str(label) for _v, label in choices]],
        [
            [
                when(activity).isoformat(),
                meetings[activity.pk].title if activity.pk in meetings else "",
                activity.title,
                answers[activity.pk],
                *[counts[activity.pk][value] for value, _label in choices],
            ]
            for activity in activities
        ],
    )


def transposed(entry):
    """The learning formats table turned on its side for print: a row per format, a column
    per round (its date), so that many formats fit across a page."""
    rounds = entry["rows"]
    return table(
        entry["caption"],
        [_("Learning format"), *[f"{row[0]} {row[2]}" for row in rounds]],
        [
            [entry["columns"][index], *[row[index] for row in rounds]]
            for index in range(3, len(entry["columns"]))
        ],
    )


def surveys_part(project):
    language = get_language()
    surveys = list(
        Survey.objects.filter(project=project)
        .exclude(opens_at__isnull=True)
        .select_related("meeting")
        .annotate(response_count=Count("responses"))
        .order_by("opens_at", "pk")
    )
    entries = []
    for survey in surveys:
        questions = list(
            survey.questions.prefetch_related(Prefetch("choices", queryset=Choice.objects.all()))
        )
        results = survey_results(survey, questions, language=language)
        rows = []
        for result in results:
            mean = number(result.mean, 2)
            for bar in result.bars:
                rows.append([result.text, result.answered, mean, bar.label, bar.count, bar.percent])
            for text in result.texts:
                rows.append([result.text, result.answered, "", text, "", ""])
            if not result.bars and not result.texts:
                rows.append([result.text, result.answered, mean, "", "", ""])
        entries.append(
            {
                "survey": survey,
                "title": survey.translated("title", language),
                "stem": f"surveys/{slugify(survey.title)[:50] or 'survey'}-{survey.pk}",
                "table": table(
                    survey.translated("title", language),
                    [_("Question"), _("Answered"), _("Mean"), _("Answer"), _("People"), "%"],
                    rows,
                ),
                "results": results,
            }
        )
    return entries


def collect(project, report=lambda percent: None):
    meetings, meeting_table = meetings_part(project)
    report(15)
    practices, evaluations, criteria, matrix, transfers = practices_part(project)
    report(25)
    cafes = cafes_part(project)
    formats = formats_part(project)
    report(30)
    surveys = surveys_part(project)
    report(35)
    return {
        "project": project,
        "meetings": meetings,
        "meeting_table": meeting_table,
        "practice_table": practices,
        "evaluation_table": evaluations,
        "criteria_table": criteria,
        "matrix": matrix,
        "transfer_table": transfers,
        "cafes": cafes,
        "formats": formats,
        "formats_over_time": transposed(formats),
        "surveys": surveys,
    }


# The files


def combined_pdf(data, report=lambda percent: None):
    zone = zoneinfo.ZoneInfo(data["project"].time_zone)
    html = render_to_string(
        "reports/pack_print.html",
        {**data, "printed_at": timezone.localtime(timezone.now(), zone)},
    )
    # The fetcher reads our own stylesheet by its path; the host of the base URL is never used.
    document = HTML(
        string=html, base_url="http://jointlearn.invalid/", url_fetcher=StaticFilesOnly()
    ).render()
    report(85)
    return document.write_pdf()


def readme(data):
    project = data["project"]
    lines = [
        f"# {project.name}",
        "",
        _("What the project did and learned, exported from JointLearn on %(date)s.")
        % {"date": timezone.localdate().isoformat()},
        "",
        "- project-pack.pdf: " + _("everything below, printed"),
        "- meetings/: " + _("every meeting: its agenda and its attendance"),
        "- practices/: "
        + _("the good practices, their peer evaluations and the transferability matrix"),
        "- practices/transfers.*: " + _("where practices were applied"),
        "- cafe/: " + _("the harvest of every learning café"),
        "- reflections/learning-formats.*: "
        + _("the learning formats named in the reflection rounds, over time"),
        "- surveys/: " + _("the results of every survey"),
        "",
        _("CSV files open in spreadsheets; JSON files keep every detail."),
        _("Hidden notes and the names of evaluators, speakers and respondents are left out."),
    ]
    return "\n".join(lines) + "\n"


def files_of(data):
    files = {"README.md": readme(data).encode()}
    files.update(table_files("meetings/meetings", data["meeting_table"]))
    for entry in data["meetings"]:
        files[f"{entry['stem']}/agenda.md"] = meeting_pack.agenda_markdown(
            entry["meeting"], entry["days"]
        ).encode()
        for path, content in meeting_pack.attendance_files(entry["attendance"]).items():
            files[f"{entry['stem']}/{path}"] = content
    files.update(table_files("practices/practices", data["practice_table"]))
    files.update(table_files("practices/evaluations", data["evaluation_table"]))
    files.update(table_files("practices/transferability-matrix", data["matrix"]))
    files.update(table_files("practices/transfers", data["transfer_table"]))
    for entry in data["cafes"]:
        activity = entry["activity"]
        output = outputs.activity_output(activity)
        if output is not None:
            files.update(outputs.files_of(output, f"cafe/{output.stem}-{activity.pk}"))
    files.update(table_files("reflections/learning-formats", data["formats"]))
    for entry in data["surveys"]:
        files.update(table_files(entry["stem"], entry["table"]))
    return files


def file_name(project):
    return f"{slugify(project.name)[:60] or 'project'}-pack-{timezone.localdate().isoformat()}.zip"


def build(project, *, progress=None):
    """(file name, ZIP bytes) of the project pack. `progress(percent)` hears how far it is."""
    report = progress or (lambda percent: None)
    report(5)
    data = collect(project, report)
    files = files_of(data)
    report(45)
    files["project-pack.pdf"] = combined_pdf(data, report)
    report(95)
    return file_name(project), zip_of(files)
