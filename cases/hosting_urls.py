"""The hosting administration's pages, under /hosting/ (auditportal/urls.py)."""

from django.urls import path

from . import hosting_views

app_name = "hosting"

urlpatterns = [
    path("", hosting_views.hosting_partnerships, name="partnerships"),
    path("new/", hosting_views.hosting_partnership_create, name="partnership-create"),
    path("<int:pk>/", hosting_views.hosting_partnership, name="partnership"),
    path("<int:pk>/rename/", hosting_views.hosting_partnership_rename, name="partnership-rename"),
    path(
        "<int:pk>/hosts/add/",
        hosting_views.hosting_partnership_host_add,
        name="partnership-host-add",
    ),
    path(
        "<int:pk>/hosts/remove/",
        hosting_views.hosting_partnership_host_remove,
        name="partnership-host-remove",
    ),
    path(
        "<int:pk>/deactivate/",
        hosting_views.hosting_partnership_deactivate,
        name="partnership-deactivate",
    ),
    path(
        "<int:pk>/reactivate/",
        hosting_views.hosting_partnership_reactivate,
        name="partnership-reactivate",
    ),
]
