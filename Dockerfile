# The production image: the migrate job, web (gunicorn), Celery worker, beat and the outbox relay
# all run from it.
# Every step is a script in bin/ that CI's smoke test runs too (tests/production/smoke.py), so
# what is built and started here is what CI proves on every change.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1

# WeasyPrint needs Pango and HarfBuzz; DejaVu and Liberation are the fonts the PDFs embed;
# postgresql-client gives bin/backup and bin/restore pg_dump and pg_restore (15, as compose's
# database).
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-liberation2 \
        postgresql-client \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 1000 auditportal

WORKDIR /app
# Dependencies first (a layer that changes only with pyproject.toml and the Python packages).
COPY pyproject.toml README.md ./
COPY bin/install bin/install
COPY auditportal auditportal
COPY accounts accounts
COPY cases cases
COPY audits audits
COPY findings findings
COPY briefings briefings
RUN bin/install
# The rest of the source (.dockerignore keeps out .venv, databases, media, mail, .git, test
# and bench output), then the hashed static files and their manifest, under production settings.
COPY . .
RUN bin/build-static \
    && mkdir -p /data/media /data/beat \
    && chown -R auditportal /data

# The app's user writes only to /data (media, beat's schedule, the relay's heartbeat); the code
# stays root's.
USER auditportal
ENV WEB_BIND=0.0.0.0:8000 BEAT_DIR=/data/beat MEDIA_ROOT=/data/media RELAY_HEARTBEAT_FILE=/data/relay-heartbeat
EXPOSE 8000
CMD ["bin/start-web"]
