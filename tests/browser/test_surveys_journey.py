"""Journey of surveys: a coordinator builds a feedback survey with every kind of question, a
member answers it on a phone, the coordinator reads the results and downloads the CSV and the
research export, whose ZIP the test opens."""

import csv
import io
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from jointlearn import consent
from jointlearn.models import Role, hash_token
from surveys import services as survey_services
from surveys.models import Response, SurveyLink

from ..factories import add_member, make_project, make_user
from ..meetings.factories import make_meeting
from .conftest import LAPTOP, PHONE
from .test_foundation_journey import sign_in

pytestmark = pytest.mark.browser


def add_question(page, kind, text, *, required=False, low="", high="", choices=()):
    form = page.locator("form.question-form")
    form.get_by_label("Kind of question").select_option(label=kind)
    form.get_by_label("Question", exact=True).fill(text)
    if required:
        form.get_by_label("An answer is required").check()
    if low:
        form.get_by_label("Label of the lowest number").fill(low)
        form.get_by_label("Label of the highest number").fill(high)
    if choices:
        form.get_by_label("Choices").fill("\n".join(choices))
    form.get_by_role("button", name="Add question").click()
    expect(page.get_by_text(f"The question “{text}” has been added.")).to_be_visible()


def test_coordinator_builds_member_answers_coordinator_exports(live, browser, screenshot):
    aino = make_user(email="aino@example.org", display_name="Aino Virtanen")
    project = make_project(creator=aino, slug="eme", name="Empowering Migrants for Employment")
    samira = add_member(
        project,
        role=Role.PARTICIPANT,
        user=make_user(email="samira@example.org", display_name="Samira Haddad"),
    )
    erik = add_member(
        project,
        role=Role.PARTICIPANT,
        user=make_user(email="erik@example.org", display_name="Erik Lindström"),
    )
    consent.record_decision(project=project, user=samira, given=True, context="joining")
    consent.record_decision(project=project, user=erik, given=False, context="joining")
    meeting = make_meeting(project, title="Seminar in Tampere")

    coordinator = browser.new_context(viewport=LAPTOP, timezone_id="Europe/Helsinki")
    page = coordinator.new_page()
    sign_in(page, live, "aino@example.org")
    page.goto(f"{live}/p/eme/")
    page.get_by_role("navigation", name="Project").get_by_role("link", name="Surveys").click()
    expect(page.get_by_text("No surveys yet.")).to_be_visible()
    page.get_by_role("link", name="New survey").click()
    page.get_by_label("Title").fill("Feedback on the Tampere seminar")
    page.get_by_label("Introduction").fill("Five short questions about the three days.")
    page.get_by_label("Feedback on the meeting").select_option(label="Seminar in Tampere")
    page.get_by_role("button", name="Create survey").click()
    expect(page.get_by_text("The survey has been created.")).to_be_visible()

    # Fields that do not fit the kind of question are hidden.
    form = page.locator("form.question-form")
    expect(form.get_by_label("Choices")).to_be_hidden()
    add_question(
        page,
        "Scale from 1 to 5",
        "How useful was the seminar?",
        required=True,
        low="not useful",
        high="very useful",
    )
    add_question(page, "Scale from 0 to 10", "Would you recommend it?")
    add_question(page, "One choice", "Which day was best?", choices=["Day 1", "Day 2", "Day 3"])
    add_question(
        page,
        "Several choices",
        "What helped you learn?",
        choices=["Study visit", "Pitches", "Learning café"],
    )
    add_question(page, "Open answer", "What will you take home?")
    # Keyboard-friendly reordering: the open question moves up one place.
    page.locator("#question-5 ~ li, li", has_text="What will you take home?").get_by_role(
        "button", name="Move up"
    ).click()
    questions = page.locator(".question-card__text")
    expect(questions.nth(3)).to_have_text("What will you take home?")

    page.get_by_role("link", name="Translate into Finnish").click()
    page.get_by_label("Feedback on the Tampere seminar").fill("Palaute Tampereen seminaarista")
    page.get_by_label("How useful was the seminar?").fill("Kuinka hyödyllinen seminaari oli?")
    page.get_by_role("button", name="Save translation").click()
    expect(page.get_by_text("The Finnish translation has been saved.")).to_be_visible()
    page.get_by_role("button", name="Open the survey now").click()
    expect(page.get_by_text("The survey is open")).to_be_visible()
    screenshot(page, "survey-builder-1280")

    # Samira answers on her phone, from the meeting page.
    phone = browser.new_context(viewport=PHONE, timezone_id="Europe/Helsinki")
    mobile = phone.new_page()
    sign_in(mobile, live, "samira@example.org")
    mobile.goto(f"{live}{meeting.get_absolute_url()}")
    mobile.get_by_role("link", name="Give feedback: Feedback on the Tampere seminar").click()
    expect(mobile.get_by_role("heading", name="Feedback on the Tampere seminar")).to_be_visible()
    mobile.get_by_role("group", name="Would you recommend it?").get_by_role(
        "radio", name="9", exact=True
    ).check()
    mobile.get_by_label("Pitches").check()
    mobile.get_by_label("Learning café").check()
    mobile.get_by_label("What will you take home?").fill(
        "Pitching in pairs; as Erik Lindström said, it makes asking easy."
    )
    mobile.get_by_role("button", name="Send my answers").click()
    # The required scale was left empty: a clear message, the other answers kept.
    expect(mobile.get_by_text("This question needs an answer.")).to_be_visible()
    expect(mobile.get_by_label("What will you take home?")).to_have_value(
        "Pitching in pairs; as Erik Lindström said, it makes asking easy."
    )
    expect(mobile.get_by_label("Learning café")).to_be_checked()
    screenshot(mobile, "survey-answer-error-390")
    mobile.get_by_role("group", name="How useful was the seminar?").get_by_role(
        "radio", name="4", exact=True
    ).check()
    mobile.get_by_role("group", name="Which day was best?").get_by_role(
        "radio", name="Day 2"
    ).check()
    mobile.get_by_role("button", name="Send my answers").click()
    expect(mobile.get_by_text("Thank you! Your answers have been saved.")).to_be_visible()
    mobile.goto(f"{live}/p/eme/surveys/")
    expect(mobile.get_by_text("answered")).to_be_visible()
    mobile.get_by_role("link", name="Change my answers").click()
    expect(mobile.get_by_role("button", name="Save my changes")).to_be_visible()
    screenshot(mobile, "survey-answer-390")
    assert Response.objects.count() == 1

    # The coordinator reads the results and downloads the CSV and the research export.
    page.reload()
    page.get_by_role("link", name="Results (1 response)").click()
    expect(
        page.get_by_role("heading", name="Results: Feedback on the Tampere seminar")
    ).to_be_visible()
    expect(page.locator("svg.chart")).to_have_count(4)
    expect(page.get_by_text("Pitching in pairs")).to_be_visible()
    screenshot(page, "survey-results-1280")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download CSV").click()
    text = Path(download_info.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1][2] == "Samira Haddad" and rows[1][4] == "4"

    page.goto(f"{live}/p/eme/research/")
    expect(page.get_by_text("1 of 3 members agreed to research use.")).to_be_visible()
    screenshot(page, "research-1280")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download the research export (ZIP)").click()
    archive = zipfile.ZipFile(download_info.value.path())
    files = {name: archive.read(name).decode("utf-8") for name in archive.namelist()}
    everything = "\n".join(files.values())
    assert "codebook.json" in files and "participants.csv" in files
    survey_table = next(name for name in files if name.startswith("survey_"))
    (row,) = list(csv.DictReader(io.StringIO(files[survey_table])))
    assert row["q1"] == "4" and row["person"].startswith("P-")
    assert "as [name] said" in row["q4"]
    for name in ("Samira", "Erik", "Lindström", "samira@example.org"):
        assert name not in everything

    # Samira withdraws her consent from her profile, at any time.
    mobile.goto(f"{live}/accounts/profile/")
    expect(mobile.get_by_text("You agreed on")).to_be_visible()
    screenshot(mobile, "profile-consent-390")
    mobile.get_by_role("button", name="Withdraw consent").click()
    expect(mobile.get_by_text("Your consent for Empowering Migrants")).to_be_visible()
    assert consent.consenting_user_ids(project) == set()
    coordinator.close()
    phone.close()


def test_follow_up_answered_through_the_personal_link_without_signing_in(live, browser, screenshot):
    aino = make_user(email="aino@example.org", display_name="Aino Virtanen")
    project = make_project(creator=aino, slug="eme", name="Empowering Migrants for Employment")
    lotte = add_member(
        project,
        role=Role.PARTNER,
        user=make_user(
            email="lotte@example.org", display_name="Lotte Peeters", preferred_language="nl"
        ),
    )
    survey = survey_services.save_survey(
        project=project, title="Six months on", intro="Three questions, five minutes."
    )
    survey_services.save_question(
        survey=survey,
        kind="single",
        text="Have you applied a practice?",
        required=True,
        choices=["Yes", "Not yet"],
    )
    survey_services.save_translation(
        survey=survey, language="nl", texts={"title": "Zes maanden later"}
    )
    survey = survey_services.set_survey_open(survey=survey, is_open=True)
    tokens = {}
    survey_services.send_links(
        survey=survey,
        build_url=lambda s, token: tokens.setdefault(len(tokens), token),
    )
    token = next(
        t
        for t in tokens.values()
        if SurveyLink.objects.filter(user=lotte, token_hash=hash_token(t)).exists()
    )
    phone = browser.new_context(viewport=PHONE)
    page = phone.new_page()
    page.goto(f"{live}/surveys/{survey.pk}/{token}/")
    expect(page.get_by_role("heading", name="Zes maanden later")).to_be_visible()
    page.get_by_role("radio", name="Yes").check()
    page.get_by_role("button", name="Mijn antwoorden versturen").click()
    expect(page.get_by_text("Dank je! Je antwoorden zijn opgeslagen.")).to_be_visible()
    assert Response.objects.get().user == lotte
    screenshot(page, "survey-link-390")
    SurveyLink.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    page.goto(f"{live}/surveys/{survey.pk}/{token}/")
    # Nothing says whose link it was, so the page speaks the browser's language.
    expect(page.get_by_text("This survey link has expired.")).to_be_visible()
    screenshot(page, "survey-link-expired-390")
    phone.close()
