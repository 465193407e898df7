"""The retention pages, included by auditportal.trail_urls under /trail/retention/ in the
"trail" namespace (the trail's own module names no app; the include is by module path)."""

from django.urls import path

from .views import retention

urlpatterns = [
    path("", retention.retention, name="retention"),
    path("<int:audit_pk>/legal-hold/", retention.legal_hold, name="legal-hold"),
]
