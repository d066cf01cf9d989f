"""One permission vocabulary: role groups, predicates and the view decorator.

Role groups are declared here once; each app builds its `can_*` predicates from them in
`<app>/permissions.py` (plain functions of the user, and of an object when needed), and
every view declares its access with `@access_required(predicate)` — never with an ad-hoc
check in its body. Objects out of the user's scope are a 404 from the scoped selectors
(`core.scoping`), not a 403, so their existence is not revealed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps

from django.core.exceptions import PermissionDenied

from .models import Role
from .scoping import get_scope

# --- Role groups ------------------------------------------------------------------------

EVERYONE = frozenset(Role.values)
# People who read the unit's desk work (dashboard, veille, strategies, advocacy).
READERS = frozenset({Role.COORDINATOR, Role.ADVOCACY_OFFICER, Role.COMMUNICATION, Role.VIEWER})
# People who write it (triage, notes, advocacy) within their scope.
WRITERS = frozenset({Role.COORDINATOR, Role.ADVOCACY_OFFICER})
COORDINATORS = frozenset({Role.COORDINATOR})
FIELD = frozenset({Role.FIELD_COMMS})


# --- Predicates -------------------------------------------------------------------------


def has_role(user, roles: Iterable[str]) -> bool:
    """The user holds one of `roles` somewhere (unit, a country or a site)."""
    return get_scope(user).has_role(*roles)


def has_unit_role(user, roles: Iterable[str]) -> bool:
    """The user holds one of `roles` for the whole unit."""
    return get_scope(user).is_unit_wide(*roles)


def role_predicate(roles: Iterable[str], *, unit_wide: bool = False) -> Callable[[object], bool]:
    roles = frozenset(roles)

    def predicate(user) -> bool:
        return has_unit_role(user, roles) if unit_wide else has_role(user, roles)

    predicate.__name__ = f"{'unit_' if unit_wide else ''}roles_{'_'.join(sorted(roles))}"
    return predicate


def is_coordinator(user) -> bool:
    return has_unit_role(user, COORDINATORS)


def is_reader(user) -> bool:
    return has_role(user, READERS)


def is_staff(user) -> bool:
    return bool(getattr(user, "is_staff", False))


def can_use_admin(user) -> bool:
    """The admin site, for staff who may see something there (a staff account without any
    admin permission would find it empty). Costs no query for anyone but staff."""
    if not is_staff(user):
        return False
    return bool(user.is_superuser or user.get_all_permissions())


# --- The view decorator -----------------------------------------------------------------


def access_required(predicate: Callable[[object], bool]) -> Callable:
    """View decorator: anonymous → login page; `predicate(user)` false → 403 (audited by
    the 403 handler). The predicate is kept on the view (`view.access_predicate`) so the
    permission tests can list every view's rule."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                from django.contrib.auth.views import redirect_to_login

                return redirect_to_login(request.get_full_path())
            if not predicate(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.access_predicate = predicate
        return wrapped

    return decorator


def object_access(
    loader: Callable, check: Callable[[object, object], bool] | None = None
) -> Callable:
    """View decorator for pages about one object.

    `loader(request, **url_kwargs)` returns the object from the user's scoped selector (a
    404, audited, when it is out of scope); `check(user, obj)` is the object-level rule
    (a 403 when false). The view receives the object after the request:
    `def note_edit(request, note, **url_kwargs)`.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                from django.contrib.auth.views import redirect_to_login

                return redirect_to_login(request.get_full_path())
            obj = loader(request, **kwargs)
            if check is not None and not check(request.user, obj):
                raise PermissionDenied
            return view(request, obj, *args, **kwargs)

        wrapped.object_loader = loader
        wrapped.object_check = check
        return wrapped

    return decorator


def role_required(*roles: str) -> Callable:
    """`@access_required` for "one of these roles, anywhere"."""
    return access_required(role_predicate(roles))


coordinator_required = access_required(is_coordinator)
