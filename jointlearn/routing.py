"""Every WebSocket route of the platform; all of them live under /ws/."""

from django.urls import path

from .live.consumers import ActivityConsumer, ProjectConsumer

websocket_urlpatterns = [
    path("ws/p/<slug:project_slug>/", ProjectConsumer.as_asgi()),
    path("ws/p/<slug:project_slug>/live/<int:activity_id>/", ActivityConsumer.as_asgi()),
]
