"""What erasing a member does to surveys: their personal links go; a response to a named
survey stays unnamed, or goes when the person asks. An anonymous survey's responses hold no
link to anyone and are not touched."""

from .models import Response, SurveyLink


def forget(*, user=None, guest=None, remove_contributions=False):
    if user is None:
        return  # guests do not answer surveys
    SurveyLink.objects.filter(user=user).delete()
    if remove_contributions:
        Response.objects.filter(user=user).delete()
