from django.urls import path

from . import draft_views, pulse_views, views, word_views

app_name = "briefings"

urlpatterns = [
    path("", views.published, name="published"),
    path("take-up/", views.take_up, name="take-up"),
    path("reach/", views.reach_partial, name="reach"),
    path("<int:pk>/use/", views.use_record, name="use-record"),
    path("audit/<int:audit_pk>/", views.composer, name="composer"),
    path("audit/<int:audit_pk>/autosave/", draft_views.autosave, name="autosave"),
    path("audit/<int:audit_pk>/refill/", views.refill, name="refill"),
    path("audit/<int:audit_pk>/render/", views.render_version, name="render"),
    path("audit/<int:audit_pk>/versions/", views.versions_partial, name="versions"),
    path("audit/<int:audit_pk>/preview/", views.preview, name="preview"),
    path("audit/<int:audit_pk>/preview/live/", views.preview_live, name="preview-live"),
    path("audit/<int:audit_pk>/pulse/", pulse_views.pulse_send_view, name="pulse-send"),
    path("versions/<int:pk>/download/", views.version_download, name="version-download"),
    path("versions/<int:pk>/word/", word_views.version_word, name="version-word"),
    path("versions/<int:pk>/read/", views.version_read, name="version-read"),
    path("versions/<int:pk>/public-link/", views.version_public_link, name="version-public-link"),
    path(
        "public-links/<int:pk>/withdraw/", views.public_link_withdraw, name="public-link-withdraw"
    ),
    path("public/<str:token>/", views.public_version, name="public"),
    path("versions/<int:pk>/rerun/", views.version_rerun, name="version-rerun"),
    path("versions/<int:pk>/approve/", views.version_approve, name="version-approve"),
    path("versions/<int:pk>/publish/", views.version_publish, name="version-publish"),
]
