"""Channel-layer group names: one function per kind of group, so names never drift."""


def project_group(project_id):
    return f"project-{project_id}"


def activity_group(activity_id):
    return f"activity-{activity_id}"


def person_group(project_id, person_key):
    """Every socket one member or guest has open in one project (person_key is Actor.key:
    "user-12" or "guest-5"), so removing them closes all of them at once."""
    return f"person-{project_id}-{person_key}"
