"""The rubric and target groups the app stores for a new project follow the viewer's
language while the project keeps them; what a coordinator wrote is shown as written."""

from django.utils import translation

from practices import services
from practices.models import Criterion, TargetGroup


def test_default_criteria_and_target_groups_read_in_the_viewers_language(project):
    with translation.override("en"):
        services.ensure_rubric(project=project)
        services.ensure_target_groups(project=project)
    criterion = Criterion.objects.get(project=project, name="Relevance to the target group")
    group = TargetGroup.objects.get(project=project, name="Refugees")
    with translation.override("fi"):
        assert criterion.label == str(criterion) == "Merkitys kohderyhmälle"
        assert criterion.explanation != criterion.help_text
        assert group.label == str(group) != "Refugees"
    with translation.override("en"):
        assert criterion.label == "Relevance to the target group"


def test_what_the_project_wrote_is_shown_as_written(project):
    criterion = Criterion.objects.create(project=project, name="Sisu", help_text="Kestävyys")
    with translation.override("fr"):
        assert (criterion.label, criterion.explanation) == ("Sisu", "Kestävyys")
