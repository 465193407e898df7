from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from .models import Membership, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["agency"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        ("AuditPortal", {"fields": ("role", "job_title")}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        ("AuditPortal", {"fields": ("email", "first_name", "last_name", "role")}),
    )
    list_display = ("username", "get_full_name", "email", "role", "is_active")
    list_filter = ("role", "is_active", "memberships__agency")
    inlines = [MembershipInline]
    actions = ["unlock_sign_in", "reset_two_factor"]

    @admin.action(description="Unlock sign-in (clear failed attempts)")
    def unlock_sign_in(self, request, queryset):
        from axes.utils import reset

        from auditportal.auditlog import audit_log

        for user in queryset:
            reset(username=user.get_username())
            audit_log(actor=request.user, verb="sign-in unlocked", target=user, kind="security")
        self.message_user(request, f"Sign-in unlocked for {queryset.count()} user(s).")

    @admin.action(description="Reset two-factor sign-in (lost phone): enrol again")
    def reset_two_factor(self, request, queryset):
        from .mfa import mfa_reset

        for user in queryset:
            mfa_reset(user=user, actor=request.user)
        self.message_user(request, f"Two-factor sign-in reset for {queryset.count()} user(s).")
