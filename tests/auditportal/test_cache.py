"""With Redis down the cache is no cache: pages are slower, never an error."""

import pytest
from django.urls import reverse

from audits.models import Audit
from tests.findings.results_builders import four_case_audit
from tests.queue import free_port


@pytest.fixture
def redis_down(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "auditportal.cache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
        }
    }


def test_every_cache_call_answers_as_an_empty_cache(redis_down):
    from django.core.cache import cache

    cache.set("chart", "svg")

    assert cache.get("chart") is None
    assert cache.get("chart", "default") == "default"
    assert cache.get_many(["a", "b"]) == {}
    assert cache.add("chart", "svg") is False
    assert cache.has_key("chart") is False
    assert cache.delete("chart") is False
    assert cache.get_or_set("chart", "drawn") == "drawn"
    with pytest.raises(ValueError):
        cache.incr("counter")


@pytest.mark.parametrize("role", ["business", "board"])
def test_results_and_dashboards_answer_200_with_redis_down(redis_down, client_as, users, role):
    built = four_case_audit(status=Audit.Status.PUBLISHED)
    client = client_as(users[role])

    dashboard = client.get(reverse("findings:dashboard"))
    results = client.get(reverse("findings:results", args=[built.audit.pk]))

    assert dashboard.status_code == 200
    assert results.status_code == (200 if role == "business" else 404)  # board: not visible


def test_with_redis_configured_production_uses_the_cache_that_degrades():
    from .test_settings import PRODUCTION, run_manage

    code = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    result = run_manage(
        "shell", "--no-imports", "-c", code, **PRODUCTION, REDIS_URL="redis://127.0.0.1:6379/0"
    )

    assert result.stdout.strip() == "auditportal.cache.ResilientRedisCache", result.stderr
