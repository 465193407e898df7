"""Benchmarking across partnerships, aggregate only (issue 14, point 5): an opted-in
partnership's board dashboard shows its figure beside the median of opted-in partnerships,
each partnership's figure suppressed below its threshold, no partnership named."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from auditportal.celery import app as celery_app
from auditportal.tenancy import partnership_context, system_context
from audits.models import Audit, Return
from audits.retention import audit_purge
from audits.services import audit_publish, audit_transition
from cases.hosts import host_map
from cases.models import Partnership
from findings.benchmarks import theme_benchmarks
from findings.models import BenchmarkShare
from findings.services import benchmark_shares_refresh
from findings.tasks import refresh_benchmark_shares

from ..factories import (
    AnswerFactory,
    AuditFactory,
    QuestionFactory,
    QuestionSetItemFactory,
    ReturnFactory,
    ThemeFactory,
)

KEY = "voice-of-the-child"


def grades(partnership, *choices, status=Audit.Status.PUBLISHED, refresh=True):
    """Submitted returns of a published audit of `partnership`, one grade answer each. The
    audit is made published directly (not through the services), so the partnership's
    shares are refreshed here as publishing would (unless `refresh=False`)."""
    with partnership_context(partnership):
        theme = ThemeFactory(name="Voice of the child", key=KEY)
        item = QuestionSetItemFactory(question=QuestionFactory(theme=theme), theme=theme)
        audit = AuditFactory(status=status, question_set=item.question_set)
        for choice in choices:
            submitted = ReturnFactory(case__audit=audit, status=Return.Status.SUBMITTED)
            AnswerFactory(audit_return=submitted, item=item, choice=choice)
    if refresh:
        benchmark_shares_refresh(partnership_id=partnership.pk)
    return audit


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
    opted_in, board, client_as, partnerships
):
    grades(opted_in, "good", "good", "good")
    for number in range(partnerships):
        grades(other(f"Partnership {number}"), "good", "inadequate", "good")
    client = client_as(board)
    client.get(reverse("findings:dashboard"))
    without = _dashboard_queries(client, opted_in, on=False)

    with_benchmarks = _dashboard_queries(client, opted_in, on=True)

    # own figures, every opted-in partnership's shares with their thresholds: two more queries
    assert len(with_benchmarks) - len(without) == 2
    # session, user, device, partnership, themes of board audits, their answers, actions,
    # re-audits, the shares of opted-in partnerships, own figures
    assert len(with_benchmarks) == 10


def _dashboard_queries(client, partnership, *, on):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    partnership.benchmarking_opt_in = on
    partnership.save()
    host_map()
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("findings:dashboard"))
    return queries.captured_queries


def test_the_benchmarks_read_no_other_partnerships_answers(opted_in):
    """A dashboard view must not scan every opted-in partnership's answers (issue 14: a page's
    cost may not grow with the partnerships beside it): the medians come from shares kept per
    partnership, and the only answers read are the partnership's own."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    grades(opted_in, "good", "good", "good")
    for name in ("Alder", "Birch", "Cedar"):
        grades(other(name), "good", "inadequate", "good")
    own_scope = f'"audits_answer"."partnership_id" = {opted_in.pk}'

    with CaptureQueriesContext(connection) as queries:
        theme_benchmarks(opted_in)

    reading_answers = [q["sql"] for q in queries if '"audits_answer"' in q["sql"]]
    assert [sql for sql in reading_answers if own_scope not in sql] == []


def test_publishing_an_audit_through_the_service_changes_the_median(
    opted_in, business, board, client_as, django_capture_on_commit_callbacks
):
    grades(opted_in, "good", "good", "good")  # 100%
    grades(other("Alder"), "inadequate", "inadequate", "inadequate")  # 0%
    grades(other("Birch"), "good", "good", "good")  # 100%
    grades(other("Cedar"), "good", "good", "good")  # 100%
    agreed = grades(
        opted_in, "inadequate", "inadequate", "inadequate", status=Audit.Status.FINDINGS_AGREED
    )
    dashboard = client_as(board)
    before = dashboard.get(reverse("findings:dashboard")).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        audit_publish(audit=agreed, actor=business)

    after = dashboard.get(reverse("findings:dashboard")).content.decode()
    assert "100% (of 4 partnerships)" in before  # median of 0, 100, 100, 100
    assert "75% (of 4 partnerships)" in after  # median of 0, 50, 100, 100
    assert "50% (3 of 6)" in after


def test_closing_a_published_audit_refreshes_the_share(
    opted_in, business, django_capture_on_commit_callbacks
):
    published = grades(opted_in, "good", "inadequate", refresh=False)

    with django_capture_on_commit_callbacks(execute=True):
        audit_transition(audit=published, to_status=Audit.Status.CLOSED, actor=business)

    assert _shares(opted_in) == [(KEY, 2, 1)]


def test_opting_in_shares_and_opting_out_takes_the_share_back(
    partnership, django_capture_on_commit_callbacks
):
    grades(partnership, "good", "good", "inadequate")
    assert _shares(partnership) == []

    with django_capture_on_commit_callbacks(execute=True):
        partnership.benchmarking_opt_in = True
        partnership.save()
    shared = _shares(partnership)
    with django_capture_on_commit_callbacks(execute=True):
        partnership.benchmarking_opt_in = False
        partnership.save()

    assert shared == [(KEY, 3, 2)]
    assert _shares(partnership) == []


def test_saving_a_setting_the_shares_do_not_depend_on_refreshes_nothing(
    opted_in, django_capture_on_commit_callbacks, monkeypatch
):
    partnership = opted_in
    refreshed = []
    monkeypatch.setattr(
        "findings.services.benchmark_shares_refresh",
        lambda *, partnership_id: refreshed.append(partnership_id) or 0,
    )

    with django_capture_on_commit_callbacks(execute=True):
        partnership.name = "Renamed Safeguarding Children Partnership"
        partnership.save(update_fields=["name"])
    assert refreshed == []
    with django_capture_on_commit_callbacks(execute=True):
        partnership.save(update_fields=["benchmarking_opt_in"])
    assert refreshed == [partnership.pk]


def test_purging_an_audit_refreshes_the_share(opted_in, django_capture_on_commit_callbacks):
    closed = grades(opted_in, "good", "good", status=Audit.Status.CLOSED)
    closed.closed_at = timezone.now()
    closed.save(update_fields=["closed_at"])
    BenchmarkShare.objects.filter(partnership=opted_in).update(graded=9, good=9)  # stale

    with django_capture_on_commit_callbacks(execute=True):
        audit_purge(audit=closed, rule="test")

    assert _shares(opted_in) == [(KEY, 2, 2)]


def test_the_nightly_task_refreshes_every_partnership_in_its_own_context(opted_in):
    grades(opted_in, "good", "inadequate", refresh=False)
    alder = other("Alder")
    grades(alder, "good", "good", "good", refresh=False)
    cedar = other("Cedar", opted_in=False)
    grades(cedar, "good", refresh=False)
    with partnership_context(cedar):  # left from before it opted out
        BenchmarkShare.objects.create(theme_key=KEY, graded=5, good=5, refreshed_at=timezone.now())

    with system_context():  # as beat starts it: no partnership
        themes = refresh_benchmark_shares()

    assert themes == 2
    assert (_shares(opted_in), _shares(alder), _shares(cedar)) == (
        [(KEY, 2, 1)],
        [(KEY, 3, 3)],
        [],
    )


def test_the_beat_schedule_refreshes_the_shares_nightly():
    entry = celery_app.conf.beat_schedule["findings-refresh-benchmark-shares"]

    assert entry["task"] == "findings.refresh_benchmark_shares"
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({3}, {15})


def _shares(partnership):
    with system_context():
        return list(
            BenchmarkShare.objects.filter(partnership=partnership).values_list(
                "theme_key", "graded", "good"
            )
        )


def test_a_failed_refresh_leaves_the_publishing_saved(
    opted_in, business, monkeypatch, django_capture_on_commit_callbacks
):
    agreed = grades(opted_in, "good", status=Audit.Status.FINDINGS_AGREED, refresh=False)

    def refresh_fails(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr("findings.services.benchmark_shares_refresh", refresh_fails)
    with django_capture_on_commit_callbacks(execute=True):
        audit_publish(audit=agreed, actor=business)

    agreed.refresh_from_db()
    assert agreed.status == Audit.Status.PUBLISHED
    assert _shares(opted_in) == []  # the nightly run catches up


@pytest.mark.skipif(not settings.IS_POSTGRES, reason="row-level security is PostgreSQL's")
def test_shares_are_refreshed_and_read_under_row_level_security(opted_in):
    # As production connects (an ordinary role): a refresh writes its own partnership's rows,
    # the medians read every partnership's through the operator context, and a partnership's
    # context sees its own shares alone.
    from tests.security.test_row_security import become_ordinary_role

    grades(other("Alder"), "good", "inadequate", "inadequate", refresh=False)  # 33%
    grades(other("Birch"), "good", "good", "inadequate", refresh=False)  # 67%
    grades(opted_in, "good", "good", "good", refresh=False)  # 100%
    become_ordinary_role()

    for partnership in Partnership.objects.filter(benchmarking_opt_in=True):
        benchmark_shares_refresh(partnership_id=partnership.pk)
    (benchmark,) = theme_benchmarks(opted_in)

    assert (benchmark.median, benchmark.partnerships) == (67, 3)
    assert list(BenchmarkShare.objects.values_list("partnership_id", "graded")) == [
        (opted_in.pk, 3)
    ]
