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
    assert {u.role for u in User.objects.all()} == set(User.Role.values)


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
