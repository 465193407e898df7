"""Query counts of the key pages pinned at the values `make bench` measures (docs/benchmarks.md):
the same count with 1 and with 3 partnerships as tenants (bench/generate.py), so a page of one
partnership never runs more queries because the database holds more partnerships."""

import pytest

from auditportal.tenancy import partnership_context
from bench.generate import generate
from bench.pages import PAGES, page_url, subjects

# `make bench` measures one query fewer on each page than the test suite counts here: the
# suite enforces two-factor sign-in, which adds the check for the user's verified device.
# Keep both in step: a change here is a change to docs/benchmarks.md.
EXPECTED = {
    # session, user, device, returns with audit/case/agency, counts, access row, its returns,
    # the open queries on the user's answers
    "my_returns": 8,
    # ..., the answers' open queries, whether key events may be written, the events, the kinds
    "return_form": 17,
    "progress_matrix": 8,  # ..., the access row, open queries per return
    # session, user, device, audit, the partnership's grade basis, one for the figures,
    # evidence counts, the audit's re-audit links
    "results": 8,
    "action_tracker": 7,
    # ..., the re-audits for "Did practice change?"; P001 shares benchmarking figures: its
    # own figures, and the opted-in partnerships' precomputed shares with their thresholds
    "board_dashboard": 10,
    "programme": 6,  # session, user, device, audits per status, the page, failing alerts
}


def _counts(client) -> dict[str, int]:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    subj = subjects()
    host = subj["host"]
    assert host == "p001.testserver"  # partnership P001's own address, not the suite's
    counts = {}
    for name, url_name, who, obj_key in PAGES:
        url = page_url(url_name, subj[obj_key] if obj_key else None)
        with partnership_context(subj[who].partnership_id):
            client.force_login(subj[who])
        assert client.get(url, HTTP_HOST=host).status_code == 200, name
        reset_queries()
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url, HTTP_HOST=host)
        assert response.status_code == 200, name
        counts[name] = len(ctx.captured_queries)
    return counts


@pytest.mark.parametrize("partnerships", [1, 3])
def test_key_pages_query_counts_do_not_grow_with_data(db, client, partnerships):
    generate(
        partnerships=partnerships,
        seed=1,
        years=1,
        max_cases=4,
        references=False,
        domain="testserver",
        log=lambda message: None,
    )

    counts = _counts(client)

    assert counts == EXPECTED
