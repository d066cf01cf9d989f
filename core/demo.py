"""Demo users, one (or more) per role, for the run command and the browser tests."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from core.models import Country, Membership, Role, Site, User
from core.services import membership_grant

DEMO_PASSWORD = "demo-influence-2026"  # noqa: S105 - printed by `make run`, demo only

# username, first name, last name, role, scope codes (countries or sites), staff
DEMO_USERS = [
    ("coordination", "Camille", "Martin", Role.COORDINATOR, [], True),
    ("plaidoyer.france", "Yanis", "Benali", Role.ADVOCACY_OFFICER, ["country:FR"], False),
    ("plaidoyer.libye", "Sara", "Haddad", Role.ADVOCACY_OFFICER, ["country:LY"], False),
    ("terrain.calais", "Amina", "Diallo", Role.FIELD_COMMS, ["site:calais"], False),
    (
        "terrain.marseille",
        "Lucas",
        "Bernard",
        Role.FIELD_COMMS,
        ["site:marseille", "site:idf"],
        False,
    ),
    ("terrain.libye", "Omar", "Farouk", Role.FIELD_COMMS, ["site:tripoli", "site:zuwara"], False),
    ("communication", "Léa", "Rousseau", Role.COMMUNICATION, [], False),
    ("lecture", "Hugo", "Petit", Role.VIEWER, [], False),
]


# What the demo's staff coordinator manages in the admin site: the reference data and the
# team (the audit log is read-only there).
ADMIN_GROUP = "Administration"
ADMIN_PERMISSIONS = [
    *(
        f"{verb}_{model}"
        for model in ("country", "site", "theme", "user", "membership")
        for verb in ("view", "add", "change")
    ),
    "view_auditevent",
]


def _admin_group() -> Group:
    group, _created = Group.objects.get_or_create(name=ADMIN_GROUP)
    group.permissions.set(
        Permission.objects.filter(content_type__app_label="core", codename__in=ADMIN_PERMISSIONS)
    )
    return group


@transaction.atomic
def seed(*, scale: int = 1, stdout=None) -> list[User]:
    """Create the demo users (idempotent: existing users keep their password and data)."""
    users = []
    admin_group = _admin_group()
    for username, first, last, role, scopes, staff in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@influence.example",
                "is_staff": staff,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        if staff:
            user.groups.add(admin_group)
        if not scopes:
            membership_grant(user=user, role=role)
        for scope in scopes:
            kind, code = scope.split(":")
            if kind == "country":
                membership_grant(user=user, role=role, country=Country.objects.get(code=code))
            else:
                membership_grant(user=user, role=role, site=Site.objects.get(code=code))
        users.append(user)
    return users


def describe() -> list[tuple[str, str]]:
    """(username, role and scope) lines for the run command's banner."""
    lines = []
    for username, *_rest in DEMO_USERS:
        memberships = Membership.objects.filter(user__username=username).select_related(
            "country", "site"
        )
        where = ", ".join(
            f"{m.get_role_display()} · {m.site or m.country or 'unité'}" for m in memberships
        )
        lines.append((username, where))
    return lines
