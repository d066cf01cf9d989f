"""Small helpers of the plaidoyer templates."""

from django import template

register = template.Library()


@register.filter
def lookup(mapping, key):
    """`{{ form.picker_queries|lookup:"stakeholders" }}`: a dictionary entry, or ""."""
    try:
        return mapping.get(key, "")
    except AttributeError:
        return ""


@register.filter
def euros(value):
    """A Decimal amount in euros, French style: "12 345,50 €"."""
    from django.utils.formats import number_format

    if value is None:
        return "—"
    return f"{number_format(value, decimal_pos=2, force_grouping=True)} €"
