"""A walk through the main pages of the demo project in Finnish, Swedish, Dutch and French:
no visible text is left in English. A text is English when it is exactly an English msgid
of our catalogue whose translation in that language differs, unless it is data: what people
wrote is stored in the database (an agenda item called "Check-in word wall", a survey
choice "Lecture") and shown as written. The defaults the app itself stores for a new project
(rubric criteria, target groups) are not data of that kind: they must follow the viewer."""

import gettext
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models

from jointlearn.models import LiveActivity, User
from meetings.models import Meeting
from practices.models import Criterion, Practice, TargetGroup
from surveys.models import Survey

from ..scale.test_workers import cookie_for
from .conftest import LAPTOP

pytestmark = pytest.mark.browser
LOCALE = Path(__file__).resolve().parents[2] / "locale"
LANGUAGES = ("fi", "sv", "nl", "fr")
# The visible text of a page: text nodes that are rendered, placeholders and button values.
VISIBLE_TEXT = """() => {
  const texts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const element = walker.currentNode.parentElement;
    if (!element || element.closest("script, style, noscript, template")) continue;
    if (!element.getClientRects().length) continue;
    if (getComputedStyle(element).visibility === "hidden") continue;
    texts.push(walker.currentNode.textContent);
  }
  for (const field of document.querySelectorAll("[placeholder]")) texts.push(field.placeholder);
  for (const button of document.querySelectorAll("input[type=submit], input[type=button]")) {
    texts.push(button.value);
  }
  return texts.map((text) => text.replace(/\\s+/g, " ").trim()).filter(Boolean);
}"""


LIVE = """() => {
  const status = document.querySelector("[data-live-status]");
  return status !== null && status.textContent.trim() === status.dataset.labelLive;
}"""


def english(language):
    """The catalogue's English msgids that read differently in `language`."""
    with open(LOCALE / language / "LC_MESSAGES" / "django.mo", "rb") as catalogue:
        messages = gettext.GNUTranslations(catalogue)._catalog
    return {
        msgid.strip()
        for msgid, text in messages.items()
        if isinstance(msgid, str) and msgid.strip() and text.strip() != msgid.strip()
    }


def written_by_people():
    """Every text stored in the database, but the defaults the app stores itself."""
    texts = set()
    for model in apps.get_models():
        if model in (Criterion, TargetGroup):
            continue
        fields = [
            field.name
            for field in model._meta.concrete_fields
            if isinstance(field, models.CharField | models.TextField)
        ]
        for row in model.objects.values_list(*fields) if fields else ():
            texts.update(value.strip() for value in row if isinstance(value, str))
    return texts


def main_pages():
    call_command("seed_demo", "--accounts", stdout=open("/dev/null", "w"))  # noqa: SIM115
    practice = Practice.objects.filter(project__slug="eme").order_by("pk").first()
    meeting = Meeting.objects.filter(project__slug="eme").order_by("pk").first()
    live = LiveActivity.objects.filter(project__slug="eme").order_by("pk")
    cafe = live.filter(kind=LiveActivity.Kind.CAFE).first()
    wall = live.filter(kind=LiveActivity.Kind.WORD_WALL).first()
    survey = Survey.objects.filter(project__slug="eme").order_by("pk").first()
    pages = [
        "/p/eme/",
        "/p/eme/practices/",
        f"/p/eme/practices/{practice.pk}/",
        "/p/eme/meetings/",
        f"/p/eme/meetings/{meeting.pk}/",
        "/p/eme/live/",
        f"/p/eme/live/{cafe.pk}/console/",
        f"/p/eme/live/{cafe.pk}/",
        f"/p/eme/live/{wall.pk}/console/",
        "/p/eme/dashboard/",
        "/p/eme/surveys/",
        f"/p/eme/surveys/{survey.pk}/",
        "/p/eme/members/",
        "/accounts/profile/",
    ]
    return User.objects.get(email="coordinator@example.org"), pages


def test_the_main_pages_show_no_english_in_fi_sv_nl_and_fr(live, browser):
    coordinator, pages = main_pages()
    data = written_by_people()
    name, _, key = cookie_for(coordinator).partition("=")
    context = browser.new_context(viewport=LAPTOP)
    context.add_cookies([{"name": name, "value": key, "url": live}])
    page = context.new_page()
    left = []
    for language in LANGUAGES:
        coordinator.preferred_language = language
        coordinator.save(update_fields=["preferred_language"])
        untranslated = english(language) - data
        for path in pages:
            response = page.goto(f"{live}{path}")
            assert response.status == 200, path
            if re.search(r"/live/\d+/", path):
                # Live pages draw what their first snapshot holds: wait until it is there.
                page.wait_for_function(LIVE)
            assert page.locator("html").get_attribute("lang") == language, path
            left += [
                f"{language} {path}: {text!r}"
                for text in dict.fromkeys(page.evaluate(VISIBLE_TEXT))
                if text in untranslated
            ]
    context.close()
    assert not left, "English left:\n" + "\n".join(left)
