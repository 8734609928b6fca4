"""Channel-layer group names: one function per kind of group, so names never drift."""


def project_group(project_id):
    return f"project-{project_id}"


def activity_group(activity_id):
    return f"activity-{activity_id}"
