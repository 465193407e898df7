from django.contrib import admin

from .models import Action, Engagement, Finding, Quote, Resource, SubGroup


@admin.register(Finding)
class FindingAdmin(admin.ModelAdmin):
    list_display = ("__str__", "audit", "kind", "theme", "order")
    list_filter = ("kind", "theme", "audit")
    search_fields = ("text",)
    autocomplete_fields = ["agencies"]
    raw_id_fields = ["audit", "source_returns"]
    readonly_fields = ("created_by", "created_at", "updated_at")


@admin.register(SubGroup)
class SubGroupAdmin(admin.ModelAdmin):
    list_display = ("name", "lead_name", "lead_email", "active")
    list_filter = ("active",)
    search_fields = ("name",)


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin):
    list_display = ("__str__", "audit", "owner_agency", "owner_subgroup", "due_date", "status")
    list_filter = ("status", "section", "owner_subgroup", "owner_agency")
    search_fields = ("text", "completion_evidence")
    raw_id_fields = ["audit", "findings"]
    readonly_fields = ("created_by", "created_at", "updated_at", "completed_at")
    date_hierarchy = "due_date"


@admin.register(Engagement)
class EngagementAdmin(admin.ModelAdmin):
    list_display = ("audit", "cyp_shared", "cyp_responses", "parent_shared", "parent_responses")
    raw_id_fields = ["audit"]


@admin.register(Quote)
class QuoteAdmin(admin.ModelAdmin):
    list_display = ("__str__", "audit", "source_label", "consent", "order")
    list_filter = ("consent",)
    search_fields = ("text", "source_label")
    raw_id_fields = ["audit"]


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "url", "active")
    list_filter = ("kind", "active")
    search_fields = ("title", "description")
