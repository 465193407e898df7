"""The hosting administration's pages, under /hosting/ (auditportal/urls.py)."""

from django.urls import path

from . import hosting_views

app_name = "hosting"

urlpatterns = [
    path("", hosting_views.hosting_partnerships, name="partnerships"),
    path("new/", hosting_views.hosting_partnership_create, name="partnership-create"),
]
