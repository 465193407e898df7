"""The project's URLs plus views that fail on purpose (tests/auditportal/test_error_pages.py)."""

from django.core.exceptions import SuspiciousOperation
from django.urls import path

from auditportal.urls import handler403, handler404, handler500, urlpatterns


def broken(request):
    raise RuntimeError("a bug in a view")


def suspicious(request):
    raise SuspiciousOperation("a tampered request")


urlpatterns = [
    *urlpatterns,
    path("test-errors/broken/", broken),
    path("test-errors/suspicious/", suspicious),
]
__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]
