"""Benchmarking across partnerships, aggregate only (issue 14, point 5): an opted-in
partnership's board dashboard shows its figure beside the median of opted-in partnerships,
each partnership's figure suppressed below its threshold, no partnership named."""

import pytest
from django.urls import reverse

from auditportal.tenancy import partnership_context
from audits.models import Audit, Return
from cases.hosts import host_map
from cases.models import Partnership
from findings.benchmarks import theme_benchmarks

from ..factories import (
    AnswerFactory,
    AuditFactory,
    QuestionFactory,
    QuestionSetItemFactory,
    ReturnFactory,
    ThemeFactory,
)

KEY = "voice-of-the-child"


def grades(partnership, *choices):
    """Submitted returns of a published audit of `partnership`, one grade answer each."""
    with partnership_context(partnership):
        theme = ThemeFactory(name="Voice of the child", key=KEY)
        item = QuestionSetItemFactory(question=QuestionFactory(theme=theme), theme=theme)
        audit = AuditFactory(status=Audit.Status.PUBLISHED, question_set=item.question_set)
        for choice in choices:
            submitted = ReturnFactory(case__audit=audit, status=Return.Status.SUBMITTED)
            AnswerFactory(audit_return=submitted, item=item, choice=choice)


def other(name, *, opted_in=True, threshold=3):
    return Partnership.objects.create(
        name=name,
        slug=name.lower().replace(" ", "-"),
        benchmarking_opt_in=opted_in,
        suppression_threshold=threshold,
    )


@pytest.fixture
def opted_in(partnership):
    partnership.benchmarking_opt_in = True
    partnership.save()
    host_map()
    return partnership


def test_the_median_of_opted_in_partnerships_is_beside_the_partnerships_own(opted_in):
    grades(opted_in, "good", "good", "inadequate", "outstanding")  # 75%
    grades(other("Alder"), "good", "inadequate", "inadequate")  # 33%
    grades(other("Birch"), "good", "good", "good")  # 100%
    grades(other("Cedar"), "good", "good", "requires_improvement", "inadequate")  # 50%

    (benchmark,) = theme_benchmarks(opted_in)

    assert benchmark.own.display(3) == "75% (3 of 4)"
    assert (benchmark.median, benchmark.partnerships) == (62, 4)  # median of 33, 50, 75, 100


def test_a_partnership_below_its_threshold_and_one_not_opted_in_do_not_count(opted_in):
    grades(opted_in, "good", "good", "good")
    grades(other("Alder"), "inadequate", "inadequate", "inadequate")
    grades(other("Birch", threshold=5), "good", "good", "good")  # 3 graded, below its 5
    grades(other("Cedar", opted_in=False), "inadequate", "inadequate", "inadequate")

    (benchmark,) = theme_benchmarks(opted_in)

    assert (benchmark.median, benchmark.partnerships) == (None, 0)  # only 2 count: not shown


def test_a_partnership_not_opted_in_sees_no_benchmarks(partnership):
    grades(partnership, "good", "good", "good")
    for name in ("Alder", "Birch", "Cedar"):
        grades(other(name), "good", "good", "good")

    assert theme_benchmarks(partnership) == []


def test_the_board_dashboard_shows_the_median_and_names_no_partnership(opted_in, board, client_as):
    grades(opted_in, "good", "good", "inadequate", "outstanding")
    for name, choice in (("Alder", "good"), ("Birch", "inadequate"), ("Cedar", "good")):
        grades(other(f"{name} Safeguarding Partnership"), choice, choice, choice)

    html = client_as(board).get(reverse("findings:dashboard")).content.decode()

    assert "Beside other partnerships" in html
    assert "75% (3 of 4)" in html
    assert "88% (of 4 partnerships)" in html  # median of 0, 75, 100, 100
    assert "Alder" not in html and "Birch" not in html and "Cedar" not in html


@pytest.mark.parametrize("partnerships", [3, 6])
def test_benchmark_query_count_stays_flat_as_partnerships_grow(
    opted_in, board, client_as, partnerships, django_assert_num_queries
):
    grades(opted_in, "good", "good", "good")
    for number in range(partnerships):
        grades(other(f"Partnership {number}"), "good", "inadequate", "good")
    client = client_as(board)
    client.get(reverse("findings:dashboard"))
    without = _dashboard_queries(client, opted_in, on=False)

    with_benchmarks = _dashboard_queries(client, opted_in, on=True)

    # own figures, the opted-in partnerships' thresholds, their figures: three more queries
    assert with_benchmarks - without == 3


def _dashboard_queries(client, partnership, *, on):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    partnership.benchmarking_opt_in = on
    partnership.save()
    host_map()
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("findings:dashboard"))
    return len(queries)
