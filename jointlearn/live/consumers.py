"""The project socket: tells a project's open pages when members or organisations change."""

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Project
from ..permissions import get_guest, get_membership
from .groups import project_group


@database_sync_to_async
def project_for(scope, slug):
    """The project if the socket's user is a member or a guest of it; None otherwise."""
    project = Project.objects.filter(slug=slug).first()
    if project is None:
        return None
    if get_membership(scope["user"], project) is not None:
        return project
    session = scope.get("session")
    if session is not None and get_guest(session, project) is not None:
        return project
    return None


class ProjectConsumer(AsyncJsonWebsocketConsumer):
    group = None

    async def connect(self):
        slug = self.scope["url_route"]["kwargs"]["project_slug"]
        project = await project_for(self.scope, slug)
        if project is None:
            # Refused in the handshake, like a 404: nothing tells whether the project exists.
            await self.close()
            return
        self.group = project_group(project.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await self.send_json({"type": "hello", "server_time": timezone.now().isoformat()})

    async def disconnect(self, code):
        if self.group:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content, **kwargs):
        await self.send_json(
            {
                "type": "error",
                "id": content.get("id") if isinstance(content, dict) else None,
                "code": "read_only",
                "message": _("This connection only sends project updates."),
            }
        )

    async def live_event(self, message):
        await self.send_json({"type": "event", "event": message["event"]})
