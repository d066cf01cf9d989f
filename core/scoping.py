"""The one place that turns a user's memberships into what they may see.

Selectors call `scope_queryset` (rows) and views call `get_scoped_object_or_404` (one
row, usually in the loader of `core.permissions.object_access`); whole pages declare
their rule with `core.permissions.access_required`. Out-of-scope objects are a 404,
never a 403, so their existence is not revealed; the attempt is still audited.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Model, Q, QuerySet
from django.http import Http404

from .models import Membership, Role

ALL_ROLES = frozenset(Role.values)


@dataclass(frozen=True)
class UserScope:
    """What a user's memberships grant, per role."""

    roles: frozenset[str] = frozenset()
    unit_roles: frozenset[str] = frozenset()
    countries: dict[str, frozenset[int]] = field(default_factory=dict)
    sites: dict[str, frozenset[int]] = field(default_factory=dict)

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    def is_unit_wide(self, *roles: str) -> bool:
        return bool(self.unit_roles.intersection(roles))

    def country_ids(self, *roles: str) -> frozenset[int]:
        return frozenset().union(*(self.countries.get(r, frozenset()) for r in roles))

    def site_ids(self, *roles: str) -> frozenset[int]:
        return frozenset().union(*(self.sites.get(r, frozenset()) for r in roles))


_EMPTY = UserScope()
_SUPERUSER = UserScope(roles=ALL_ROLES, unit_roles=ALL_ROLES)


def get_scope(user) -> UserScope:
    """The user's scope, computed with one query and cached on the user object."""
    if user is None or not user.is_authenticated or not user.is_active:
        return _EMPTY
    cached = getattr(user, "_influence_scope", None)
    if cached is not None:
        return cached
    if user.is_superuser:
        scope = _SUPERUSER
    else:
        roles: set[str] = set()
        unit_roles: set[str] = set()
        countries: dict[str, set[int]] = {}
        sites: dict[str, set[int]] = {}
        rows = Membership.objects.filter(user_id=user.pk).values_list(
            "role", "country_id", "site_id"
        )
        for role, country_id, site_id in rows:
            roles.add(role)
            if site_id is not None:
                sites.setdefault(role, set()).add(site_id)
            elif country_id is not None:
                countries.setdefault(role, set()).add(country_id)
            else:
                unit_roles.add(role)
        scope = UserScope(
            roles=frozenset(roles),
            unit_roles=frozenset(unit_roles),
            countries={k: frozenset(v) for k, v in countries.items()},
            sites={k: frozenset(v) for k, v in sites.items()},
        )
    user._influence_scope = scope
    return scope


def has_role(user, *roles: str) -> bool:
    return get_scope(user).has_role(*roles)


def is_coordinator(user) -> bool:
    return get_scope(user).is_unit_wide(Role.COORDINATOR)


def scope_filter(
    user,
    *,
    roles: Iterable[str],
    site_field: str | None = None,
    country_field: str | None = None,
) -> Q | None:
    """A Q object keeping the rows visible through memberships of `roles`.

    Returns None when the user holds one of `roles` unit-wide (no filter needed) and
    `Q(pk__in=[])` when nothing is visible.

    - a unit-wide membership sees every row;
    - a country membership sees rows of that country (`country_field`) and rows of the
      sites of that country (`site_field + "__country"`);
    - a site membership sees rows of that site (`site_field`) only.
    """
    roles = tuple(roles)
    scope = get_scope(user)
    if scope.is_unit_wide(*roles):
        return None
    condition = Q(pk__in=[])
    country_ids = scope.country_ids(*roles)
    site_ids = scope.site_ids(*roles)
    if country_ids:
        if country_field:
            condition |= Q(**{f"{country_field}__in": country_ids})
        if site_field:
            condition |= Q(**{f"{site_field}__country__in": country_ids})
    if site_ids and site_field:
        condition |= Q(**{f"{site_field}__in": site_ids})
    return condition


def scope_queryset(
    queryset: QuerySet,
    user,
    *,
    roles: Iterable[str],
    site_field: str | None = None,
    country_field: str | None = None,
) -> QuerySet:
    """`queryset` restricted to what `user` may see through memberships of `roles`."""
    condition = scope_filter(user, roles=roles, site_field=site_field, country_field=country_field)
    if condition is None:
        return queryset
    return queryset.filter(condition)


def sites_in_scope(user, *, roles: Iterable[str]) -> QuerySet:
    """The sites `user` reaches through memberships of `roles` (what a list's site filter
    may offer): all of them for a unit-wide membership, a country's sites for a country
    membership, the site itself for a site membership."""
    from .models import Site

    roles = tuple(roles)
    scope = get_scope(user)
    sites = Site.objects.select_related("country")
    if scope.is_unit_wide(*roles):
        return sites
    return sites.filter(Q(country__in=scope.country_ids(*roles)) | Q(pk__in=scope.site_ids(*roles)))


def countries_in_scope(user, *, roles: Iterable[str]) -> QuerySet:
    """The countries `user` reaches through memberships of `roles`: all for a unit-wide
    membership, the country of a country membership, the country of a site membership."""
    from .models import Country

    roles = tuple(roles)
    scope = get_scope(user)
    countries = Country.objects.filter(is_pseudo=False)
    if scope.is_unit_wide(*roles):
        return countries
    return countries.filter(
        Q(pk__in=scope.country_ids(*roles)) | Q(sites__in=scope.site_ids(*roles))
    ).distinct()


def get_scoped_object_or_404(request, scoped: QuerySet, **lookup) -> Model:
    """One object from an already-scoped queryset, else 404.

    When the object exists outside the user's scope the attempt is audited as a
    permission denial, but the response is the same 404 as for a missing object.
    """
    try:
        return scoped.get(**lookup)
    except scoped.model.DoesNotExist:
        if scoped.model._default_manager.filter(**lookup).exists():
            from .services import audit_record

            audit_record(
                actor=request.user,
                action="permission_denied",
                object_type=scoped.model._meta.label_lower,
                object_id=str(lookup.get("pk", lookup.get("id", ""))),
                request=request,
                detail={"path": request.path[:200], "reason": "out_of_scope"},
            )
        raise Http404 from None
