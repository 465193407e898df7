"""How `make bench` merges its interleaved rounds of the key pages (bench/pages.py)."""

from bench.pages import merge_rounds


def _round(median: float, p95: float, queries: int, load: str) -> dict:
    return {
        "label": "150x",
        "machine": {"loadavg": [load]},
        "pages": {
            "results": {"median_ms": median, "p95_ms": p95, "queries": queries, "bytes": 9},
            "programme": {"skipped": "no URL named audits:programme yet"},
        },
    }


def test_each_page_takes_the_median_of_its_rounds_and_keeps_every_query_count():
    merged = merge_rounds(
        [_round(30, 40, 7, "0.5"), _round(90, 200, 7, "3.0"), _round(32, 41, 8, "0.6")]
    )

    results = merged["pages"]["results"]
    # One busy round (90 / 200 ms) does not move the figure; a changed count is not hidden.
    assert (results["median_ms"], results["p95_ms"]) == (32, 41)
    assert results["round_p95s_ms"] == [40, 200, 41]
    assert results["queries_every_round"] == [7, 8]
    assert merged["rounds"] == 3
    assert merged["machine_rounds"] == [["0.5"], ["3.0"], ["0.6"]]
    assert merged["pages"]["programme"] == {"skipped": "no URL named audits:programme yet"}
