"""The backup-restore check (tests/production/backup_restore.py) compares every audit's results
as JSON written by two processes: the JSON must hold the figures only, the same for the same
data, grades by agency included (they are built when first asked for)."""

import json

import pytest

from tests.production.snapshot import results_of

from .results_builders import four_case_audit

pytestmark = pytest.mark.django_db


def test_the_same_results_give_the_same_json_with_grades_by_agency():
    built = four_case_audit()

    first = json.dumps(results_of(built.audit), default=str, sort_keys=True)
    second = json.dumps(results_of(built.audit), default=str, sort_keys=True)

    assert first == second
    assert " at 0x" not in first  # no object's address (a function, a partial) in the figures
    theme = json.loads(first)["themes"][0]
    assert theme["by_agency"], "the theme's grades by agency are in the snapshot"
    assert {"agency_name", "figures"} <= set(theme["by_agency"][0])
