"""What every list page shares: the `sort` parameter and its sortable column headers.

A list declares its FilterSet in its app's selectors (or filters module) with a
`sort = SortFilter(...)` entry; the template puts `includes/sort_header.html` in each
sortable column header. Query parameters are English everywhere (`status`, `author`,
`sort`, `page`…).
"""

from __future__ import annotations

import django_filters
from django.db.models import OrderBy
from django.forms.utils import pretty_name
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _


class SortFilter(django_filters.OrderingFilter):
    """`?sort=name` / `?sort=-name`, with a default order and tie-breakers.

    `fields` maps each public key to the model field (or expression alias) it sorts on:
    `SortFilter(fields={"name": "name", "country": "country__name_fr"}, default="name")`.
    A key may also sort on several terms — field names, `F()` or `OrderBy` expressions
    such as `F("site__name_fr").asc(nulls_first=True)` — given as a tuple; `-key`
    reverses each of them. Rows with equal keys keep a stable order through `tiebreak`
    (the primary key by default), so pagination never shows a row twice.
    `field_labels` (the choices of the sort menu) are keyed by the public keys.
    """

    def __init__(self, *, fields: dict, default: str, tiebreak=("pk",), **kwargs):
        self.default = default
        self.tiebreak = tuple(tiebreak)
        self.orderings = {
            key: tuple(terms) if isinstance(terms, tuple | list) else (terms,)
            for key, terms in fields.items()
        }
        kwargs.setdefault("label", _("Trier par"))
        super().__init__(fields=[(key, key) for key in fields], **kwargs)

    def build_choices(self, fields, labels):
        """The sort menu's choices, translated when the menu is shown: django-filter formats
        "%s (descending)" once, when the FilterSet class is defined, in whatever language
        was active then."""
        choices = []
        for field, param in fields.items():
            label = labels.get(field, pretty_name(param))
            choices.append((param, label))
            choices.append(
                (f"-{param}", labels.get(f"-{param}", format_lazy(_("{} (décroissant)"), label)))
            )
        return choices

    def get_ordering_value(self, param):
        return self.ordering_terms(param)

    def ordering_terms(self, param: str) -> list:
        descending = param.startswith("-")
        terms = self.orderings.get(param[1:] if descending else param, ())
        return [_reversed(term) if descending else term for term in terms]

    def filter(self, qs, value):
        if value in django_filters.constants.EMPTY_VALUES:
            value = [self.default]
        ordering = [term for param in value if param for term in self.ordering_terms(param)]
        return qs.order_by(*ordering, *self.tiebreak)


def _reversed(term):
    """The same ordering term, in the other direction (NULLs move to the other end)."""
    if isinstance(term, str):
        return term[1:] if term.startswith("-") else f"-{term}"
    if isinstance(term, OrderBy):
        return term.copy().reverse_ordering()
    return term.desc()


def current_sort(filterset, name: str = "sort") -> str:
    """The sort key in effect (the default when none or an invalid one was asked)."""
    sort_filter = filterset.filters[name]
    if filterset.is_bound and filterset.form.is_valid():
        value = filterset.form.cleaned_data.get(name)
        if value:
            return value[0]
    return sort_filter.default


class ListFilterSet(django_filters.FilterSet):
    """Base FilterSet of list pages: an unknown `sort` value falls back to the default
    order instead of leaving the list unordered (the other filters still apply)."""

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        sort = self.filters.get("sort")
        if sort is not None and not self.form.cleaned_data.get("sort"):
            queryset = sort.filter(queryset, None)
        return queryset
