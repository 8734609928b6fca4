"""The permission matrix: for every project URL, the status each role gets.

Every later module adds its project URLs here. `test_permission_matrix.py` walks the URLconf
and fails when a project URL is missing, so no view can be added unguarded.
"""

ROLES = ["anonymous", "outsider", "guest", "participant", "partner", "facilitator", "coordinator"]
MEMBERS = ["participant", "partner", "facilitator", "coordinator"]


def expect(ok, allowed=MEMBERS, *, anonymous=302, outsider=404, guest=302, refused=403):
    """Statuses per role: `ok` for the allowed roles, `refused` for other members."""
    statuses = {"anonymous": anonymous, "outsider": outsider, "guest": guest}
    for role in MEMBERS:
        statuses[role] = ok if role in allowed else refused
    return statuses


COORDINATORS = ["coordinator"]
FACILITATORS = ["facilitator", "coordinator"]
CONTRIBUTORS = ["partner", "coordinator"]

# url name: (HTTP method, {role: expected status})
PROJECT_URLS = {
    "project_home": ("get", expect(200)),
    "project_edit": ("get", expect(200, COORDINATORS)),
    "organisation_list": ("get", expect(200)),
    "organisation_edit": ("get", expect(200, COORDINATORS)),
    "organisation_delete": ("post", expect(302, COORDINATORS)),
    "member_list": ("get", expect(200, COORDINATORS)),
    "membership_change": ("post", expect(302, COORDINATORS)),
    "membership_remove": ("post", expect(302, COORDINATORS)),
    "invitation_resend": ("post", expect(302, COORDINATORS)),
    "invitation_revoke": ("post", expect(302, COORDINATORS)),
    "join_code_list": ("get", expect(200, FACILITATORS)),
    "join_code_detail": ("get", expect(200, FACILITATORS)),
    "join_code_toggle": ("post", expect(302, FACILITATORS)),
    "project_lobby": ("get", expect(200, guest=200)),
    "live_list": ("get", expect(200, guest=200)),
    "word_wall_create": ("get", expect(200, FACILITATORS)),
    "live_activity": ("get", expect(200, guest=200)),
    "live_console": ("get", expect(200, FACILITATORS)),
    "live_projector": ("get", expect(200, FACILITATORS)),
    "live_op": ("post", expect(302, guest=302)),
    "live_export_csv": ("get", expect(200, FACILITATORS)),
    "live_export_json": ("get", expect(200, FACILITATORS)),
    "guest_leave": ("post", expect(302, guest=302)),
    # Practices: the practice in the matrix is published by an organisation nobody in the
    # matrix belongs to, so only coordinators may edit it and every member may evaluate it.
    "practice_list": ("get", expect(200)),
    "practice_create": ("get", expect(200, CONTRIBUTORS)),
    "transferability_matrix": ("get", expect(200)),
    "library_settings": ("get", expect(200, COORDINATORS)),
    "my_assignments": ("get", expect(200)),
    "round_list": ("get", expect(200, COORDINATORS)),
    "round_detail": ("get", expect(200, COORDINATORS)),
    "round_remind": ("post", expect(302, COORDINATORS)),
    "round_close": ("post", expect(302, COORDINATORS)),
    "practice_detail": ("get", expect(200)),
    "practice_edit": ("get", expect(200, COORDINATORS)),
    "practice_delete": ("post", expect(302, COORDINATORS)),
    "practice_evaluate": ("get", expect(200)),
    "attachment_download": ("get", expect(200)),
    "picture": ("get", expect(200)),
    "comment_add": ("post", expect(302)),
    "comment_hide": ("post", expect(302, COORDINATORS)),
    "transfer_create": ("get", expect(200, CONTRIBUTORS)),
}

# URLs outside any project, each listed so that a new one is a conscious decision.
PUBLIC_URLS = {
    "home",
    "healthz",
    "login",
    "logout",
    "password_change",
    "password_change_done",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "profile",
    "invitation_accept",
    "set_language",
    "project_create",
    "join",
    "join_code",
}
