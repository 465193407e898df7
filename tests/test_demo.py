import io

from django.core.management import call_command

from accounts.models import User
from cases.models import Agency


def test_load_demo_twice_changes_nothing(db):
    call_command("load_demo", stdout=io.StringIO())
    counts = (User.objects.count(), Agency.objects.count())
    passwords = dict(User.objects.values_list("username", "password"))

    call_command("load_demo", stdout=io.StringIO())

    assert (User.objects.count(), Agency.objects.count()) == counts
    assert dict(User.objects.values_list("username", "password")) == passwords
    assert counts[1] == 10
    assert {u.role for u in User.objects.all()} == set(User.Role.values) - {User.Role.HOSTING}


def test_the_demo_has_two_partnerships_sealed_from_each_other(db):
    from auditportal.tenancy import partnership_context, system_context
    from audits.models import Audit
    from cases.models import Partnership

    out = io.StringIO()
    call_command("load_demo", stdout=out)

    northmoor = Partnership.objects.get(slug="northmoor")
    with partnership_context(northmoor):
        titles = set(Audit.objects.values_list("title", flat=True))
        usernames = set(User.objects.values_list("username", flat=True))
    riverbend_titles = set(Audit.objects.values_list("title", flat=True))
    with system_context():
        hosting = User.objects.get(username="hosting")
    assert titles == {"Northmoor multi-agency audit: neglect in under-fives"}
    assert usernames == {"nm.business", "nm.practitioner", "nm.police", "nm.board"}
    assert titles.isdisjoint(riverbend_titles) and len(riverbend_titles) > 3
    assert (hosting.role, hosting.partnership_id) == (User.Role.HOSTING, None)
    text = out.getvalue()
    assert (
        "Northmoor Safeguarding Children Partnership: sign in at http://northmoor.localhost" in text
    )
    assert "nm.business" in text and "  Business team   business " in text


def test_the_demo_has_a_planned_reaudit_of_its_published_audit(db):
    from audits.models import Audit
    from findings.models import ReAudit

    call_command("load_demo", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())

    reaudit = ReAudit.objects.get()
    assert reaudit.audit.status == Audit.Status.PLANNED
    assert reaudit.source_audit.status == Audit.Status.PUBLISHED
    assert reaudit.same_children
    assert reaudit.audit.cases.count() == reaudit.source_audit.cases.count()
    assert reaudit.actions.count() == 1


def test_each_demo_partnership_has_its_own_kinds_of_key_event(db):
    from auditportal.tenancy import system_context
    from audits.models import EventKind
    from cases.models import Partnership

    call_command("load_demo", stdout=io.StringIO())

    with system_context():
        kinds = {
            partnership.slug: set(
                EventKind.objects.filter(partnership=partnership).values_list("key", flat=True)
            )
            for partnership in Partnership.objects.all()
        }
    assert len(kinds) == 2  # Riverbend (the test partnership's address) and Northmoor
    assert all("referral" in keys and "case-closed" in keys for keys in kinds.values())
