"""The documentation's links and pictures lead somewhere."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGES = sorted([*ROOT.joinpath("docs").rglob("*.md"), ROOT / "README.md"])
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")


@pytest.mark.parametrize("page", PAGES, ids=lambda page: str(page.relative_to(ROOT)))
def test_relative_links_and_pictures_exist(page):
    missing = [
        target
        for target in LINK.findall(page.read_text())
        if "://" not in target
        and not target.startswith("mailto:")
        and not (page.parent / target).exists()
    ]
    assert not missing, f"{page.relative_to(ROOT)} points to missing files: {missing}"


def test_the_guides_are_linked_from_the_readme():
    assert "docs/guide/README.md" in (ROOT / "README.md").read_text()
