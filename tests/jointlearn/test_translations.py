"""Every user-facing string is translated into fi, sv, nl and fr, and the catalogues are current."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = ["fi", "sv", "nl", "fr"]
MAKEMESSAGES_IGNORE = [".venv", "tests", "staticfiles", "bench", "docs", "media", "node_modules"]


def catalogue(language):
    return polib.pofile(str(ROOT / "locale" / language / "LC_MESSAGES" / "django.po"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_is_complete(language):
    po = catalogue(language)
    untranslated = [entry.msgid for entry in po.untranslated_entries()]
    fuzzy = [entry.msgid for entry in po.fuzzy_entries()]
    assert not untranslated, f"{language}: untranslated {untranslated[:10]}"
    assert not fuzzy, f"{language}: fuzzy {fuzzy[:10]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogue_matches_the_source(language):
    po = catalogue(language)
    mo = polib.mofile(str(ROOT / "locale" / language / "LC_MESSAGES" / "django.mo"))
    compiled = {(entry.msgctxt, entry.msgid): (entry.msgstr, entry.msgstr_plural) for entry in mo}
    for entry in po.translated_entries():
        assert (entry.msgctxt, entry.msgid) in compiled, f"{language}: recompile: {entry.msgid}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_placeholders_survive_translation(language):
    import re

    pattern = re.compile(r"%\(\w+\)[sd]|\{\{ ?\w+ ?\}\}")
    for entry in catalogue(language).translated_entries():
        expected = sorted(pattern.findall(entry.msgid))
        translations = [entry.msgstr] if entry.msgstr else list(entry.msgstr_plural.values())
        for translation in translations:
            found = sorted(pattern.findall(translation))
            if entry.msgid_plural:
                # A singular form may leave out the count ("one member" instead of "1 member").
                assert set(found) <= set(expected + pattern.findall(entry.msgid_plural))
            else:
                assert found == expected, f"{language}: {entry.msgid!r} -> {translation!r}"


def test_every_string_in_the_code_is_in_the_catalogues(tmp_path):
    if shutil.which("xgettext") is None:
        pytest.skip("gettext is not installed (apt-get install gettext)")
    copy = tmp_path / "src"
    shutil.copytree(
        ROOT, copy, ignore=shutil.ignore_patterns(".venv", ".git", "*.sqlite3*", "media", "tests")
    )
    command = [sys.executable, "manage.py", "makemessages", "--no-obsolete", "--no-location"]
    command += [f"--ignore={pattern}" for pattern in MAKEMESSAGES_IGNORE]
    command += [f"--locale={language}" for language in LANGUAGES]
    result = subprocess.run(
        command, cwd=copy, capture_output=True, text=True, timeout=180, check=False
    )
    assert result.returncode == 0, result.stderr
    for language in LANGUAGES:
        extracted = polib.pofile(str(copy / "locale" / language / "LC_MESSAGES" / "django.po"))
        known = {(entry.msgctxt, entry.msgid) for entry in catalogue(language).translated_entries()}
        missing = [entry.msgid for entry in extracted if (entry.msgctxt, entry.msgid) not in known]
        assert not missing, f"{language}: run makemessages and translate: {missing[:10]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_pages_are_served_in_the_browser_language(client, db, language):
    sign_in = catalogue(language).find("Sign in").msgstr
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert f'<html lang="{language}">' in page
    assert sign_in in page


def test_language_switcher_keeps_the_choice_for_a_member(client, db):
    from ..factories import make_user

    person = make_user()
    client.force_login(person)
    response = client.post("/language/", {"language": "sv", "next": "/"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.preferred_language == "sv"
    assert '<html lang="sv">' in client.get("/").content.decode()
