"""Settings of the test suite: the project's settings, then what the tests rely on, set here
explicitly so that nothing depends on which program imported the settings.

The production path (DEBUG off, hashed static files from the manifest, HTTPS cookies) is
tested where it runs for real: `make smoke` (tests/production/) and the subprocess tests in
tests/auditportal/.
"""

import os

# Throwaway keys, exported so the Celery worker a test starts (tests/conftest.py) signs and
# decrypts with the same ones. A developer's real keys in the shell are left as they are.
os.environ.setdefault(
    "SECRET_KEY", "tests-only-secret-key-never-used-anywhere-else-0123456789abcdefghij"
)
os.environ.setdefault("FIELD_ENCRYPTION_SALT", "tests-only-salt")

from auditportal.settings import *  # noqa: F403
from auditportal.settings import LOGGING

# testserver, localhost and 127.0.0.1 are the default test partnership's addresses, the second
# partnership answers on second.testserver, the hosting administration on hosting.testserver
# (tests/tenancy.py).
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver", ".testserver"]
HOSTING_HOSTS = ["hosting.testserver"]

# Static files straight from static/ (no collectstatic before a test run).
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# The test client speaks plain HTTP.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = False
SESSION_COOKIE_NAME = "sessionid"
CSRF_COOKIE_NAME = "csrftoken"

# One cache per test process, never the shared Redis; tasks run in the test unless a test
# starts a real worker (the celery_worker_process fixture).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True

# Fast password hashing: thousands of sign-ins, none of them real.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LOGGING = {**LOGGING, "loggers": {**LOGGING["loggers"], "axes": {"level": "WARNING"}}}
