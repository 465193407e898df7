from django.urls import path

from . import trail_views

app_name = "trail"

urlpatterns = [
    path("", trail_views.events, name="events"),
    path("export.csv", trail_views.export, name="export"),
    path("retention/", trail_views.retention, name="retention"),
    path("retention/<int:audit_pk>/legal-hold/", trail_views.legal_hold, name="legal-hold"),
]
