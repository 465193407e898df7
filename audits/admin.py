"""Administration of the question bank, question sets and audits. The business team does the
same in the app's own pages; status changes happen only through the status flow there."""

from django.contrib import admin

from auditportal.admin import AppendOnlyAdmin

from .models import (
    Audit,
    AuditTransition,
    ConcernAlert,
    EventKind,
    PurgeRecord,
    Question,
    QuestionSet,
    QuestionSetItem,
    Theme,
)


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0
    fields = ["text", "kind", "required", "order", "active"]
    show_change_link = True


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "order", "active"]
    list_editable = ["order", "active"]
    search_fields = ["name"]
    inlines = [QuestionInline]


@admin.register(EventKind)
class EventKindAdmin(admin.ModelAdmin):
    """The kinds of key event the bank offers; retire one rather than delete it (events keep
    it)."""

    list_display = ["name", "order", "active"]
    list_editable = ["order", "active"]
    search_fields = ["name"]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["text", "theme", "kind", "required", "order", "active"]
    list_filter = ["theme", "kind", "active", "required"]
    search_fields = ["text", "help_text"]
    list_select_related = ["theme"]


class QuestionSetItemInline(admin.TabularInline):
    model = QuestionSetItem
    extra = 0
    fields = ["order", "theme_name", "text", "kind", "required"]
    readonly_fields = ["theme_name", "text", "kind", "required"]

    # A frozen set is what open and past audits asked: nobody changes it, not even here.
    def has_add_permission(self, request, obj=None) -> bool:
        return obj is None or not obj.is_frozen

    def has_change_permission(self, request, obj=None) -> bool:
        return obj is None or not obj.is_frozen

    def has_delete_permission(self, request, obj=None) -> bool:
        return obj is None or not obj.is_frozen


@admin.register(QuestionSet)
class QuestionSetAdmin(admin.ModelAdmin):
    list_display = ["name", "version", "frozen_at", "created_at"]
    search_fields = ["name"]
    readonly_fields = ["frozen_at", "based_on", "created_at"]
    inlines = [QuestionSetItemInline]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.is_frozen:
            return [*self.readonly_fields, "name", "version", "description"]
        return self.readonly_fields


class AuditTransitionInline(admin.TabularInline):
    model = AuditTransition
    extra = 0
    fields = ["at", "from_status", "to_status", "actor", "note"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Audit)
class AuditAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "priority", "returns_open", "returns_due"]
    list_filter = ["status", "kind"]
    search_fields = ["title", "priority", "key_question"]
    date_hierarchy = "returns_open"
    list_select_related = ["question_set"]
    readonly_fields = [
        "status",
        "created_by",
        "created_at",
        "updated_at",
        "opened_at",
        "closed_at",
        "purged_at",
    ]
    inlines = [AuditTransitionInline]


@admin.register(ConcernAlert)
class ConcernAlertAdmin(AppendOnlyAdmin):
    """Whether each immediate-concern alert went: written by the alert service only."""

    list_display = ("concern", "label", "status", "attempts", "last_attempt_at", "sent_at")
    list_filter = ("status",)


@admin.register(PurgeRecord)
class PurgeRecordAdmin(AppendOnlyAdmin):
    """Read-only record of what the retention purge removed."""

    list_display = ("at", "audit_title", "rule")
    date_hierarchy = "at"
