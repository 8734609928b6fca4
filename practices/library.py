"""The cards of the library: what each shows, loaded and rendered for one page of practices.

Measured with 10,000 practices (`make bench`, practices_list_10k), the page took 24 ms:
- `prefetch_related` built a queryset per practice and relation (72 on a page of 24) before
  filling them from three queries; that bookkeeping took 7 ms. Three flat queries below
  fetch the same rows and hang them on the practices as plain lists.
- Rendering 24 cards took about 8 ms. A card is rendered from plain values only and kept
  under a key made from them (`jointlearn.fragments`), so an unchanged card is not
  rendered again and a changed one always is.
"""

from collections import defaultdict

from jointlearn.fragments import render_each

from .models import Picture, Practice, PracticeTheme

# The columns a card reads; the long texts stay in the database.
CARD_FIELDS = (
    "project_id",
    "organisation__name",
    "organisation__short_name",
    "organisation__country",
    "title",
    "summary",
    "status",
    "evaluation_count",
    "rating_mean",
    "transfer_count",
    "created_at",
)


def card_queryset(practices):
    """The practices with what a card needs from their own row and their organisation."""
    return practices.select_related("organisation").only(*CARD_FIELDS)


def attach_card_details(practices, project):
    """Give each practice of the project `card_themes` (names), `card_target_groups` (names)
    and `card_picture` (its first picture or None)."""
    practices = list(practices)
    by_pk = {practice.pk: practice for practice in practices}
    themes = defaultdict(list)
    for practice_id, name in (
        PracticeTheme.objects.filter(content_object_id__in=by_pk)
        .order_by("tag__name")
        .values_list("content_object_id", "tag__name")
    ):
        themes[practice_id].append(name)
    groups = defaultdict(list)
    for practice_id, name in (
        Practice.target_groups.through.objects.filter(practice_id__in=by_pk)
        .order_by("targetgroup__position", "targetgroup__name")
        .values_list("practice_id", "targetgroup__name")
    ):
        groups[practice_id].append(name)
    pictures = {}
    for picture in (
        Picture.objects.filter(practice_id__in=by_pk)
        .order_by("-position", "-pk")
        .only("pk", "practice_id", "position")
    ):
        # Ordered last to first, so the first picture of each practice is the one kept.
        pictures[picture.practice_id] = picture
    for practice in practices:
        practice.project = project
        practice.card_themes = themes[practice.pk]
        practice.card_target_groups = groups[practice.pk]
        picture = pictures.get(practice.pk)
        if picture is not None:
            picture.practice = practice
        practice.card_picture = picture
    return practices


def card_values(practice):
    """Everything a card shows, as plain values (and the organisation's country, whose repr
    is its code): the card's template reads nothing else."""
    picture = practice.card_picture
    return {
        "project_slug": practice.project.slug,
        "practice_id": practice.pk,
        "picture_id": picture.pk if picture else None,
        "title": practice.title,
        "summary": practice.summary,
        "country": practice.organisation.country,
        "organisation": str(practice.organisation),
        "draft": not practice.is_published,
        # Only set when the list shows the viewer's assignments.
        "round_closed": getattr(practice, "assignment_open", None) is False,
        "target_groups": tuple(practice.card_target_groups),
        "themes": tuple(practice.card_themes),
        "rating": {
            "shows_rating": practice.shows_rating,
            "rating_mean": practice.rating_mean,
            "evaluation_count": practice.evaluation_count,
        },
        "transfer_count": practice.transfer_count,
    }


def cards(practices, project):
    """The rendered cards of one page of practices of the project, in order."""
    practices = attach_card_details(practices, project)
    return render_each(
        "practices/_card.html", [card_values(practice) for practice in practices], namespace="card"
    )
