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
