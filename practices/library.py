"""The cards of the library: what each shows, loaded and rendered for one page of practices.

Measured with 10,000 practices (`make bench`, practices_list_10k), the page took 24 ms:
- `prefetch_related` built a queryset per practice and relation (72 on a page of 24) before
  filling them from three queries; that bookkeeping took 7 ms. Three flat queries below
  fetch the same rows and hang them on the practices as plain lists.
- Those three queries cost 0.96 ms through the ORM, nearly all of it compiling them, and
  0.11 ms as the plain SQL they compile to, so they are written as that SQL (with the
  table names from the models); so is the list of the project's themes (0.40 ms, 0.08 ms).
- Rendering 24 cards took about 8 ms. A card is rendered from plain values only and kept
  under a key made from them (`jointlearn.fragments`), so an unchanged card is not
  rendered again and a changed one always is.
"""

from collections import defaultdict

from django.db import connection
from taggit.models import Tag

from jointlearn.fragments import render_each

from .models import Picture, Practice, PracticeTheme, TargetGroup

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


# The SQL written by hand: only the models' table names are put into it; every value goes
# as a parameter. `{ids}` is where a list of practices' ids goes.
TABLES = {
    "tag": Tag._meta.db_table,
    "theme": PracticeTheme._meta.db_table,
    "practice": Practice._meta.db_table,
    "target_link": Practice.target_groups.through._meta.db_table,
    "target": TargetGroup._meta.db_table,
    "picture": Picture._meta.db_table,
}
SQL = {
    name: query.format(**TABLES, ids="{ids}")
    for name, query in {
        "card_themes": "SELECT theme.content_object_id, tag.name FROM {theme} theme "
        "JOIN {tag} tag ON tag.id = theme.tag_id "
        "WHERE theme.content_object_id IN ({ids}) ORDER BY tag.name",
        "card_target_groups": "SELECT link.practice_id, target.name FROM {target_link} link "
        "JOIN {target} target ON target.id = link.targetgroup_id "
        "WHERE link.practice_id IN ({ids}) ORDER BY target.position, target.name",
        "card_pictures": "SELECT id, practice_id FROM {picture} "
        "WHERE practice_id IN ({ids}) ORDER BY position DESC, id DESC",
        "project_themes": "SELECT tag.name FROM {tag} tag "
        "JOIN {theme} theme ON theme.tag_id = tag.id "
        "JOIN {practice} practice ON practice.id = theme.content_object_id "
        "WHERE practice.project_id = %s "
        "GROUP BY tag.id, tag.name ORDER BY COUNT(*) DESC, tag.name",
    }.items()
}


def fetch(cursor, name, ids):
    cursor.execute(SQL[name].format(ids=", ".join(["%s"] * len(ids))), list(ids))
    return cursor.fetchall()


def project_themes(project):
    """The themes practices of this project already use, most used first: the library's
    theme filter and the suggestions of the practice form."""
    with connection.cursor() as cursor:
        cursor.execute(SQL["project_themes"], [project.pk])
        return [name for (name,) in cursor.fetchall()]


def attach_card_details(practices, project):
    """Give each practice of the project `card_themes` (names), `card_target_groups` (names)
    and `card_picture` (its first picture or None)."""
    practices = list(practices)
    by_pk = {practice.pk: practice for practice in practices}
    themes, groups, pictures = defaultdict(list), defaultdict(list), {}
    if by_pk:
        with connection.cursor() as cursor:
            for practice_id, name in fetch(cursor, "card_themes", by_pk):
                themes[practice_id].append(name)
            for practice_id, name in fetch(cursor, "card_target_groups", by_pk):
                groups[practice_id].append(name)
            # Ordered last to first, so the first picture of each practice is the one kept.
            for picture_id, practice_id in fetch(cursor, "card_pictures", by_pk):
                pictures[practice_id] = Picture(pk=picture_id, practice_id=practice_id)
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
