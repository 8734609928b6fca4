from django.urls import path

from . import views

urlpatterns = [
    path("practices/<int:practice_id>/trail/", views.practice_trail, name="practice_trail"),
    path("meetings/<int:meeting_id>/trail/", views.meeting_trail, name="meeting_trail"),
    path("pack/", views.project_pack, name="project_pack"),
    path("pack/build/", views.project_pack_build, name="project_pack_build"),
    path("pack/<int:pack_id>/status/", views.project_pack_status, name="project_pack_status"),
    path("pack/<int:pack_id>/download/", views.project_pack_download, name="project_pack_download"),
]
