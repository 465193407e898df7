# The production image: web (gunicorn), Celery worker and beat all run from it.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1

# WeasyPrint needs Pango and HarfBuzz; DejaVu and Liberation are the fonts the PDFs embed.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-liberation2 \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 1000 auditportal

WORKDIR /app
COPY pyproject.toml README.md ./
COPY auditportal auditportal
COPY accounts accounts
COPY cases cases
COPY audits audits
COPY findings findings
COPY briefings briefings
RUN pip install .
COPY . .
RUN DEBUG=true python manage.py collectstatic --noinput \
    && mkdir -p /data/media && chown -R auditportal /data /app

USER auditportal
EXPOSE 8000
CMD ["gunicorn", "auditportal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "60", "--access-logfile", "-"]
