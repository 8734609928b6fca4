from django.urls import path

from . import views

urlpatterns = [
    path("new/reflection-round/", views.reflection_create, name="reflection_create"),
    path("new/poll/", views.poll_create, name="poll_create"),
    path("new/pairing/", views.pairing_create, name="pairing_create"),
]
