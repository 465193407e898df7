from django.urls import include, path

from . import trail_views

app_name = "trail"

urlpatterns = [
    path("", trail_views.events, name="events"),
    path("export.csv", trail_views.export, name="export"),
    # Retention belongs to the audit layer (it purges audits); its pages sit under the trail
    # for the reader, included by path like the root URLconf includes every app.
    path("retention/", include("audits.retention_urls")),
]
