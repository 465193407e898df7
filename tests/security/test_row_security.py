"""The second lock: PostgreSQL row-level security on every partnership-owned table.

The tests connect as `postgres`, a superuser, and superusers (and BYPASSRLS roles) are never
bound by row-level security, FORCE or not. So each test here makes an ordinary role inside
its transaction and `SET LOCAL ROLE`s to it, as production connects (docs/security.md);
everything, the role included, is rolled back with the test.
"""

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse

from accounts.models import User
from auditportal import row_security
from auditportal.tenancy import (
    orm_filter_disabled,
    owned_models,
    partnership_context,
    system_context,
)
from audits.models import Audit, Return
from audits.selectors import returns_visible_to
from cases.models import Case
from tests.factories import ReturnFactory, UserFactory
from tests.tenancy import SECOND_HOST, second_partnership

pytestmark = pytest.mark.skipif(
    not settings.IS_POSTGRES, reason="row-level security is PostgreSQL's; SQLite has the ORM lock"
)

APP_ROLE = "auditportal_rls_test"


def become_ordinary_role() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {APP_ROLE} NOLOGIN NOSUPERUSER NOBYPASSRLS")
        cursor.execute(f"GRANT USAGE ON SCHEMA public TO {APP_ROLE}")
        cursor.execute(
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {APP_ROLE}"
        )
        cursor.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {APP_ROLE}")
        cursor.execute(f"SET LOCAL ROLE {APP_ROLE}")


@pytest.fixture
def two_partnerships(business, practitioner, agency_a):
    """A: the default test partnership, with a return; B: a partnership with its own."""
    return_a = ReturnFactory(agency=agency_a, assignee=practitioner, case__pseudonym="RB1")
    return_a.audit.title = "Riverbend neglect deep dive"
    return_a.audit.save()
    second = second_partnership()
    with partnership_context(second):
        business_b = UserFactory(username="b-business", role=User.Role.BUSINESS)
        return_b = ReturnFactory(case__pseudonym="NM1", case__audit__title="Northmoor audit")
    return {"a": return_a, "b": return_b, "second": second, "business_b": business_b}


def test_every_partnership_owned_table_has_the_policy_forced(db):
    tables = {model._meta.db_table for model in owned_models()}

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_policy p ON p.polrelid = c.oid "
            "WHERE c.relrowsecurity AND c.relforcerowsecurity AND p.polname = %s",
            [row_security.POLICY],
        )
        sealed = {row[0] for row in cursor.fetchall()}

    assert len(tables) > 40
    assert tables - sealed == set()


def test_the_policy_reads_the_partnership_setting_once_per_query_not_once_per_row(
    two_partnerships,
):
    """Wrapped in scalar subqueries, the setting becomes an InitPlan parameter; bare, the
    functions were inlined and `current_setting` ran for every row the plan touched."""
    become_ordinary_role()
    with partnership_context(two_partnerships["second"]), connection.cursor() as cursor:
        sql, params = Return.objects.filter(status="submitted").query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "InitPlan" in plan
    filters = [line for line in plan.splitlines() if "Filter:" in line]
    assert filters and not any("current_setting" in line for line in filters)


def test_a_selector_without_the_orm_filter_still_gets_nothing_of_another_partnership(
    two_partnerships,
):
    second = two_partnerships["second"]
    business_b = two_partnerships["business_b"]
    with partnership_context(second), orm_filter_disabled():
        as_superuser = set(returns_visible_to(business_b))  # the control: RLS not applied
    become_ordinary_role()

    with partnership_context(second), orm_filter_disabled():
        as_app_role = set(returns_visible_to(business_b))
        audits = set(Audit.objects.values_list("title", flat=True))
        cases = set(Case.objects.values_list("pseudonym", flat=True))

    assert as_superuser == {two_partnerships["a"], two_partnerships["b"]}
    assert as_app_role == {two_partnerships["b"]}
    assert audits == {"Northmoor audit"}
    assert cases == {"NM1"}


def test_a_page_without_the_orm_filter_shows_nothing_of_another_partnership(two_partnerships):
    second = two_partnerships["second"]
    client = Client(HTTP_HOST=SECOND_HOST)
    with partnership_context(second):
        client.force_login(two_partnerships["business_b"])
    become_ordinary_role()

    with orm_filter_disabled():
        html = client.get(reverse("audits:programme")).content.decode()

    assert "Northmoor audit" in html
    assert "Riverbend neglect deep dive" not in html


def test_row_level_security_refuses_writing_a_row_into_another_partnership(two_partnerships):
    become_ordinary_role()
    return_a = two_partnerships["a"]

    with partnership_context(two_partnerships["second"]), orm_filter_disabled():
        updated = Return._base_manager.filter(pk=return_a.pk).update(status="submitted")

    assert updated == 0
    with system_context():
        return_a.refresh_from_db()
    assert return_a.status == "not_started"


def test_a_connection_without_the_setting_sees_no_rows(two_partnerships):
    become_ordinary_role()

    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('auditportal.partnership', '', true)")
        cursor.execute("SELECT count(*) FROM audits_return")  # no context wrapper decides here
        count = cursor.fetchone()[0]

    assert count == 0


def test_operator_code_sees_every_partnership(two_partnerships):
    become_ordinary_role()

    with system_context():
        count = Return.objects.count()

    assert count == 2
