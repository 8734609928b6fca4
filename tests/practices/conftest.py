"""Fixtures of the practice library: partners in Belgium, Finland and Sweden with a practice."""

import pytest

from jointlearn.models import Role

from ..factories import add_member, make_organisation
from .helpers import make_practice


@pytest.fixture
def eva(project):
    return make_organisation(project, name="EVA bxl", country="BE")


@pytest.fixture
def pitea(project):
    return make_organisation(project, name="Piteå kommun", country="SE")


@pytest.fixture
def lotte(project, eva):
    """A partner in Belgium, the owner of `practice`."""
    return add_member(project, role=Role.PARTNER, organisation=eva)


@pytest.fixture
def erik(project, pitea):
    """A partner in Sweden who rates Belgian practices."""
    return add_member(project, role=Role.PARTNER, organisation=pitea)


@pytest.fixture
def practice(project, eva, lotte):
    return make_practice(
        project,
        eva,
        author=lotte,
        title="Culturally sensitive care ambassadors",
        summary="Migrant women with informal care experience train as care ambassadors.",
        description="Training of **care ambassadors** in Brussels.",
        themes=["care", "validation"],
    )
