"""Read-mostly admin: briefings are composed, rendered and published through the app's
services (approval rules, disclosure check, audit log); the admin is for looking."""

from django.contrib import admin

from auditportal.admin import AppendOnlyAdmin

from .models import Briefing, BriefingDownload, BriefingUse, BriefingVersion


# A briefing is edited in the app; here it is only looked at, and never deleted (that would
# delete its versions and the record of who downloaded them).
@admin.register(Briefing)
class BriefingAdmin(AppendOnlyAdmin):
    list_display = ("title", "audit", "status", "published_version", "published_at")
    list_filter = ("status",)
    search_fields = ("title", "audit__title")


@admin.register(BriefingVersion)
class BriefingVersionAdmin(AppendOnlyAdmin):
    list_display = ("__str__", "status", "attempts", "created_by", "approved_by", "finished_at")
    list_filter = ("status",)
    exclude = ("content",)  # the snapshot is long; the PDF is what to read


@admin.register(BriefingDownload)
class BriefingDownloadAdmin(AppendOnlyAdmin):
    list_display = ("version", "user", "at")
    date_hierarchy = "at"


@admin.register(BriefingUse)
class BriefingUseAdmin(AppendOnlyAdmin):
    list_display = ("briefing", "agency", "used_on", "how", "staff_reached", "recorded_by")
    list_filter = ("agency",)
