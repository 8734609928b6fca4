import pytest

from .factories import make_meeting


@pytest.fixture
def meeting(project):
    return make_meeting(project)


@pytest.fixture
def day(meeting):
    return meeting.days.get()
