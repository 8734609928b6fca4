"""Shared fixtures: a project with one member per role, and a client per role."""

import pytest
from asgiref.sync import SyncToAsync
from channels.layers import channel_layers
from django.core.cache import cache, caches
from django.db import connections
from django.utils import timezone, translation

from jointlearn.live.consumers import READS
from jointlearn.models import Role

from .factories import add_member, make_organisation, make_project


def pytest_collection_modifyitems(items):
    """Browser tests last: Playwright's event loop must not meet the asyncio tests."""
    items.sort(key=lambda item: "tests/browser/" in item.nodeid)


@pytest.fixture(scope="session", autouse=True)
def _close_connections_of_other_threads(django_db_setup):
    """Async tests reach the database from asgiref's one thread and the live reads' thread,
    and each keeps its own connection (on PostgreSQL one checked out of the pool, which
    closing the pool leaves open). Closed here, before the test database is dropped: else
    PostgreSQL refuses the drop ("being accessed by other users") and leaves it behind."""
    yield
    for executor in (SyncToAsync.single_thread_executor, READS):
        executor.submit(connections.close_all).result(timeout=30)


@pytest.fixture(autouse=True)
def _fresh_channel_layer():
    """Each test makes its own channel layer. channels_redis binds its receive lock to the
    event loop of the test that first receives; a socket a test leaves listening would
    hold it, and the next test, on another loop, fails with "bound to a different event
    loop" (CI of session 9, once)."""
    yield
    channel_layers.backends.clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _scratch_media(settings, tmp_path):
    # Uploaded files go to a directory of the test's own, never into the checkout.
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private-media"


@pytest.fixture(autouse=True)
def _reset_language_and_zone():
    # Middleware activates a viewer's language and zone for the thread; tests share it.
    yield
    translation.deactivate()
    timezone.deactivate()


@pytest.fixture(autouse=True)
def _clear_cache():
    # The join rate limit lives in the cache; each test starts with a clean slate.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def empty_fragments(settings):
    """Kept fragments (jointlearn.fragments) in a cache of the test's own, empty: clearing a
    Redis cache would empty the whole Redis database."""
    settings.CACHES = {
        **settings.CACHES,
        "fragments": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
    caches["fragments"].clear()


@pytest.fixture
def project(db):
    return make_project()


@pytest.fixture
def coordinator(project):
    return project.memberships.get(role=Role.COORDINATOR).user


@pytest.fixture
def partner_organisation(project):
    return make_organisation(project, name="EVA bxl", country="BE")


@pytest.fixture
def partner(project, partner_organisation):
    return add_member(project, role=Role.PARTNER, organisation=partner_organisation)


@pytest.fixture
def facilitator(project):
    return add_member(project, role=Role.FACILITATOR)


@pytest.fixture
def participant(project):
    return add_member(project, role=Role.PARTICIPANT)


@pytest.fixture
def outsider(db):
    """Signed in, member of another project only."""
    other = make_project()
    return other.memberships.get().user


@pytest.fixture
def client_for(client):
    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in
