"""Gunicorn settings of the web service, in one place: bin/start-web runs gunicorn with this
file in the image (docker-compose.yml's web service) and in CI's smoke test.

Environment (each optional): WEB_BIND (default 127.0.0.1:8000; the image binds 0.0.0.0:8000
inside its container and compose publishes it on the host's loopback only), WEB_WORKERS (3),
WEB_TIMEOUT (60 seconds), BEHIND_PROXY and FORWARDED_ALLOW_IPS (below).
"""

import importlib.util
from pathlib import Path

# The settings' own readers (a bad value stops start-up naming the variable), loaded by path:
# importing the auditportal package would load the Celery app and Django's settings here, in
# gunicorn's master, before gunicorn has even read its configuration.
_spec = importlib.util.spec_from_file_location("_env", Path(__file__).parent / "auditportal/env.py")
assert _spec is not None and _spec.loader is not None
_env = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_env)
env_bool, env_int, env_str = _env.env_bool, _env.env_int, _env.env_str

bind = [env_str("WEB_BIND") or "127.0.0.1:8000"]
workers = env_int("WEB_WORKERS", 3, minimum=1)
# A request may take this long (the largest exports); a worker silent for longer is replaced.
timeout = env_int("WEB_TIMEOUT", 60, minimum=5)
graceful_timeout = 30
keepalive = 5
# Replace each worker now and then, so a slow leak never grows without bound.
max_requests = 2000
max_requests_jitter = 200
# Workers' heartbeat files on a RAM disk: a container's /tmp may be on a slow overlay disk.
if Path("/dev/shm").is_dir():  # noqa: S108 (a RAM disk, not a shared temp file)
    worker_tmp_dir = "/dev/shm"  # noqa: S108

# The access log on stdout, written by a logger that never writes a query string (search
# boxes carry pseudonyms: /audits/my-returns/?q=Child+B), a referrer, a cookie or any other
# header, nor the secret tokens some URLs carry (password reset, calendar feed). The format
# names only atoms it keeps: address, time, method, path, protocol, status, bytes, duration.
accesslog = "-"
errorlog = "-"
logger_class = "auditportal.gunicorn_logging.RedactingLogger"
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms'

# Only behind a TLS-terminating proxy (BEHIND_PROXY=true, as in docker-compose.yml) may
# X-Forwarded-Proto say the request came over HTTPS; Django reads the same setting
# (settings.SECURE_PROXY_SSL_HEADER). Otherwise gunicorn believes no client about the scheme.
if env_bool("BEHIND_PROXY", False):
    # Addresses of the proxy; "*" when only the proxy can reach the port (compose publishes it
    # on the host's loopback, where the connection arrives from Docker's bridge address).
    forwarded_allow_ips = env_str("FORWARDED_ALLOW_IPS") or "127.0.0.1,::1"
    secure_scheme_headers = {"X-FORWARDED-PROTO": "https"}
else:
    forwarded_allow_ips = ""
    secure_scheme_headers = {}
