"""What the audit trail stands on cannot be deleted in the Django admin, not even by a
superuser: trail rows, briefings and their versions, downloads and take-up, purge records,
sign-in logs. Walks every registered admin, so a new registration is checked too."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.urls import reverse

from auditportal.auditlog import audit_log
from audits.models import PurgeRecord
from briefings.models import BriefingDownload, BriefingUse, BriefingVersion
from tests.factories import AuditFactory, BriefingFactory, BriefingVersionFactory

# Records that say what happened: rows are added, never removed.
APPEND_ONLY = {
    "auditportal.auditevent",
    "auditportal.outboxmessage",  # queued work: deleting a row would drop the task
    "audits.concernalert",
    "audits.purgerecord",
    "axes.accessfailurelog",
    "axes.accesslog",
    "briefings.briefing",  # deleting one deletes its versions and downloads
    "briefings.briefingdownload",
    "briefings.briefinguse",
    "briefings.briefingversion",
}


def _request(user):
    request = RequestFactory().get("/admin/")
    request.user = user or AnonymousUser()
    return request


def _refuses_change(model_admin, request) -> bool:
    return not model_admin.has_change_permission(request)


def test_every_append_only_model_is_registered_and_refuses_deletion(admin_user):
    request = _request(admin_user)
    registered = {model._meta.label_lower: ma for model, ma in admin.site._registry.items()}

    problems = []
    for label in sorted(APPEND_ONLY):
        model_admin = registered.get(label)
        if model_admin is None:
            problems.append(f"{label}: not registered")
            continue
        if model_admin.has_delete_permission(request) or model_admin.has_delete_permission(
            request, obj=model_admin.model()
        ):
            problems.append(f"{label}: a superuser may delete")
        if "delete_selected" in model_admin.get_actions(request):
            problems.append(f"{label}: offers the delete action")
    assert not problems, "\n".join(problems)


def test_every_read_only_admin_also_refuses_deletion(admin_user):
    request = _request(admin_user)

    leaks = [
        model._meta.label_lower
        for model, model_admin in admin.site._registry.items()
        if _refuses_change(model_admin, request) and model_admin.has_delete_permission(request)
    ]

    assert leaks == []


@pytest.fixture
def records(business):
    audit = AuditFactory()
    briefing = BriefingFactory(audit=audit)
    version = BriefingVersionFactory(briefing=briefing, number=1)
    download = BriefingDownload.objects.create(version=version, user=business)
    event = audit_log(actor=business, code="briefing.downloaded", target=version)
    purge = PurgeRecord.objects.create(audit=audit, audit_title=audit.title, rule="test")
    return {
        "audit": audit,
        "briefing": briefing,
        "version": version,
        "download": download,
        "event": event,
        "purge": purge,
    }


@pytest.mark.parametrize("name", ["briefing", "version", "download", "event", "purge"])
def test_the_admin_delete_page_is_refused_to_a_superuser(client, admin_user, records, name):
    obj = records[name]
    opts = obj._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_delete", args=[obj.pk])
    client.force_login(admin_user)

    shown = client.get(url)
    posted = client.post(url, {"post": "yes"})

    assert (shown.status_code, posted.status_code) == (403, 403)
    assert type(obj).objects.filter(pk=obj.pk).exists()


def test_deleting_an_audit_with_a_briefing_is_refused_in_the_admin(client, admin_user, records):
    """The delete would cascade to the briefing, its versions and their downloads."""
    audit = records["audit"]
    url = reverse("admin:audits_audit_delete", args=[audit.pk])
    client.force_login(admin_user)

    response = client.post(url, {"post": "yes"})

    assert response.status_code == 403
    assert BriefingVersion.objects.filter(pk=records["version"].pk).exists()
    assert BriefingDownload.objects.count() == 1
    assert BriefingUse.objects.count() == 0


def test_each_append_only_list_can_still_be_read_by_a_superuser(client, admin_user, records):
    client.force_login(admin_user)
    problems = []
    for model in admin.site._registry:
        opts = model._meta
        if opts.label_lower not in APPEND_ONLY:
            continue
        response = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        if response.status_code != 200:
            problems.append(f"{opts.label_lower}: {response.status_code}")

    assert problems == []
