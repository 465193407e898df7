from django.contrib import admin

from .models import CodeBatch, Survey, SurveyAnswer, SurveyQuestion


class QuestionInline(admin.TabularInline):
    model = SurveyQuestion
    extra = 0


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ("title", "audit", "audience", "status", "opened_on", "closed_on")
    list_filter = ("audience", "status")
    raw_id_fields = ["audit"]
    inlines = [QuestionInline]


@admin.register(CodeBatch)
class CodeBatchAdmin(admin.ModelAdmin):
    """Labels and sizes only: the codes themselves were shown once and are kept as hashes."""

    list_display = ("label", "survey", "agency", "size", "created_on")
    readonly_fields = ("survey", "label", "agency", "size", "request_key", "created_on")

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(SurveyAnswer)
class SurveyAnswerAdmin(admin.ModelAdmin):
    """The respondents' own words, read-only (the data protection officer reads the original
    beside the edited quote)."""

    list_display = ("question", "choice", "quote_consent", "flags")
    list_filter = ("quote_consent", "question__survey")
    readonly_fields = ("response", "question", "choice", "text", "quote_consent", "flags")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
