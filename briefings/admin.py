"""Read-mostly admin: briefings are composed, rendered and published through the app's
services (approval rules, disclosure check, audit log); the admin is for looking."""

from django.contrib import admin

from .models import Briefing, BriefingDownload, BriefingUse, BriefingVersion


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Briefing)
class BriefingAdmin(ReadOnlyAdmin):
    list_display = ("title", "audit", "status", "published_version", "published_at")
    list_filter = ("status",)
    search_fields = ("title", "audit__title")


@admin.register(BriefingVersion)
class BriefingVersionAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "status", "attempts", "created_by", "approved_by", "finished_at")
    list_filter = ("status",)
    exclude = ("content",)  # the snapshot is long; the PDF is what to read


@admin.register(BriefingDownload)
class BriefingDownloadAdmin(ReadOnlyAdmin):
    list_display = ("version", "user", "at")
    date_hierarchy = "at"


@admin.register(BriefingUse)
class BriefingUseAdmin(ReadOnlyAdmin):
    list_display = ("briefing", "agency", "used_on", "how", "staff_reached", "recorded_by")
    list_filter = ("agency",)
