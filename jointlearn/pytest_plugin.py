"""Pytest plugin: test defaults for the environment; JOINTLEARN_STRICT turns skips into failures.

It is loaded through an entry point, before pytest-django reads the settings, so the
defaults below apply to a bare `pytest` as well as to `make test`.
"""

import os

import pytest

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("HTTPS", "0")
os.environ.setdefault("STATIC_MANIFEST", "0")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")


def strict():
    return os.environ.get("JOINTLEARN_STRICT", "") == "1"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if strict() and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"Skipped under JOINTLEARN_STRICT=1, which allows no skip: {reason}"
    return report
