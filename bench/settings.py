"""Settings for benchmark processes: the project's settings, plus (BENCH_NO_MIGRATIONS=1) the
schema built straight from the models when the committed migrations lag behind them."""

import os

from auditportal.settings import *  # noqa: F403
from auditportal.settings import INSTALLED_APPS

if os.environ.get("BENCH_NO_MIGRATIONS") == "1":
    MIGRATION_MODULES = {app.rsplit(".", 1)[-1]: None for app in INSTALLED_APPS}

# Collected (and hashed, as in production) into bench/staticfiles by bench/run.py; PDFs and
# other media of benchmark runs go to bench/media. Both are git-ignored.
STATIC_ROOT = BASE_DIR / "bench" / "staticfiles"  # noqa: F405
MEDIA_ROOT = BASE_DIR / "bench" / "media"  # noqa: F405
