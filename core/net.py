"""The client's address, as the audit log and django-axes see it."""

from django.conf import settings


def client_ip(request) -> str | None:
    """REMOTE_ADDR, or the last X-Forwarded-For hop behind a trusted reverse proxy."""
    if settings.USE_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [h.strip() for h in forwarded.split(",") if h.strip()]
        if hops:
            return hops[-1]
    return request.META.get("REMOTE_ADDR") or None
