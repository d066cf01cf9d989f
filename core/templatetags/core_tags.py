"""Small presentation helpers shared by every app's templates."""

from datetime import datetime

from django import template
from django.contrib.humanize.templatetags.humanize import naturaltime
from django.template.defaultfilters import date as date_filter
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

register = template.Library()

# Badge colours by meaning; the word is always shown, colour is never the only signal.
_TONES = {
    "neutral": "text-bg-secondary",
    "info": "text-bg-info",
    "primary": "text-bg-primary",
    "success": "text-bg-success",
    "warning": "text-bg-warning",
    "danger": "text-bg-danger",
    "light": "text-bg-light border",
    # Sensitive or restricted content (confidential records, minors): never public.
    "sensitive": "badge-sensitive",
    "restrict": "badge-restrict",
}


@register.simple_tag
def badge(label, tone="neutral", title=""):
    """A status badge with its word: `{% badge obj.get_status_display "success" %}`."""
    css = _TONES.get(tone, _TONES["neutral"])
    if title:
        return format_html('<span class="badge {}" title="{}">{}</span>', css, title, label)
    return format_html('<span class="badge {}">{}</span>', css, label)


@register.simple_tag
def reltime(value):
    """Relative time in lists ("il y a 3 heures"), absolute on hover, machine-readable."""
    if not value:
        return ""
    if isinstance(value, datetime) and timezone.is_aware(value):
        local = timezone.localtime(value)
        return format_html(
            '<time datetime="{}" title="{}">{}</time>',
            value.isoformat(),
            date_filter(local, "DATETIME_FORMAT"),
            naturaltime(value),
        )
    return format_html(
        '<time datetime="{}">{}</time>', value.isoformat(), date_filter(value, "DATE_FORMAT")
    )


@register.filter
def percent_class(value):
    """A CSS width class for progress bars (CSP forbids inline style attributes)."""
    try:
        pct = max(0, min(100, int(round(float(value) / 5.0) * 5)))
    except (TypeError, ValueError):
        pct = 0
    return f"w-pct-{pct}"


@register.simple_tag
def pdf_static(path):
    """The file URI of a static file, for WeasyPrint templates only."""
    from core.pdf import static_file_uri

    return static_file_uri(path)


@register.simple_tag
def status_badge(obj, field="status", title=""):
    """The badge of a model's status: `{% status_badge note %}`.

    The tone of each value is declared once, on the model, as `STATUS_TONES` (or
    `<FIELD>_TONES` for another field): `{"draft": "neutral", "published": "success"}`.
    """
    value = getattr(obj, field)
    tones = getattr(type(obj), "STATUS_TONES" if field == "status" else f"{field.upper()}_TONES")
    label = getattr(obj, f"get_{field}_display")()
    return badge(label, tones.get(value, "neutral"), title)


_PDF_ERRORS = {
    "timeout": _("La mise en page a pris trop de temps et a été interrompue."),
    "worker_lost": _(
        "Le moteur de rendu s'est arrêté pendant la mise en page, plusieurs fois de suite."
    ),
}


@register.simple_tag
def pdf_job_error(job):
    """The reason of a failed PDF job, in words."""
    if job.error in _PDF_ERRORS:
        return _PDF_ERRORS[job.error]
    if job.error and " " not in job.error:  # an exception name: technical
        return _(
            "La mise en page a échoué (erreur technique : %(reason)s). Réessayez ; si "
            "l'échec se répète, prévenez l'administrateur."
        ) % {"reason": job.error}
    return job.error or _("La mise en page a échoué.")
