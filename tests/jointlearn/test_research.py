"""The research export, tested by opening the ZIP's files."""

import csv
import io
import json
import zipfile

from django.urls import reverse

from jointlearn import consent
from jointlearn.research import Redactor, build_export
from meetings.models import Registration
from practices import services as practice_services
from surveys import services as survey_services

from ..factories import add_member, make_organisation, make_user
from ..meetings.factories import make_meeting
from ..practices.helpers import practices_world
from ..surveys.factories import answers_for, make_survey


def open_zip(content):
    archive = zipfile.ZipFile(io.BytesIO(content))
    files = {name: archive.read(name).decode("utf-8") for name in archive.namelist()}
    tables = {
        name.removesuffix(".csv"): list(csv.DictReader(io.StringIO(text)))
        for name, text in files.items()
        if name.endswith(".csv") and name != "codebook.csv"
    }
    return files, tables


def agree(project, *people, given=True):
    for person in people:
        consent.record_decision(project=project, user=person, given=given, context="profile")


def test_export_holds_only_consenting_people_and_no_names(project, coordinator):
    sweden = make_organisation(project, name="Piteå kommun", country="SE")
    lotte = add_member(project, user=make_user(display_name="Lotte Peeters", email="lotte@eva.be"))
    erik = add_member(
        project,
        organisation=sweden,
        user=make_user(display_name="Erik Lindström", email="erik@pitea.se"),
    )
    agree(project, lotte)
    agree(project, erik, given=False)
    meeting = make_meeting(project)
    named = make_survey(project, meeting=meeting, title="Named feedback")
    anonymous = make_survey(project, anonymous=True, title="Anonymous follow-up")
    for survey in (named, anonymous):
        survey_services.submit_response(
            survey=survey,
            user=erik,
            answers=answers_for(survey, text="ERIKSSECRETWORDS about Piteå"),
        )
        survey_services.submit_response(
            survey=survey,
            user=lotte,
            answers=answers_for(
                survey,
                text="As Erik Lindström said, and erik@pitea.se wrote, Erik knows best. "
                "Ask Lotte Peeters (lotte@eva.be).",
            ),
        )
    Registration.objects.create(meeting=meeting, user=lotte, status="confirmed")
    Registration.objects.create(meeting=meeting, user=erik, status="confirmed")

    export = build_export(project=project)
    files, tables = open_zip(export.content)
    everything = "\n".join(files.values())
    assert export.people == 1
    assert {"README.txt", "codebook.csv", "codebook.json", "participants.csv"} <= set(files)
    assert "attendance.csv" in files and "evaluations.csv" in files
    # The non-consenting person's words, name and address appear nowhere.
    for secret in ("ERIKSSECRETWORDS", "Erik", "Lindström", "erik@pitea.se"):
        assert secret not in everything, secret
    # The consenting person's own name and address are replaced by their pseudonym.
    assert "Lotte" not in everything and "lotte@eva.be" not in everything
    (person,) = tables["participants"]
    pseudonym = person["person"]
    assert pseudonym.startswith("P-")
    named_rows = tables[f"survey_{named.pk}"]
    assert len(named_rows) == 1 and named_rows[0]["person"] == pseudonym
    assert named_rows[0]["q5"] == (
        f"As [name] said, and [name] wrote, [name] knows best. Ask {pseudonym} ({pseudonym})."
    )
    assert named_rows[0]["q1"] == "4" and named_rows[0]["q4_1"] == "1"
    anonymous_rows = tables[f"survey_{anonymous.pk}"]
    assert len(anonymous_rows) == 1 and anonymous_rows[0]["person"] == ""
    assert [row["person"] for row in tables["attendance"]] == [pseudonym]
    codebook = json.loads(files["codebook.json"])
    q1 = next(v for v in codebook if v["table"] == f"survey_{named.pk}" and v["variable"] == "q1")
    assert q1["question"] == "How useful was the seminar?" and q1["type"] == "integer"
    assert q1["values"] == "1–5 (1 = not at all, 5 = very)"
    assert set(codebook[0]) == {
        "table",
        "variable",
        "type",
        "description",
        "values",
        "question",
        "source",
    }
    assert len(list(csv.DictReader(io.StringIO(files["codebook.csv"])))) == len(codebook)


def test_withdrawn_consent_removes_anonymous_answers_too(project, participant):
    survey = make_survey(project, anonymous=True)
    survey_services.submit_response(
        survey=survey, user=participant, answers=answers_for(survey, text="MYWORDS")
    )
    agree(project, participant)
    assert (
        "MYWORDS" in open_zip(build_export(project=project).content)[0][f"survey_{survey.pk}.csv"]
    )
    agree(project, participant, given=False)
    assert "MYWORDS" not in "".join(open_zip(build_export(project=project).content)[0].values())


def test_pseudonyms_are_stable_inside_an_export_and_new_in_the_next(project, participant):
    agree(project, participant)
    meeting = make_meeting(project)
    Registration.objects.create(meeting=meeting, user=participant, status="confirmed")
    first = open_zip(build_export(project=project).content)[1]
    second = open_zip(build_export(project=project).content)[1]
    assert first["participants"][0]["person"] == first["attendance"][0]["person"]
    assert first["participants"][0]["person"] != second["participants"][0]["person"]


def test_evaluations_of_consenting_people_with_names_removed(project, coordinator):
    world = practices_world(project, coordinator)
    practice = project.practices.get(pk=world["practice_id"])
    evaluator = add_member(
        project, organisation=make_organisation(project, name="Abroad", country="SE")
    )
    practice_services.submit_evaluation(
        practice=practice,
        evaluator=evaluator,
        scores={c.pk: 4 for c in project.criteria.all()},
        transferability=3,
        strengths=f"Great, said {coordinator.display_name}.",
    )
    agree(project, evaluator)
    rows = open_zip(build_export(project=project).content)[1]["evaluations"]
    assert len(rows) == 1
    assert rows[0]["strengths"] == "Great, said [name]."
    assert rows[0]["transferability"] == "3" and rows[0]["evaluator_country"] == "SE"


def test_export_with_nobody_consenting_is_an_empty_set(client, project, coordinator):
    survey = make_survey(project)
    survey_services.submit_response(survey=survey, user=coordinator, answers=answers_for(survey))
    client.force_login(coordinator)
    page = client.get(reverse("research_page", args=[project.slug])).content.decode()
    assert "Nobody has agreed yet" in page
    response = client.post(reverse("research_export", args=[project.slug]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    files, tables = open_zip(response.content)
    assert "Nobody in the project has agreed to research use" in files["README.txt"]
    assert all(rows == [] for rows in tables.values())
    assert files[f"survey_{survey.pk}.csv"].startswith("response,person,country,answered_on,q1")


def test_redactor_leaves_ordinary_words_alone():
    redact = Redactor([(1, "Li Ann", "li@x.org"), (2, "Sanna Mäki", "s@x.fi")], {1: "P-1"})
    assert redact("Li Ann met Sanna and SANNA MÄKI in Tampere; mail s@x.fi or a@b.com") == (
        "P-1 met [name] and [name] in Tampere; mail [name] or [name]"
    )
    assert redact("Lightning") == "Lightning"
