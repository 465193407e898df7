"""The large-data generator behind `make bench` (bench/generate.py): deterministic from its
seed, and the shape the benchmarks rely on."""

import datetime
import io

from django.core.management import call_command
from django.db import transaction

from accounts.models import User
from audits.bank import DEFAULT_BANK
from audits.models import Answer, Audit, Grade, Return
from bench.generate import generate
from cases.models import RecordReference

ANCHOR = datetime.date(2026, 11, 1)


def _snapshot() -> list[tuple]:
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

    statuses = set(Audit.objects.values_list("status", flat=True))
    assert statuses == {
        Audit.Status.PLANNED,
        Audit.Status.OPEN,
        Audit.Status.MODERATION,
        Audit.Status.FINDINGS_AGREED,
        Audit.Status.PUBLISHED,
    }
    assert Audit.objects.filter(title__startswith="P002 ").count() == 8
    assert User.objects.filter(username="p002-business0", role=User.Role.BUSINESS).exists()
    assert RecordReference.objects.count() > 0
    # Every submitted return answers every question of the set.
    submitted = Return.objects.filter(status=Return.Status.SUBMITTED).first()
    assert submitted.answers.count() == submitted.audit.question_set.items.count()
    # Not-started returns have no answers; planned audits have no returns yet.
    assert not Answer.objects.filter(audit_return__status=Return.Status.NOT_STARTED).exists()
    assert not Return.objects.filter(audit__status=Audit.Status.PLANNED).exists()


def test_generated_audits_take_their_themes_and_grades_from_the_bank(db):
    generate(partnerships=1, seed=1, years=2, max_cases=1, anchor=ANCHOR, log=lambda m: None)

    bank_themes = [theme.name for theme in DEFAULT_BANK]
    priorities = set(Audit.objects.values_list("priority", flat=True))
    grades = set(Answer.objects.filter(item__kind="grade").values_list("choice", flat=True))

    # 16 audits over two years, the themes in turn: each of the bank's 13 at least once.
    assert priorities == set(bank_themes)
    assert grades <= set(Grade.values)
