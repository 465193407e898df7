from django.contrib import admin

from accounts.admin import UserAdmin

from .models import Agency, Case, CaseAgency, Membership, Partnership


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["agency"]


# A user's agencies are edited on the user's page; the inline is added here, in the layer
# that owns memberships, so accounts need not know about agencies.
UserAdmin.inlines = [*UserAdmin.inlines, MembershipInline]


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    list_display = (
        "__str__",
        "suppression_threshold",
        "reminder_days_before_due",
        "retention_days",
        "board_grade_basis",
    )

    def has_add_permission(self, request) -> bool:
        return not Partnership.objects.exists()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ("name", "short_name", "sector", "active")
    list_filter = ("sector", "active")
    search_fields = ("name", "short_name")


class CaseAgencyInline(admin.TabularInline):
    model = CaseAgency
    extra = 0
    autocomplete_fields = ["agency"]


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    # Record references are deliberately not shown here: they are read through
    # cases.selectors, which log access and scope by agency.
    list_display = ("pseudonym", "age_band", "gender", "level_of_need")
    list_filter = ("level_of_need", "age_band")
    search_fields = ("pseudonym",)
    inlines = [CaseAgencyInline]
