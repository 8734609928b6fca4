import pytest

from ..meetings.factories import make_meeting
from .factories import make_survey


@pytest.fixture
def meeting(project):
    return make_meeting(project)


@pytest.fixture
def survey(project, meeting):
    return make_survey(project, meeting=meeting)
