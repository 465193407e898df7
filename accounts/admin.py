from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode

from auditportal.trail_records import record_key

from .models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (
        *DjangoUserAdmin.fieldsets,  # type: ignore[misc]  # Django's are set, stubs say maybe None
        ("AuditPortal", {"fields": ("role", "job_title", "audit_trail")}),
    )
    readonly_fields = ("audit_trail",)
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        ("AuditPortal", {"fields": ("email", "first_name", "last_name", "role")}),
    )
    list_display = ("username", "get_full_name", "email", "role", "is_active")
    list_filter = ("role", "is_active", "memberships__agency")
    # cases.admin adds the agency memberships inline (memberships live in the cases layer).
    inlines = []
    actions = ["unlock_sign_in", "reset_two_factor"]

    @admin.display(description="Audit trail")
    def audit_trail(self, obj: User) -> str:
        if obj.pk is None:
            return "—"
        trail = reverse("trail:events")
        return format_html(
            '<a href="{}?{}">What happened to this account</a> · '
            '<a href="{}?{}">What this user did</a>',
            trail,
            urlencode({"record": record_key("accounts.user", obj.pk)}),
            trail,
            urlencode({"actor": obj.pk}),
        )

    @admin.action(description="Unlock sign-in (clear failed attempts)")
    def unlock_sign_in(self, request, queryset):
        from axes.utils import reset

        from auditportal.auditlog import audit_log

        for user in queryset:
            reset(username=user.get_username())
            audit_log(actor=request.user, code="account.sign_in_unlocked", target=user)
        self.message_user(request, f"Sign-in unlocked for {queryset.count()} user(s).")

    @admin.action(description="Reset two-factor sign-in (lost phone): enrol again")
    def reset_two_factor(self, request, queryset):
        from .mfa import mfa_reset

        for user in queryset:
            mfa_reset(user=user, actor=request.user)
        self.message_user(request, f"Two-factor sign-in reset for {queryset.count()} user(s).")
