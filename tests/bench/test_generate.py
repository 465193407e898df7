"""The large-data generator behind `make bench` (bench/generate.py): deterministic from its
seed, and the shape the benchmarks rely on."""

import datetime
import io

from django.core.management import call_command
from django.db import models, transaction

from accounts.models import User
from auditportal.tenancy import PartnershipOwned, owned_models, partnership_context, system_context
from audits.bank import DEFAULT_BANK
from audits.models import Answer, Audit, Grade, Question, Return
from bench.generate import generate
from cases.models import Partnership, PartnershipHost, RecordReference
from findings.models import BenchmarkShare

ANCHOR = datetime.date(2026, 11, 1)


def _snapshot() -> list[tuple]:
    with system_context():
        return _answers()


def _answers() -> list[tuple]:
    return sorted(
        Answer.objects.values_list(
            "audit_return__audit__title",
            "audit_return__case__pseudonym",
            "audit_return__agency__name",
            "audit_return__status",
            "item__order",
            "choice",
            "evidence",
        )
    )


def _generate_and_snapshot(seed: int) -> list[tuple]:
    with transaction.atomic():
        generate(partnerships=1, seed=seed, years=1, max_cases=3, anchor=ANCHOR, log=lambda m: None)
        snapshot = _snapshot()
        transaction.set_rollback(True)
    return snapshot


def test_generate_same_seed_gives_the_same_data(db):
    first = _generate_and_snapshot(seed=7)

    second = _generate_and_snapshot(seed=7)

    assert first == second
    assert first != _generate_and_snapshot(seed=8)


def test_generate_large_data_command_makes_every_stage_of_the_audit_cycle(db):
    call_command(
        "generate_large_data",
        partnerships=2,
        seed=1,
        years=1,
        max_cases=3,
        anchor=ANCHOR,
        stdout=io.StringIO(),
    )

    # Each partnership is a tenant: its own rows, seen from its own context.
    with partnership_context(Partnership.objects.get(slug="bench-p002")):
        statuses = set(Audit.objects.values_list("status", flat=True))
        assert statuses == {
            Audit.Status.PLANNED,
            Audit.Status.OPEN,
            Audit.Status.MODERATION,
            Audit.Status.FINDINGS_AGREED,
            Audit.Status.PUBLISHED,
        }
        assert Audit.objects.count() == 8
        assert {a.title[:5] for a in Audit.objects.all()} == {"P002 "}
        assert User.objects.filter(username="p002-business0", role=User.Role.BUSINESS).exists()
        assert not User.objects.filter(username="p001-business0").exists()
        assert RecordReference.objects.count() > 0
        # Every submitted return answers every question of the set.
        submitted = Return.objects.filter(status=Return.Status.SUBMITTED).first()
        assert submitted.answers.count() == submitted.audit.question_set.items.count()
        # Not-started returns have no answers; planned audits have no returns yet.
        assert not Answer.objects.filter(audit_return__status=Return.Status.NOT_STARTED).exists()
        assert not Return.objects.filter(audit__status=Audit.Status.PLANNED).exists()


def test_each_generated_partnership_is_a_tenant_with_its_own_host_and_bank(db):
    result = generate(
        partnerships=3,
        seed=1,
        years=1,
        max_cases=1,
        anchor=ANCHOR,
        domain="testserver",
        log=lambda m: None,
    )

    tenants = list(Partnership.objects.filter(pk__in=result["partnership_ids"]).order_by("pk"))
    assert [t.slug for t in tenants] == ["bench-p001", "bench-p002", "bench-p003"]
    assert list(
        PartnershipHost.objects.filter(partnership__in=tenants)
        .order_by("pk")
        .values_list("host", flat=True)
    ) == ["p001.testserver", "p002.testserver", "p003.testserver"]
    assert result["first_host"] == "p001.testserver"
    # Two in three share benchmarking figures; P001, which the pages measure, is one of them,
    # and the shares of those that opted in are there for the dashboard's medians.
    assert [t.benchmarking_opt_in for t in tenants] == [True, True, False]
    with system_context():
        sharing = set(BenchmarkShare.objects.values_list("partnership_id", flat=True))
    assert sharing == {tenants[0].pk, tenants[1].pk}
    with system_context():
        for tenant in tenants:
            # Its own question bank, seeded from the default bank.
            bank = Question.objects.filter(partnership=tenant, active=True).count()
            assert bank == sum(len(theme.questions) for theme in DEFAULT_BANK)
            assert Audit.objects.filter(partnership=tenant).count() == 8


def test_every_generated_row_belongs_to_the_partnership_of_what_it_points_at(db):
    """COPY and bulk_create bypass save()'s guard: check the seal of the data directly."""
    generate(partnerships=2, seed=1, years=1, max_cases=2, anchor=ANCHOR, log=lambda m: None)

    mismatches = {}
    checked = 0
    with system_context():
        for model in owned_models():
            for field in model._meta.concrete_fields:
                if not isinstance(field, models.ForeignKey) or field.name == "partnership":
                    continue
                parent = field.related_model
                if not (isinstance(parent, type) and issubclass(parent, PartnershipOwned)):
                    continue
                rows = model._base_manager.filter(**{f"{field.name}__isnull": False})
                checked += rows.count()
                wrong = rows.exclude(partnership_id=models.F(f"{field.name}__partnership_id"))
                if wrong.exists():
                    mismatches[f"{model._meta.label}.{field.name}"] = wrong.count()

    assert checked > 10_000  # answers, ticks, returns, involvements... were all looked at
    assert mismatches == {}


def test_generated_audits_take_their_themes_and_grades_from_the_bank(db):
    generate(partnerships=1, seed=1, years=2, max_cases=1, anchor=ANCHOR, log=lambda m: None)

    bank_themes = [theme.name for theme in DEFAULT_BANK]
    with system_context():
        priorities = set(Audit.objects.values_list("priority", flat=True))
        grades = set(Answer.objects.filter(item__kind="grade").values_list("choice", flat=True))

    # 16 audits over two years, the themes in turn: each of the bank's 13 at least once.
    assert priorities == set(bank_themes)
    assert grades <= set(Grade.values)
