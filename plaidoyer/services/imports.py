"""Importing stakeholders from a spreadsheet: a plan first (every line checked, nothing
written), then the import — all lines or none.

The plan reports, in words, a file whose columns are wrong (unknown or missing), and per
line: an empty required cell, a score outside 1–5, an unknown country or organisation
type, a country the user does not manage, a duplicate of an earlier line or of an
existing record, an invalid e-mail, and any formula (a cell starting with =, +, -, @, or
an XLSX formula) — refused, never evaluated. Organisations are matched by name or acronym
in the row's country, and created when new.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.models import Country
from core.services import audit_record

from .. import permissions
from ..models import Organisation, Stakeholder, normalise
from ..spreadsheet import Cell, Table, read_table
from ._common import Action, audit

# field: (label, accepted headers once normalised, required)
COLUMNS = {
    "full_name": (gettext_lazy("Nom"), {"nom", "nom complet", "name", "full name"}, True),
    "function": (gettext_lazy("Fonction"), {"fonction", "function", "poste", "titre"}, False),
    "organisation": (
        gettext_lazy("Organisation"),
        {"organisation", "organization", "structure", "institution"},
        True,
    ),
    "organisation_kind": (
        gettext_lazy("Type d'organisation"),
        {
            "type d'organisation",
            "type organisation",
            "type",
            "organisation type",
            "organization type",
        },
        False,
    ),
    "country": (gettext_lazy("Pays"), {"pays", "country"}, True),
    "email": (gettext_lazy("E-mail"), {"e-mail", "email", "courriel", "mail"}, False),
    "phone": (gettext_lazy("Téléphone"), {"telephone", "tel", "phone"}, False),
    "languages": (gettext_lazy("Langues"), {"langues", "languages"}, False),
    "influence": (gettext_lazy("Influence"), {"influence", "pouvoir", "power"}, True),
    "interest": (gettext_lazy("Intérêt"), {"interet", "interest"}, True),
    "alignment": (gettext_lazy("Alignement"), {"alignement", "alignment"}, True),
    "can_restrict_operations": (
        gettext_lazy("Peut restreindre nos opérations"),
        {
            "peut restreindre nos operations",
            "peut restreindre",
            "can restrict our operations",
            "can restrict",
        },
        False,
    ),
    "notes": (gettext_lazy("Notes"), {"notes", "note", "commentaire", "comments"}, False),
}
SCORES = ("influence", "interest", "alignment")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PHONE = re.compile(r"^\+?[\d\s().-]{4,40}$")
YES = {"oui", "o", "yes", "y", "x", "1", "vrai", "true"}
NO = {"non", "n", "no", "0", "faux", "false", ""}


def _header_key(text: str) -> str:
    return normalise(text.replace("’", "'")).strip(" :*")


@dataclass
class ImportLine:
    number: int
    values: dict[str, str]
    errors: list[str] = field(default_factory=list)
    organisation: Organisation | None = None
    new_organisation: bool = False
    country: Country | None = None

    @property
    def restricts(self) -> bool:
        return normalise(self.values.get("can_restrict_operations", "")) in YES


@dataclass
class ImportPlan:
    columns: list[str] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    lines: list[ImportLine] = field(default_factory=list)

    @property
    def error_lines(self) -> list[ImportLine]:
        return [line for line in self.lines if line.errors]

    @property
    def ok(self) -> bool:
        return not self.file_errors and bool(self.lines) and not self.error_lines

    @property
    def new_organisations(self) -> list[str]:
        seen = []
        for line in self.lines:
            if line.new_organisation and line.values["organisation"] not in seen:
                seen.append(line.values["organisation"])
        return seen


def expected_columns() -> list[str]:
    return [
        str(label) if required else _("%(column)s (facultatif)") % {"column": label}
        for label, _a, required in COLUMNS.values()
    ]


def _map_header(header: list[str], plan: ImportPlan) -> dict[int, str]:
    aliases = {alias: name for name, (_l, names, _r) in COLUMNS.items() for alias in names}
    mapping: dict[int, str] = {}
    unknown = []
    for index, title in enumerate(header):
        if not title.strip():
            continue
        name = aliases.get(_header_key(title))
        if name is None:
            unknown.append(title.strip())
        elif name in mapping.values():
            plan.file_errors.append(
                _("La colonne « %(column)s » apparaît deux fois.") % {"column": title.strip()}
            )
        else:
            mapping[index] = name
    if unknown:
        plan.file_errors.append(
            _("Colonnes inconnues : %(columns)s. Colonnes attendues : %(expected)s.")
            % {
                "columns": ", ".join(_("« %(column)s »") % {"column": c} for c in unknown),
                "expected": ", ".join(expected_columns()),
            }
        )
    missing = [
        str(COLUMNS[n][0])
        for n, (_l, _a, required) in COLUMNS.items()
        if required and n not in mapping.values()
    ]
    if missing:
        plan.file_errors.append(
            _("Colonnes obligatoires absentes : %(columns)s.")
            % {"columns": ", ".join(_("« %(column)s »") % {"column": c} for c in missing)}
        )
    plan.columns = [mapping[i] for i in sorted(mapping)]
    return mapping


def _countries() -> dict[str, Country]:
    found = {}
    for country in Country.objects.all():
        for key in (country.code, country.name_fr, country.name_en):
            found[normalise(key)] = country
    return found


def _kinds() -> dict[str, str]:
    found = {}
    for value, label in Organisation.Kind.choices:
        found[normalise(value)] = value
        found[normalise(str(label))] = value
    return found


def import_plan(*, user, table: Table) -> ImportPlan:
    """Check every line against the database; write nothing."""
    plan = ImportPlan()
    mapping = _map_header(table.header, plan)
    if plan.file_errors:
        return plan
    countries = _countries()
    kinds = _kinds()
    lines = []
    for number, cells in table.rows:
        values: dict[str, str] = {}
        line = ImportLine(number=number, values=values)
        for index, name in mapping.items():
            cell = cells[index] if index < len(cells) else Cell("")
            text = cell.text.strip()
            label = COLUMNS[name][0]
            is_phone = name == "phone" and PHONE.match(text)
            if cell.formula or (text.startswith(FORMULA_START) and not is_phone):
                line.errors.append(
                    _(
                        "Formule refusée dans la colonne « %(column)s » : saisissez la valeur "
                        "elle-même."
                    )
                    % {"column": label}
                )
                text = ""
            values[name] = text
        for name, (label, _aliases, required) in COLUMNS.items():
            values.setdefault(name, "")
            if required and not values[name] and not any(str(label) in e for e in line.errors):
                line.errors.append(_("La colonne « %(column)s » est vide.") % {"column": label})
        for name in SCORES:
            raw = values[name].replace(",", ".")
            if not raw:
                continue
            try:
                score = float(raw)
            except ValueError:
                score = 0
            if not score.is_integer() or not 1 <= score <= 5:
                line.errors.append(
                    _("%(column)s : « %(value)s » n'est pas une note de 1 à 5.")
                    % {"column": COLUMNS[name][0], "value": values[name]}
                )
            else:
                values[name] = str(int(score))
        if values["country"]:
            line.country = countries.get(normalise(values["country"]))
            if line.country is None:
                line.errors.append(
                    _("Pays inconnu : « %(value)s » (un code comme FR ou LY, ou le nom du pays).")
                    % {"value": values["country"]}
                )
            elif not permissions.manages_country(user, line.country.pk):
                line.errors.append(
                    _("Vous ne gérez pas ce pays (%(country)s).") % {"country": line.country.name}
                )
        if values["organisation_kind"] and normalise(values["organisation_kind"]) not in kinds:
            line.errors.append(
                _("Type d'organisation inconnu : « %(value)s ».")
                % {"value": values["organisation_kind"]}
            )
        if normalise(values["can_restrict_operations"]) not in YES | NO:
            line.errors.append(
                _("« %(value)s » : répondez oui ou non pour « Peut restreindre nos opérations ».")
                % {"value": values["can_restrict_operations"]}
            )
        if values["email"]:
            try:
                validate_email(values["email"])
            except ValidationError:
                line.errors.append(
                    _("Adresse e-mail invalide : « %(value)s ».") % {"value": values["email"]}
                )
        for name, limit in (
            ("full_name", 200),
            ("function", 200),
            ("organisation", 200),
            ("phone", 40),
            ("languages", 100),
        ):
            if len(values[name]) > limit:
                line.errors.append(
                    _("%(column)s : %(n)s caractères au plus.")
                    % {"column": COLUMNS[name][0], "n": limit}
                )
        lines.append(line)
    _match_organisations(lines, kinds)
    _find_duplicates(lines)
    plan.lines = lines
    return plan


def _match_organisations(lines: list[ImportLine], kinds: dict[str, str]) -> None:
    country_ids = {line.country.pk for line in lines if line.country is not None}
    known: dict[tuple[str, int], Organisation] = {}
    for org in Organisation.objects.filter(country_id__in=country_ids):
        known.setdefault((normalise(org.name), org.country_id), org)
        if org.acronym:
            known.setdefault((normalise(org.acronym), org.country_id), org)
    created: dict[tuple[str, int], Organisation] = {}
    for line in lines:
        name = line.values["organisation"]
        if not name or line.country is None:
            continue
        key = (normalise(name), line.country.pk)
        org = known.get(key)
        if org is not None:
            if org.archived_at is not None:
                line.errors.append(
                    _("L'organisation « %(name)s » est archivée : rétablissez-la d'abord.")
                    % {"name": org.name}
                )
            line.organisation = org
            continue
        org = created.get(key)
        if org is None:
            org = Organisation(
                name=name,
                kind=kinds.get(
                    normalise(line.values["organisation_kind"]), Organisation.Kind.OTHER
                ),
                country=line.country,
            )
            org.refresh_search_text()
            created[key] = org
        line.organisation = org
        line.new_organisation = True


def _find_duplicates(lines: list[ImportLine]) -> None:
    existing_orgs = {
        line.organisation.pk for line in lines if line.organisation and line.organisation.pk
    }
    existing = {
        (org_id, normalise(name))
        for org_id, name in Stakeholder.objects.filter(
            organisation_id__in=existing_orgs
        ).values_list("organisation_id", "full_name")
    }
    seen: dict[tuple, int] = {}
    for line in lines:
        if line.organisation is None or not line.values["full_name"]:
            continue
        name = normalise(line.values["full_name"])
        key = (
            normalise(line.values["organisation"]),
            line.country.pk if line.country else None,
            name,
        )
        if key in seen:
            line.errors.append(_("Doublon de la ligne %(n)s.") % {"n": seen[key]})
        else:
            seen[key] = line.number
        if line.organisation.pk and (line.organisation.pk, name) in existing:
            line.errors.append(
                _("« %(name)s » existe déjà dans « %(org)s » : modifiez sa fiche plutôt.")
                % {"name": line.values["full_name"], "org": line.organisation.name}
            )


def import_plan_from_file(*, user, name: str, data: bytes) -> ImportPlan:
    """The plan of an uploaded file; an unreadable file is a file error, not an exception."""
    from ..spreadsheet import SpreadsheetError

    try:
        table = read_table(name, data)
    except SpreadsheetError as error:
        return ImportPlan(file_errors=[str(error)])
    return import_plan(user=user, table=table)


@transaction.atomic
def stakeholders_import(*, user, name: str, data: bytes, request=None) -> tuple[int, int]:
    """Import every line or none: the plan is checked again now (the database may have
    changed since the preview); any error refuses the whole file. Returns (stakeholders,
    new organisations)."""
    if not permissions.can_import(user):
        raise PermissionDenied
    plan = import_plan_from_file(user=user, name=name, data=data)
    if not plan.ok:
        raise ValidationError(
            _(
                "Rien n'a été importé : %(n)s ligne(s) en erreur. Corrigez le fichier et "
                "recommencez."
            )
            % {"n": len(plan.error_lines) or 1}
        )
    organisations = 0
    people = []
    for line in plan.lines:
        org = line.organisation
        if org.pk is None:
            org.created_by = user
            org.full_clean()
            org.save()
            organisations += 1
            audit(user=user, action=Action.CREATE, obj=org, request=request, source="import")
        values = line.values
        person = Stakeholder(
            full_name=values["full_name"],
            function=values["function"],
            organisation=org,
            country=line.country,
            email=values["email"],
            phone=values["phone"],
            languages=values["languages"],
            influence=int(values["influence"]),
            interest=int(values["interest"]),
            alignment=int(values["alignment"]),
            can_restrict_operations=line.restricts,
            notes=values["notes"],
            created_by=user,
        )
        person.refresh_search_text()
        try:
            person.full_clean()
        except ValidationError as error:
            raise ValidationError(
                _("Ligne %(n)s : %(errors)s")
                % {"n": line.number, "errors": " ".join(error.messages)}
            ) from None
        people.append(person)
    Stakeholder.objects.bulk_create(people)
    audit_record(
        actor=user,
        action=Action.CREATE,
        object_type=Stakeholder._meta.label_lower,
        request=request,
        detail={"source": "import", "rows": len(people), "organisations": organisations},
    )
    return len(people), organisations
