"""Badges of the testimonies app: sensitivity and the gate's answer, in words."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.templatetags.core_tags import badge, status_badge

from ..models import Testimony

register = template.Library()


@register.simple_tag
def sensitivity_badges(testimony):
    """The sensitivity label, and "Mineur" when it applies — always visible near a title.
    (The status is `{% status_badge testimony %}` from core_tags.)"""
    parts = [status_badge(testimony, "sensitivity")]
    if testimony.is_minor:
        parts.append(badge(_("Mineur"), "restrict"))
    return format_html_join(" ", "{}", ((p,) for p in parts))


@register.simple_tag
def usability_badge(usability, short=False):
    """✓ / ✗ with the audience in words; the reasons in the title when denied."""
    if usability.allowed:
        return format_html(
            '<span class="badge text-bg-success" title="{}">✓ {}</span>',
            _("Utilisable"),
            usability.audience_label,
        )
    return format_html(
        '<span class="badge text-bg-light border text-body-secondary" title="{}">✗ {}</span>',
        usability.summary,
        usability.audience_label,
    )


_HISTORY_LABELS = {
    "translations": gettext_lazy("traductions"),
    "extracts": gettext_lazy("extraits"),
    "extracts.external_text": gettext_lazy("extraits pour l'externe"),
    "uses": gettext_lazy("utilisations"),
    "uses.takedown_done_at": gettext_lazy("retrait d'une utilisation"),
    "media": gettext_lazy("médias"),
    "profile": gettext_lazy("profil"),
}


@register.filter
def field_labels(names):
    """Field names of a history row, in words (names only: values are never kept)."""
    from django.core.exceptions import FieldDoesNotExist

    from ..models import Consent

    labels = []
    for name in names or []:
        base = str(name).split(":")[0].split(".")[0]
        label = _HISTORY_LABELS.get(str(name)) or _HISTORY_LABELS.get(base)
        if label is None:
            for model in (Testimony, Consent):
                try:
                    label = model._meta.get_field(base).verbose_name
                    break
                except FieldDoesNotExist:
                    continue
        labels.append(str(label or name))
    return ", ".join(labels)
