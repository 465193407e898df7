from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig


class AdminConfig(DjangoAdminConfig):
    """django.contrib.admin with the site named per partnership (auditportal/admin_site.py)."""

    default_site = "auditportal.admin_site.PartnershipAdminSite"
