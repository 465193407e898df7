from django.contrib import admin
from django.urls import include, path

# admin.site is auditportal.admin_site.PartnershipAdminSite (auditportal.admin_apps): its header
# and title name the request's partnership.

urlpatterns = [
    path("", include("accounts.home_urls")),
    path("accounts/", include("accounts.urls")),
    path("cases/", include("cases.urls")),
    path("audits/", include("audits.urls")),
    path("findings/", include("findings.urls")),
    path("briefings/", include("briefings.urls")),
    path("surveys/", include("surveys.urls")),
    # The short address printed on survey letters: no sign-in.
    path("s/", include("surveys.public_urls")),
    path("trail/", include("auditportal.trail_urls")),
    # The hosting administration (partnerships), on the hosting host names only.
    path("hosting/", include("cases.hosting_urls")),
    # The partnership's colour (cases/branding_views.py), by module path: auditportal
    # imports no app.
    path("partnership.css", include("cases.branding_urls")),
    path("admin/", admin.site.urls),
]

handler404 = "auditportal.views.page_not_found"
handler403 = "auditportal.views.permission_denied"
handler500 = "auditportal.views.server_error"
