"""Channel-layer group names: one function per kind of group, so names never drift."""


def project_group(project_id):
    return f"project-{project_id}"


def activity_group(activity_id):
    return f"activity-{activity_id}"


def facilitators_group(activity_id):
    """The facilitators' sockets of an activity: unversioned news such as who is connected."""
    return f"activity-{activity_id}-facilitators"
