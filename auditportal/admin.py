from django.contrib import admin

from . import tenancy
from .models import AuditEvent, OutboxMessage


class AppendOnlyAdmin(admin.ModelAdmin):
    """For records of what happened (the audit trail, briefing versions and downloads, purge
    records, sign-in logs): the admin may look, nobody may add, change or delete, not even a
    superuser. Refusing deletion here also refuses deleting anything that would cascade to
    them (Django's delete page checks every related registered model)."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(AppendOnlyAdmin):
    """Read-only: the audit trail cannot be changed or deleted through the app."""

    list_display = ("at", "actor_label", "kind", "code", "target_type", "target_repr")
    list_filter = ("kind", "target_type")
    search_fields = ("actor_label", "code", "target_repr")
    date_hierarchy = "at"


@admin.register(OutboxMessage)
class OutboxMessageAdmin(AppendOnlyAdmin):
    """Background work handed (or waiting to be handed) to the queue: for looking only."""

    list_display = ("created_at", "task", "ref", "status", "attempts", "next_attempt_at")
    list_filter = ("status", "task")
    readonly_fields = ("last_error",)

    def get_queryset(self, request):
        # A global table: each partnership's administrators see their own tasks only.
        return scope_by_kwarg(super().get_queryset(request))


def scope_by_kwarg(queryset):
    current = tenancy.current()
    if current is tenancy.SYSTEM:
        return queryset
    return queryset.filter(kwargs__partnership_id=current)


class PartnershipUsersOnly:
    """Sign-in logs are global tables (django-axes): each partnership's administrators see
    the rows of their own partnership's usernames only."""

    def get_queryset(self, request):
        from django.contrib.auth import get_user_model

        usernames = get_user_model().objects.values("username")
        return super().get_queryset(request).filter(username__in=usernames)  # type: ignore[misc]


def _register_sign_in_logs_append_only() -> None:
    """django-axes registers its sign-in logs as deletable; they are security records. Its
    AccessAttempt admin stays as it is: deleting an attempt is how a lockout is lifted."""
    from axes.admin import AccessFailureLogAdmin, AccessLogAdmin
    from axes.models import AccessFailureLog, AccessLog

    for model, base in ((AccessLog, AccessLogAdmin), (AccessFailureLog, AccessFailureLogAdmin)):
        if admin.site.is_registered(model):
            admin.site.unregister(model)
        admin.site.register(
            model,
            type(f"AppendOnly{base.__name__}", (PartnershipUsersOnly, AppendOnlyAdmin, base), {}),
        )
    from axes.admin import AccessAttemptAdmin
    from axes.models import AccessAttempt

    if admin.site.is_registered(AccessAttempt):
        admin.site.unregister(AccessAttempt)
    admin.site.register(
        AccessAttempt,
        type("PartnershipAccessAttemptAdmin", (PartnershipUsersOnly, AccessAttemptAdmin), {}),
    )


_register_sign_in_logs_append_only()
