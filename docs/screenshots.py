"""Copy the screenshots the guides show from the browser tests' artifacts into docs/img.

`make screenshots` runs the browser tests first, then this. A picture is taken over when a
guide (docs/**/*.md or README.md) shows it as `img/<name>.png` and a journey saved
tests/browser/artifacts/<name>.png; the names say which page, at which width.
"""

import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
ARTIFACTS = ROOT / "tests" / "browser" / "artifacts"
PICTURE = re.compile(r"\]\((?:\.\./)*(?:docs/)?img/([\w.-]+\.png)\)")


def shown_pictures():
    pages = [*DOCS.rglob("*.md"), ROOT / "README.md"]
    return sorted({name for page in pages for name in PICTURE.findall(page.read_text())})


def main():
    missing = []
    for name in shown_pictures():
        source = ARTIFACTS / name
        if source.exists():
            shutil.copyfile(source, DOCS / "img" / name)
            print(f"docs/img/{name}")
        else:
            missing.append(name)
    if missing:
        print("No journey saved these (keep the old picture or rename):", *missing, sep="\n  ")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
