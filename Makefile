# JointLearn: `make run` serves the demo, `make test` runs every check.
PYTHON_BIN ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PORT ?= 8000

.PHONY: install messages run test lint format bench soak screenshots

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON_BIN) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# The compiled catalogues are committed; they are rebuilt when gettext is present.
messages: install
	@if command -v msgfmt >/dev/null 2>&1; then \
		$(PY) manage.py compilemessages --ignore=.venv -v 0; \
	else echo "gettext is not installed: using the committed .mo files"; fi

run: messages
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py seed_demo
	DEBUG=1 $(VENV)/bin/daphne -b 127.0.0.1 -p $(PORT) jointlearn.asgi:application

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

test: lint
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest

bench: install
	$(PY) bench/run.py

# The guides' pictures, taken again by the browser journeys (Debian's Chromium needed).
screenshots: install
	$(VENV)/bin/pytest tests/browser -q
	$(PY) docs/screenshots.py

# 300 participants in a café on two workers for ten minutes (SOAK_MINUTES, SOAK_ROTATE_S to
# shorten); not part of `make test`. Needs Redis: REDIS_URL or redis-server on the PATH.
soak: install
	$(PY) bench/soak.py
