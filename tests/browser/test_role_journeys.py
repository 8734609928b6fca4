"""One journey per role, each from an almost empty database: what is set up first is said
at the top of each test. The participant's journey by keyboard only is
test_keyboard_journey.py."""

import re
import zipfile

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from jointlearn.models import Invitation, Organisation, Role
from jointlearn.services import invite_member
from meetings import services as meeting_services
from meetings.models import AgendaItem, Meeting
from practices.models import Assignment, Evaluation, Practice, Transfer

from ..factories import PASSWORD, add_member, make_project, make_user
from .conftest import LAPTOP, PHONE
from .test_foundation_journey import add_organisation, invitation_link, sign_in
from .test_meetings_journey import add_agenda_item
from .test_practices_journey import photo

pytestmark = pytest.mark.browser


def evaluate(page, title, *, strengths, changes):
    page.goto(page.url.split("/p/")[0] + "/p/eme/practices/")
    page.get_by_role("link", name=title).click()
    page.get_by_role("link", name="Evaluate").click()
    for fieldset in page.locator("fieldset.scale-field").all():
        fieldset.locator("label.scale__option").nth(3).click()
    page.get_by_label("Strengths").fill(strengths)
    page.get_by_label("What would need to change").fill(changes)
    page.get_by_role("button", name="Save evaluation").click()
    expect(page.get_by_text("Thank you: your evaluation has been saved.")).to_be_visible()


def test_partner_journey(live, browser, screenshot, tmp_path):
    """Set up first: a project with a Finnish coordinator, partners in Sweden and Germany
    who published one practice each, and an invitation for Lotte of EVA bxl in Belgium."""
    project = make_project(name="Empowering Migrants for Employment", slug="eme")
    coordinator = project.memberships.get().user
    # Straight to the tables: the services would broadcast from Playwright's event loop.
    eva = Organisation.objects.create(project=project, name="EVA bxl", country="BE")
    for name, country, title in [
        ("Piteå kommun", "SE", "Language mentors at the workplace"),
        ("Evonik", "DE", "Start into a Job"),
    ]:
        organisation = Organisation.objects.create(project=project, name=name, country=country)
        author = make_user()
        add_member(project, organisation=organisation, user=author)
        Practice.objects.create(
            project=project,
            organisation=organisation,
            title=title,
            summary=f"{title}: a practice of {name}.",
            status=Practice.Status.PUBLISHED,
            created_by=author,
            updated_by=author,
        )
    links = []
    invite_member(
        project=project,
        email="lotte@example.org",
        role=Role.PARTNER,
        organisation=eva,
        invited_by=coordinator,
        build_accept_url=lambda token: links.append(f"{live}/invitations/{token}/") or links[-1],
    )

    # Lotte accepts the invitation on her laptop.
    context = browser.new_context(viewport=LAPTOP, timezone_id="Europe/Brussels")
    page = context.new_page()
    page.goto(links[0])
    page.get_by_label("Your name").fill("Lotte Peeters")
    page.get_by_label("Choose a password").fill(PASSWORD)
    page.get_by_label("Type the password again").fill(PASSWORD)
    page.get_by_role("button", name="Create account and join").click()
    expect(page.get_by_text("Welcome to Empowering Migrants for Employment.")).to_be_visible()
    assert Invitation.objects.get().accepted_at is not None

    # She submits her organisation's practice with a picture.
    page.get_by_role("navigation", name="Project").get_by_role("link", name="Practices").click()
    page.get_by_role("link", name="Add a practice").first.click()
    page.get_by_label("Title").fill("Culturally sensitive care ambassadors")
    page.get_by_label("Summary").fill(
        "Migrant women with informal care experience train as care ambassadors."
    )
    page.get_by_label("Themes", exact=True).fill("care, validation")
    page.get_by_label("Add pictures").set_input_files(str(photo(tmp_path)))
    page.get_by_label("What the new pictures show").fill("Ambassadors in training")
    page.get_by_label("Published").check()
    page.get_by_role("button", name="Save practice").click()
    expect(page.get_by_text("The practice has been saved.")).to_be_visible()
    screenshot(page, "partner-practice-1280")
    own = Practice.objects.get(organisation=eva)
    assert own.pictures.count() == 1 and own.created_by.email == "lotte@example.org"

    # She evaluates the Swedish and the German practice; her own has no Evaluate button.
    expect(page.get_by_role("link", name="Evaluate")).to_have_count(0)
    evaluate(
        page,
        "Language mentors at the workplace",
        strengths="Mentors are colleagues, not teachers.",
        changes="Belgian employers would need a subsidy for the mentor's time.",
    )
    evaluate(
        page,
        "Start into a Job",
        strengths="A real job contract from the first day.",
        changes="Works with large employers; Brussels has mostly small ones.",
    )
    screenshot(page, "partner-evaluated-1280")
    assert set(Evaluation.objects.values_list("practice__organisation__country", flat=True)) == {
        "SE",
        "DE",
    }
    assert set(Evaluation.objects.values_list("country", flat=True)) == {"BE"}

    # On her phone, she records that EVA applied the Swedish mentors.
    phone_context = browser.new_context(viewport=PHONE, timezone_id="Europe/Brussels")
    phone = phone_context.new_page()
    phone.goto(f"{live}/accounts/login/")
    phone.get_by_label("Email address").fill("lotte@example.org")
    phone.get_by_label("Password").fill(PASSWORD)
    phone.get_by_role("button", name="Sign in").click()
    phone.goto(f"{live}/p/eme/practices/")
    phone.get_by_role("link", name="Language mentors at the workplace").click()
    phone.get_by_role("link", name="We applied this").click()
    phone.get_by_label("What did you adapt?").fill(
        "Mentors from our own volunteers, in French and Dutch."
    )
    phone.get_by_label("When did you start?").fill("2019-09-01")
    phone.get_by_label("Outcome so far").fill("Twelve mentor pairs in the first year.")
    screenshot(phone, "partner-transfer-390")
    phone.get_by_role("button", name="Record transfer").click()
    expect(phone.get_by_text("Twelve mentor pairs in the first year.")).to_be_visible()
    screenshot(phone, "partner-transfer-recorded-390")
    transfer = Transfer.objects.get()
    assert (transfer.organisation, transfer.practice.title) == (
        eva,
        "Language mentors at the workplace",
    )
    context.close()
    phone_context.close()


def accept_invitation(browser, live, mail_dir, name):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(invitation_link(mail_dir))
    page.get_by_label("Your name").fill(name)
    page.get_by_label("Choose a password").fill(PASSWORD)
    page.get_by_label("Type the password again").fill(PASSWORD)
    page.get_by_role("button", name="Create account and join").click()
    expect(page.get_by_text("Welcome to Empowering Migrants for Employment.")).to_be_visible()
    context.close()


def add_practice(page, title, organisation):
    page.goto(page.url.split("/p/")[0] + "/p/eme/practices/")
    page.get_by_role("link", name="Add a practice").first.click()
    page.get_by_label("Title").fill(title)
    page.get_by_label("Organisation").select_option(label=organisation)
    page.get_by_label("Summary").fill(f"{title}, in a paragraph.")
    page.get_by_label("Published").check()
    page.get_by_role("button", name="Save practice").click()
    expect(page.get_by_text("The practice has been saved.")).to_be_visible()


def test_coordinator_journey(live, browser, mail_dir, screenshot):
    """Set up first: Aino's account, nothing else."""
    make_user(email="aino@example.org", display_name="Aino Virtanen")
    context = browser.new_context(viewport=LAPTOP, timezone_id="Europe/Helsinki")
    page = context.new_page()
    sign_in(page, live, "aino@example.org")

    # A project with organisations in three countries.
    page.get_by_role("link", name="New project").click()
    page.get_by_label("Name").fill("Empowering Migrants for Employment")
    page.get_by_label("Short address").fill("eme")
    page.get_by_role("textbox", name="Your organisation").fill("Työväen Sivistysliitto TSL")
    page.get_by_label("Country of your organisation").select_option(label="Finland")
    page.get_by_role("button", name="Create project").click()
    nav = page.get_by_role("navigation", name="Project")
    nav.get_by_role("link", name="Organisations").click()
    add_organisation(page, "EVA bxl", "Belgium")
    add_organisation(page, "Piteå kommun", "Sweden")

    # Members from Belgium and Sweden, invited by email; they accept on their phones.
    for email, organisation, name in [
        ("lotte@example.org", "EVA bxl", "Lotte Peeters"),
        ("erik@example.org", "Piteå kommun", "Erik Lindström"),
    ]:
        nav.get_by_role("link", name="Members").click()
        invite = page.get_by_role("region", name="Invite someone")
        invite.get_by_label("Email address").fill(email)
        invite.get_by_label("Role").select_option("partner")
        invite.get_by_label("Organisation").select_option(label=organisation)
        invite.get_by_role("button", name="Send invitation").click()
        expect(page.get_by_text(f"An invitation has been sent to {email}.")).to_be_visible()
        accept_invitation(browser, live, mail_dir, name)
    page.reload()
    screenshot(page, "coordinator-members-1280")

    # A seminar with an agenda.
    nav.get_by_role("link", name="Meetings").click()
    page.get_by_role("link", name="New meeting").click()
    page.get_by_label("Title").fill("Seminar in Tampere")
    page.get_by_label("Status").select_option(label="Published")
    page.get_by_label("Time zone").select_option("Europe/Helsinki")
    page.get_by_label("First day").fill("2030-03-12")
    page.get_by_label("Last day").fill("2030-03-13")
    page.get_by_role("button", name="Create meeting").click()
    expect(page.get_by_role("heading", name="Plan the agenda")).to_be_visible()
    add_agenda_item(page, "Lecture", "Recognising prior learning in Finland", 60)
    add_agenda_item(page, "Learning café", "Learning café on guidance", 90)
    screenshot(page, "coordinator-agenda-1280")
    meeting = Meeting.objects.get()
    assert [item.title for item in meeting.days.first().items.all()] == [
        "Recognising prior learning in Finland",
        "Learning café on guidance",
    ]

    # Practices of Belgium and Finland, then an evaluation round across countries.
    add_practice(page, "Culturally sensitive care ambassadors", "EVA bxl")
    add_practice(page, "Ohjaamo one-stop guidance", "Työväen Sivistysliitto TSL")
    nav.get_by_role("link", name="Practices").click()
    page.get_by_role("navigation", name="Practice library").get_by_role(
        "link", name="Evaluation rounds"
    ).click()
    page.get_by_label("Name", exact=True).fill("Spring round")
    page.get_by_label("Culturally sensitive care ambassadors (EVA bxl)").check()
    page.get_by_label("Ohjaamo one-stop guidance (Työväen Sivistysliitto TSL)").check()
    page.get_by_label("Deadline").fill("2030-04-30T16:00")
    page.get_by_label("Reviewers per practice").fill("1")
    page.get_by_role("button", name="Open round").click()
    expect(page.get_by_role("heading", name="Spring round")).to_be_visible()
    screenshot(page, "coordinator-round-1280")
    assignments = Assignment.objects.select_related("practice__organisation", "reviewer")
    assert assignments.count() == 2
    for assignment in assignments:
        reviewer_country = assignment.reviewer.memberships.get().organisation.country
        assert reviewer_country != assignment.practice.organisation.country

    # The dashboard, filtered to one country.
    nav.get_by_role("link", name="Dashboard").click()
    expect(page.get_by_role("heading", name="Practices")).to_be_visible()
    screenshot(page, "coordinator-dashboard-1280")

    # The project pack, built off the request, then downloaded.
    page.get_by_role("link", name="Project pack").click()
    page.get_by_role("button", name="Build the project pack").click()
    download = page.get_by_role("link", name="Download the project pack")
    expect(download).to_be_visible(timeout=120_000)
    with page.expect_download() as info:
        download.click()
    with zipfile.ZipFile(info.value.path()) as archive:
        names = archive.namelist()
        assert archive.read("project-pack.pdf").startswith(b"%PDF")
        everything = "".join(
            archive.read(name).decode() for name in names if name.endswith((".csv", ".md"))
        )
    assert "Culturally sensitive care ambassadors" in everything
    assert "Seminar in Tampere" in everything
    context.close()


def join_from_the_agenda(phone, live, meeting_path, title):
    phone.goto(f"{live}{meeting_path}")
    phone.get_by_role("link", name=re.compile(rf"^Join\s*: {re.escape(title)}")).click()
    expect(phone.locator("[data-live-status]")).to_have_text("Live")


def prepare_and_open(page, title, kind=None):
    if kind is not None:
        page.locator(".agenda-item", has_text=title).get_by_label("Live activity").select_option(
            label=kind
        )
    # "Prepare", or "Prepare: <kind>" where only one kind fits; the item's title follows.
    page.get_by_role("button", name=re.compile(rf"^Prepare.*: {re.escape(title)}$")).click()
    expect(page.get_by_text(f"{title} is prepared.")).to_be_visible()
    page.get_by_role("button", name=re.compile(rf"^Open\s*: {re.escape(title)}")).click()
    expect(page.get_by_text("Facilitator's console")).to_be_visible()
    expect(page.locator("[data-live-status]")).to_have_text("Live")


def test_facilitator_journey(live, browser, screenshot):
    """Set up first: a project with a facilitator and two participants from Finland and
    Belgium, and today's seminar whose agenda has an icebreaker, a learning café and a
    closing reflection round."""
    project = make_project(slug="eme", name="Empowering Migrants for Employment")
    facilitator = make_user(email="fatima@example.org", display_name="Fatima Facilitator")
    add_member(project, user=facilitator, role=Role.FACILITATOR)
    for email, name, country in [
        ("amina@example.org", "Amina Yusuf", "FI"),
        ("bram@example.org", "Bram Claes", "BE"),
    ]:
        organisation = Organisation.objects.create(
            project=project, name=f"Partner in {country}", country=country
        )
        add_member(
            project,
            role=Role.PARTICIPANT,
            organisation=organisation,
            user=make_user(email=email, display_name=name),
        )
    today = timezone.localdate()
    meeting = meeting_services.create_meeting(
        project=project,
        title="Seminar in Tampere",
        kind=Meeting.Kind.FACE_TO_FACE,
        time_zone="Europe/Helsinki",
        starts_on=today,
        ends_on=today,
        status=Meeting.Status.PUBLISHED,
    )
    day = meeting.days.get()
    for title, kind in [
        ("Where do we come from?", AgendaItem.Kind.ICEBREAKER),
        ("Café on guidance", AgendaItem.Kind.LEARNING_CAFE),
        ("Closing round", AgendaItem.Kind.REFLECTION_ROUND),
    ]:
        meeting_services.add_item(day=day, title=title, duration=30, kind=kind)
    meeting_path = meeting.get_absolute_url()

    laptop = browser.new_context(viewport=LAPTOP)
    console = laptop.new_page()
    sign_in(console, live, "fatima@example.org")
    phones = []
    for email in ("amina@example.org", "bram@example.org"):
        phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
        sign_in(phone, live, email)
        phones.append(phone)

    # The icebreaker: a word wall, prepared and opened from the agenda.
    console.goto(f"{live}{meeting_path}")
    prepare_and_open(console, "Where do we come from?", "Check-in word wall")
    for phone, word in zip(phones, ["Curious", "Tired"], strict=True):
        join_from_the_agenda(phone, live, meeting_path, "Where do we come from?")
        phone.get_by_label("Your word", exact=True).fill(word)
        phone.get_by_role("button", name="Post").click()
    expect(console.locator("[data-moderation]")).to_contain_text("curious", ignore_case=True)
    expect(console.locator("[data-moderation]")).to_contain_text("tired", ignore_case=True)

    # The café: opened from the agenda, its two tables set up, three rounds.
    console.goto(f"{live}{meeting_path}")
    prepare_and_open(console, "Café on guidance")
    console.get_by_role("link", name="Change the set-up").click()
    rows = console.locator(".table-row")
    rows.nth(0).get_by_label("Theme").fill("Peer tutoring")
    rows.nth(1).get_by_label("Theme").fill("The employer's perspective")
    console.get_by_label("Rounds", exact=True).fill("3")
    console.get_by_role("button", name=re.compile("^Save")).click()
    expect(console.get_by_text("Facilitator's console")).to_be_visible()
    for phone in phones:
        join_from_the_agenda(phone, live, meeting_path, "Café on guidance")
        phone.get_by_role("button", name="Check in").click()
        expect(phone.get_by_role("heading", name="You are checked in.")).to_be_visible()
    console.get_by_role("button", name="Start the café").click()
    phones[0].get_by_label("Your note").fill("A tutor who came the same way is believed.")
    phones[0].get_by_role("button", name="Post the note").click()
    expect(console.locator("[data-notes] .note__text")).to_have_count(1)
    for round_number in (2, 3):
        console.get_by_role("button", name="End the round now").click()
        console.get_by_role("button", name="Next round: everyone moves").click()
        expect(console.locator("[data-round]")).to_have_text(f"Round {round_number} of 3")
        for phone in phones:
            expect(phone.locator("[data-round]")).to_have_text(f"Round {round_number} of 3")
    console.once("dialog", lambda dialog: dialog.accept())
    console.get_by_role("button", name="End the café").click()
    for phone in phones:
        expect(phone.get_by_role("heading", name="The café has ended. Thank you!")).to_be_visible()

    # The closing round: both say they are here and answer; the facilitator runs the order.
    console.goto(f"{live}{meeting_path}")
    prepare_and_open(console, "Closing round")
    for phone, text in zip(
        phones,
        ["Talking with the Finnish tutors at the café.", "The study visit showed skills."],
        strict=True,
    ):
        join_from_the_agenda(phone, live, meeting_path, "Closing round")
        phone.get_by_role("button", name="I'm here").click()
        expect(phone.get_by_text("You are on the list. Thank you!")).to_be_visible()
        phone.get_by_label("Answer", exact=True).fill(text)
        phone.get_by_role("button", name="Send my answer").click()
    expect(console.locator("[data-speakers] .speaker")).to_have_count(2)
    console.get_by_role("button", name="Next speaker").click()
    expect(
        console.locator(".answer__text", has_text="The study visit showed skills.")
    ).to_be_visible()
    screenshot(console, "facilitator-reflection-1280")

    # The meeting pack holds every activity the seminar ran.
    console.goto(f"{live}{meeting_path}")
    with console.expect_download() as info:
        console.get_by_role("link", name="Download the meeting pack (ZIP)").click()
    with zipfile.ZipFile(info.value.path()) as archive:
        everything = "".join(
            archive.read(name).decode("utf-8", "replace") for name in archive.namelist()
        )
    for text in [
        "Where do we come from?",
        "A tutor who came the same way is believed.",
        "The study visit showed skills.",
    ]:
        assert text in everything

    # Shared with the participants: members find it on the meeting page, a guest by its link.
    console.get_by_role("button", name="Share the meeting pack").click()
    phones[0].goto(f"{live}{meeting_path}")
    shared = phones[0].get_by_role("region", name="Shared outputs")
    shared.get_by_role("link", name="Meeting pack").click()
    expect(phones[0].get_by_role("link", name="Download the meeting pack (ZIP)")).to_be_visible()
    guest_context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    guest = guest_context.new_page()
    guest.goto(phones[0].url)
    with guest.expect_download() as info:
        guest.get_by_role("link", name="Download the meeting pack (ZIP)").click()
    with zipfile.ZipFile(info.value.path()) as archive:
        shared_text = "".join(
            archive.read(name).decode("utf-8", "replace") for name in archive.namelist()
        )
    assert "A tutor who came the same way is believed." in shared_text
    assert "Amina Yusuf" not in shared_text  # names are left out of what is shared
    screenshot(guest, "facilitator-shared-pack-390")
    for context in [laptop, guest_context, *[phone.context for phone in phones]]:
        context.close()
