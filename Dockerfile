# Influence — one image for web (gunicorn), worker and beat.
FROM python:3.11-slim-bookworm

# TZ: gunicorn's own lines on the app's clock (TIME_ZONE), like Django's.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    TZ=Europe/Paris \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production

# WeasyPrint's system libraries (Pango, HarfBuzz), fonts with Arabic glyphs, gettext for
# compiled translations, libmagic for upload checks.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 libjpeg62-turbo \
        fonts-dejavu-core fonts-noto-core gettext libmagic1 curl tzdata \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 1000 influence
WORKDIR /app

# Runtime packages from the lock file (exact versions, hashes checked); `make lock`
# compiles it from pyproject.toml.
COPY requirements/base.txt requirements/base.txt
RUN pip install --upgrade pip && pip install --require-hashes -r requirements/base.txt

COPY --chown=influence:influence . .

# Static files and translations are part of the image; the build needs dummy secrets only
# because production settings refuse to load without them.
RUN SECRET_KEY=build-only ALLOWED_HOSTS=localhost \
    FIELD_ENCRYPTION_KEYS=YnVpbGQtb25seS1rZXktbm90LWZvci1wcm9kdWN0aW8= \
    STATIC_ROOT=/app/staticfiles \
    python manage.py collectstatic --noinput --verbosity 0 \
    && python manage.py compilemessages --ignore=.venv --verbosity 0 \
    && mkdir -p /var/lib/influence/private && chown -R influence:influence /var/lib/influence /app

USER influence
ENV STATIC_ROOT=/app/staticfiles \
    PRIVATE_STORAGE_ROOT=/var/lib/influence/private \
    LOCAL_DATA_DIR=/var/lib/influence/local

EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", \
     "--timeout", "60", "--access-logfile", "-"]
