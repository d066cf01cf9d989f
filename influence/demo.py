"""Demo content for influence: the unit strategy with France, Libya and (under study)
Tunisia, ranked objectives with progress markers and indicators, key messages whose
coherence matrix shows every flag, and a political calendar of real 2026–2027
milestones, each marked as an example to check before use.

`seed(scale=N)` adds (N-1)×4 political events and (N-1)×2 objectives, for load tests.
Idempotent: every row is found by its title (or text) before being created.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.models import Country, Theme, User

from .models import (
    Indicator,
    KeyMessage,
    KeyMessageVersion,
    Objective,
    OperationalRisk,
    PoliticalEvent,
    ProgressMarker,
    Strategy,
)

COORDINATOR = "coordination"
COMMUNICATION = "communication"
ADVOCACY_FR = "plaidoyer.france"

UNIT_THREAD = """Nos équipes soignent des personnes dont la santé est abîmée **par les politiques
migratoires elles-mêmes** : détention, refoulements, évaluation de l'âge expéditive,
campements démantelés. Notre influence part de ce que nous voyons en consultation et
demande que les personnes soient protégées et soignées, où qu'elles soient sur la route.

- témoigner de ce que nous voyons, avec le consentement des personnes ;
- porter peu de messages, les mêmes partout, déclinés par pays ;
- ne jamais mettre en danger nos opérations ni les personnes."""

UNIT_CONTEXT = """### Contexte 2026-2027

- **Pacte européen sur la migration et l'asile** : applicable à partir de juin 2026
  (filtrage aux frontières, procédures accélérées, solidarité « flexible »).
- Externalisation accrue vers la Libye et la Tunisie ; interceptions en mer en hausse.
- En France, élection présidentielle au printemps 2027 : la migration au cœur de la campagne.

| Acteur | Position | Levier |
|---|---|---|
| Commission européenne | pilote la mise en œuvre du Pacte | rapports d'application |
| Parlement européen (LIBE) | divisé | auditions, questions écrites |
| Gouvernements | restrictifs | données médicales, coalitions |"""

# (title, kind, start, end, country code or "", theme slugs, description)
REAL_EVENTS = [
    (
        "Entrée en application du Pacte européen sur la migration et l'asile",
        "eu_pact",
        datetime.date(2026, 6, 12),
        None,
        "EU",
        ["pacte-ue", "acces-protection", "detention"],
        "Les règlements du Pacte s'appliquent deux ans après leur entrée en vigueur (juin 2024).",
    ),
    (
        "Journée mondiale des réfugiés 2026",
        "anniversary",
        datetime.date(2026, 6, 20),
        None,
        "",
        ["acces-protection"],
        "20 juin, Nations unies.",
    ),
    (
        "Journée internationale pour le soutien aux victimes de la torture",
        "anniversary",
        datetime.date(2026, 6, 26),
        None,
        "",
        ["torture", "sante-mentale"],
        "26 juin, Nations unies.",
    ),
    (
        "Journée mondiale de la lutte contre la traite d'êtres humains",
        "anniversary",
        datetime.date(2026, 7, 30),
        None,
        "",
        ["traite"],
        "30 juillet, Nations unies.",
    ),
    (
        "Journée de la mémoire des victimes de l'immigration (naufrage de Lampedusa, 2013)",
        "anniversary",
        datetime.date(2026, 10, 3),
        None,
        "IT",
        ["sauvetage-debarquement"],
        "3 octobre, Italie.",
    ),
    (
        "Journée mondiale de la santé mentale",
        "anniversary",
        datetime.date(2026, 10, 10),
        None,
        "",
        ["sante-mentale"],
        "10 octobre, OMS.",
    ),
    (
        "Journée des droits de l'homme",
        "anniversary",
        datetime.date(2026, 12, 10),
        None,
        "",
        ["acces-protection", "detention"],
        "10 décembre, anniversaire de la Déclaration universelle.",
    ),
    (
        "Journée internationale des migrants",
        "anniversary",
        datetime.date(2026, 12, 18),
        None,
        "",
        ["acces-protection", "violences-frontieres"],
        "18 décembre, Nations unies.",
    ),
    (
        "Journée mondiale de lutte contre la tuberculose",
        "anniversary",
        datetime.date(2027, 3, 24),
        None,
        "",
        ["tuberculose", "acces-soins"],
        "24 mars, OMS.",
    ),
    (
        "Élection présidentielle française (dates indicatives)",
        "election",
        datetime.date(2027, 4, 10),
        datetime.date(2027, 4, 24),
        "FR",
        ["acces-protection", "mineurs-age"],
        "Premier et second tours au printemps 2027 ; dates officielles à confirmer.",
    ),
    (
        "Journée mondiale des réfugiés 2027",
        "anniversary",
        datetime.date(2027, 6, 20),
        None,
        "",
        ["acces-protection"],
        "20 juin, Nations unies.",
    ),
    (
        "Premier rapport annuel européen sur la migration au titre du Pacte (date indicative)",
        "report",
        datetime.date(2026, 10, 15),
        None,
        "EU",
        ["pacte-ue"],
        "Le Pacte prévoit un rapport annuel de la Commission ; date à confirmer.",
    ),
]

# Near-term examples (relative to today) so the dashboard has something ahead.
NEAR_EVENTS = [
    (
        "Vote en commission LIBE sur la liste des pays d'origine sûrs (exemple)",
        "vote",
        12,
        None,
        "EU",
        ["pacte-ue", "acces-protection"],
    ),
    (
        "Débat au Sénat sur l'évaluation de l'âge des mineurs (exemple)",
        "debate",
        20,
        21,
        "FR",
        ["mineurs-age"],
    ),
    (
        "Sommet UE–Afrique du Nord sur les migrations (exemple)",
        "summit",
        45,
        46,
        "TN",
        ["externalisation", "violences-frontieres"],
    ),
]

# (key, scope country, title, impact, feasibility, urgency, risk, due in days, takes_up key,
#  themes, audiences, markers [(level, text, reached days ago or None)])
OBJECTIVES = [
    (
        "u-detention",
        None,
        "Mettre fin à la détention des enfants aux frontières de l'Europe",
        5,
        3,
        4,
        2,
        60,
        None,
        ["detention", "mineurs-age"],
        ["eu_institutions", "parliament"],
        [
            ("expect", "Des eurodéputés reprennent nos données médicales", 40),
            ("expect", "La Commission répond à notre lettre ouverte", None),
            (
                "like",
                "Une résolution du Parlement européen cite la santé des enfants détenus",
                None,
            ),
            ("love", "Le filtrage exclut les enfants de toute détention", None),
        ],
    ),
    (
        "u-soins",
        None,
        "Garantir l'accès aux soins des personnes exilées, quel que soit leur statut",
        4,
        4,
        3,
        1,
        240,
        None,
        ["acces-soins", "sante-mentale"],
        ["government", "public"],
        [
            ("expect", "Les ARS reconnaissent les ruptures de soins que nous documentons", 90),
            ("expect", "Deux collectifs signent notre note commune", 30),
            ("like", "Le budget de l'AME est préservé", None),
            ("love", "Un accès aux soins inconditionnel inscrit dans la loi", None),
        ],
    ),
    (
        "u-evacuations",
        None,
        "Augmenter les évacuations humanitaires hors de Libye",
        5,
        2,
        4,
        4,
        75,
        None,
        ["evacuations", "detention"],
        ["un_agencies", "government"],
        [
            ("expect", "Le HCR partage les chiffres d'évacuation par trimestre", 12),
            ("like", "Deux États européens annoncent de nouvelles places de réinstallation", None),
            ("love", "Un corridor humanitaire pérenne est ouvert", None),
        ],
    ),
    (
        "u-sauvetage",
        None,
        "Faire cesser les interceptions et les retours forcés vers la Libye",
        5,
        1,
        5,
        5,
        300,
        None,
        ["sauvetage-debarquement", "externalisation"],
        ["eu_institutions", "media"],
        [
            ("expect", "Les médias reprennent nos récits de débarquement", 20),
            ("like", "Le Parlement européen demande un audit du soutien aux garde-côtes", None),
        ],
    ),
    (
        "fr-mineurs",
        "FR",
        "Présomption de minorité pendant tout le recours des jeunes",
        5,
        3,
        5,
        1,
        45,
        "u-detention",
        ["mineurs-age"],
        ["parliament", "government"],
        [
            ("expect", "Des sénateurs déposent un amendement sur la présomption de minorité", None),
            ("like", "Le Défenseur des droits reprend nos observations", None),
        ],
    ),
    (
        "fr-soins",
        "FR",
        "Des permanences d'accès aux soins dans chaque campement d'Île-de-France",
        4,
        3,
        3,
        1,
        200,
        "u-soins",
        ["acces-soins", "logement-squats"],
        ["government"],
        [("expect", "La préfecture organise une réunion avec les associations", 15)],
    ),
    (
        "fr-hebergement",
        "FR",
        "Mise à l'abri des mineurs en recours à Paris et à Marseille",
        4,
        3,
        4,
        1,
        80,
        None,
        ["logement-squats", "mineurs-age"],
        ["government", "public"],
        [
            ("expect", "La ville de Paris ouvre un lieu d'accueil de jour", None),
            ("like", "Un dispositif d'hébergement dédié est financé", None),
        ],
    ),
    (
        "ly-evacuations",
        "LY",
        "Relancer les vols d'évacuation depuis Tripoli",
        5,
        2,
        4,
        5,
        50,
        "u-evacuations",
        ["evacuations"],
        ["un_agencies"],
        [
            ("expect", "Réunion de coordination avec le HCR à Tripoli", 25),
            ("like", "Un vol d'évacuation part chaque trimestre", None),
        ],
    ),
    (
        "ly-detention",
        "LY",
        "Accès médical régulier aux centres de détention officiels",
        5,
        2,
        4,
        5,
        120,
        "u-detention",
        ["detention", "tuberculose"],
        ["government", "un_agencies"],
        [("expect", "Autorisation de visites hebdomadaires à Tariq al-Sikka", None)],
    ),
    (
        "ly-tb",
        "LY",
        "Continuité du traitement de la tuberculose après libération",
        4,
        3,
        3,
        3,
        260,
        None,
        ["tuberculose", "acces-soins"],
        ["government"],
        [("expect", "Le programme national TB accepte un protocole de transfert", 60)],
    ),
]

# (theme slug, audience, master text, variants {country: (text, flag)})
MESSAGES = [
    (
        "detention",
        "eu_institutions",
        "La détention rend malade : aucun enfant ne doit être enfermé aux frontières de l'Europe.\n"
        "Nos équipes constatent chez les enfants détenus anxiété, troubles du sommeil "
        "et retards de soins.",
        {
            "FR": (
                "La rétention rend malade : aucun enfant ne doit être enfermé en France ni aux "
                "frontières de l'Europe.\nNos équipes de Calais et de Marseille le constatent.",
                "ok",
            ),
            "LY": (
                "La détention arbitraire en Libye tue : aucune personne ne doit être renvoyée vers "
                "les centres libyens.",
                "outdated",
            ),
        },
    ),
    (
        "acces-soins",
        "government",
        "L'accès aux soins ne se négocie pas : chaque personne exilée doit pouvoir être soignée, "
        "quel que soit son statut administratif.",
        {
            "FR": (
                "L'Aide médicale de l'État protège la santé de tous : la réduire coûtera des vies "
                "et de l'argent.",
                "expiring",
            ),
            "LY": (
                "Les personnes migrantes en Libye doivent pouvoir accéder aux structures de santé "
                "sans risque d'arrestation.",
                "draft",
            ),
        },
    ),
    (
        "evacuations",
        "un_agencies",
        "Les évacuations humanitaires sauvent des vies : elles doivent reprendre et s'amplifier.",
        {
            "LY": (
                "Chaque vol d'évacuation annulé laisse des personnes malades en détention à "
                "Tripoli.",
                "ok",
            ),
            "FR": (
                "La France doit honorer ses engagements de réinstallation depuis la Libye.",
                "expired",
            ),
        },
    ),
    (
        "mineurs-age",
        "parliament",
        "Un jeune qui se dit mineur doit être protégé comme tel tant qu'une décision définitive "
        "n'a pas été rendue.",
        {
            "FR": (
                "Présomption de minorité : un jeune en recours doit être hébergé et soigné comme "
                "un enfant.",
                "ok",
            ),
        },
    ),
    (
        "sauvetage-debarquement",
        "media",
        "Les interceptions en mer renvoient les personnes vers la violence : la Libye n'est pas un "
        "lieu sûr de débarquement.",
        {
            "LY": (
                "Nos équipes aux points de débarquement soignent des blessures liées aux "
                "interceptions.",
                "ok",
            ),
        },
    ),
]
# A retired master whose approved variant still circulates (flag "retired master").
RETIRED_MASTER = (
    "violences-frontieres",
    "public",
    "Les refoulements aux frontières européennes se multiplient : ils doivent cesser.",
    ("FR", "À la frontière franco-italienne, les refoulements de mineurs se multiplient."),
)


def _write(stdout, text: str) -> None:
    if stdout:
        stdout.write(text)


def _user(username: str) -> User | None:
    return User.objects.filter(username=username).first()


@transaction.atomic
def seed(*, scale: int = 1, stdout=None) -> None:
    coordinator = _user(COORDINATOR)
    if coordinator is None:
        _write(stdout, "influence: demo users missing, nothing seeded")
        return
    writer = _user(COMMUNICATION) or coordinator
    today = timezone.localdate()
    countries = {c.code: c for c in Country.objects.all()}
    themes = {t.slug: t for t in Theme.objects.all()}

    unit = _strategy(None, None, coordinator, today)
    children = {
        code: _strategy(countries[code], unit, coordinator, today)
        for code in ("FR", "LY", "TN")
        if code in countries
    }
    _risks(children)
    objectives = _objectives(unit, children, themes, coordinator, today)
    _messages(themes, countries, coordinator, writer, today)
    events = _events(themes, countries, objectives, coordinator, today)
    extra = _scale(scale, unit, themes, coordinator, today)
    _write(
        stdout,
        f"influence: {1 + len(children)} strategies, {len(objectives)} objectives, "
        f"{KeyMessage.objects.count()} messages, {events} events (+{extra} for scale {scale})",
    )


def _strategy(country, parent, coordinator, today) -> Strategy:
    year = today.year
    if country is None:
        title = f"Fil conducteur de l'unité Migration {year}-{year + 1}"
    else:
        title = f"Stratégie d'influence {country.name_fr} {year}-{year + 1}"
    strategy = Strategy.objects.filter(title=title).first()
    if strategy is not None:
        return strategy
    under_study = country is not None and country.code == "TN"
    validated = not under_study
    return Strategy.objects.create(
        scope=Strategy.Scope.COUNTRY if country else Strategy.Scope.UNIT,
        country=country,
        parent=parent,
        title=title,
        period_start=datetime.date(year, 1, 1),
        period_end=datetime.date(year + 1, 12, 31),
        status=Strategy.Status.VALIDATED if validated else Strategy.Status.DRAFT,
        under_study=under_study,
        common_thread=UNIT_THREAD if country is None else "",
        context=UNIT_CONTEXT
        if country is None
        else (
            f"Contexte de {country.name_fr} : voir les notes d'analyse de la veille. "
            + (
                "Intervention à l'étude ; pas de projet ouvert."
                if under_study
                else "Projets ouverts ; risques opérationnels suivis ci-dessous."
            )
        ),
        validated_at=timezone.now() - datetime.timedelta(days=60) if validated else None,
        validated_by=coordinator if validated else None,
    )


def _risks(children: dict[str, Strategy]) -> None:
    rows = {
        "LY": [
            (
                "Suspension des activités par une autorité",
                4,
                5,
                "Messages publics validés au siège ; contacts réguliers avec les autorités "
                "sanitaires.",
            ),
            (
                "Arrestation de patients à la sortie des structures",
                3,
                4,
                "Aucune donnée nominative dans les communications ; prise en charge sur site.",
            ),
        ],
        "FR": [
            (
                "Refus d'accès aux centres de rétention",
                2,
                3,
                "Passer par les associations habilitées ; saisir le Contrôleur général.",
            ),
        ],
        "TN": [
            (
                "Expulsion de l'équipe exploratoire",
                3,
                5,
                "Profil bas, aucune communication publique.",
            ),
        ],
    }
    for code, risks in rows.items():
        strategy = children.get(code)
        if strategy is None:
            continue
        for title, likelihood, impact, mitigation in risks:
            OperationalRisk.objects.get_or_create(
                strategy=strategy,
                title=title,
                defaults={"likelihood": likelihood, "impact": impact, "mitigation": mitigation},
            )


def _objectives(unit, children, themes, coordinator, today) -> dict[str, Objective]:
    made: dict[str, Objective] = {}
    for (
        key,
        code,
        title,
        impact,
        feas,
        urg,
        risk,
        due,
        takes_up,
        theme_slugs,
        audiences,
        markers,
    ) in OBJECTIVES:
        strategy = unit if code is None else children.get(code)
        if strategy is None:
            continue
        objective = Objective.objects.filter(strategy=strategy, title=title).first()
        if objective is None:
            objective = Objective.objects.create(
                strategy=strategy,
                title=title,
                takes_up=made.get(takes_up),
                impact=impact,
                feasibility=feas,
                urgency=urg,
                operational_risk=risk,
                due_on=today + datetime.timedelta(days=due),
                audiences=audiences,
            )
            objective.themes.set([themes[s] for s in theme_slugs if s in themes])
            for position, (level, text, reached) in enumerate(markers):
                ProgressMarker.objects.create(
                    objective=objective,
                    level=level,
                    text=text,
                    position=position,
                    reached_on=today - datetime.timedelta(days=reached) if reached else None,
                    reached_by=coordinator if reached else None,
                )
            if key == "u-soins":
                Indicator.objects.create(
                    objective=objective,
                    name="Personnes orientées vers une PASS",
                    unit="personnes",
                    baseline=Decimal(120),
                    target=Decimal(400),
                    current=Decimal(260),
                    measured_on=today - datetime.timedelta(days=10),
                )
            if key == "u-evacuations":
                Indicator.objects.create(
                    objective=objective,
                    name="Évacuations par trimestre",
                    unit="personnes",
                    baseline=Decimal(300),
                    target=Decimal(1200),
                    current=Decimal(410),
                    measured_on=today - datetime.timedelta(days=30),
                )
        made[key] = objective
    return made


def _message(
    *,
    theme,
    audience,
    text,
    author,
    country=None,
    master=None,
    status,
    approver,
    today,
    valid_until=None,
    master_version=None,
) -> KeyMessage:
    message = (
        KeyMessage.objects.filter(Q(text=text) | Q(versions__number=1, versions__text=text))
        .order_by("pk")
        .first()
    )
    if message is not None:
        return message
    message = KeyMessage.objects.create(
        theme=theme,
        audience=audience,
        country=country,
        master=master,
        language="fr",
        sensitivity="reactive" if country is not None and country.code == "LY" else "public",
        text=text,
        status=status,
        valid_from=today - datetime.timedelta(days=120),
        valid_until=valid_until,
        author=author,
        approved_by=approver if status == KeyMessage.Status.APPROVED else None,
        approved_at=timezone.now() - datetime.timedelta(days=30)
        if status == KeyMessage.Status.APPROVED
        else None,
        master_version=master_version,
    )
    KeyMessageVersion.objects.create(
        message=message,
        number=1,
        text=text,
        language="fr",
        status=status,
        changed_by=author,
        change="created",
    )
    return message


def _messages(themes, countries, coordinator, writer, today) -> None:
    approved = KeyMessage.Status.APPROVED
    for slug, audience, text, variants in MESSAGES:
        theme = themes.get(slug)
        if theme is None:
            continue
        master = _message(
            theme=theme,
            audience=audience,
            text=text,
            author=writer,
            status=approved,
            approver=coordinator,
            today=today,
        )
        for code, (variant_text, flag) in variants.items():
            country = countries.get(code)
            if country is None:
                continue
            _message(
                theme=theme,
                audience=audience,
                text=variant_text,
                author=writer,
                country=country,
                master=master,
                status=KeyMessage.Status.DRAFT if flag == "draft" else approved,
                approver=coordinator,
                today=today,
                valid_until={
                    "expired": today - datetime.timedelta(days=5),
                    "expiring": today + datetime.timedelta(days=12),
                }.get(flag, today + datetime.timedelta(days=365)),
                master_version=1,
            )
        if slug == "detention" and master.version == 1:
            # The master was re-worded after the Libya variant was written: "outdated".
            new_text = text.replace("aucun enfant", "aucun enfant ni aucune famille")
            KeyMessage.objects.filter(pk=master.pk).update(text=new_text, version=2)
            KeyMessageVersion.objects.create(
                message=master,
                number=2,
                text=new_text,
                language="fr",
                status=approved,
                changed_by=writer,
                change="edited",
            )
            KeyMessage.objects.filter(master=master, country__code="FR").update(master_version=2)
    slug, audience, text, (code, variant_text) = RETIRED_MASTER
    if slug in themes and code in countries:
        master = _message(
            theme=themes[slug],
            audience=audience,
            text=text,
            author=writer,
            status=KeyMessage.Status.RETIRED,
            approver=coordinator,
            today=today,
        )
        _message(
            theme=themes[slug],
            audience=audience,
            text=variant_text,
            author=writer,
            country=countries[code],
            master=master,
            status=approved,
            approver=coordinator,
            today=today,
            valid_until=today + datetime.timedelta(days=200),
            master_version=1,
        )


def _events(themes, countries, objectives, coordinator, today) -> int:
    count = 0
    for title, kind, start, end, code, slugs, description in REAL_EVENTS:
        count += _event(
            title, kind, start, end, code, slugs, description, themes, countries, coordinator
        )
    links = {
        "Vote en commission LIBE": ["u-detention"],
        "Débat au Sénat": ["fr-mineurs"],
        "Sommet UE": ["u-sauvetage"],
    }
    for title, kind, offset, end_offset, code, slugs in NEAR_EVENTS:
        start = today + datetime.timedelta(days=offset)
        end = today + datetime.timedelta(days=end_offset) if end_offset else None
        made = _event(title, kind, start, end, code, slugs, "", themes, countries, coordinator)
        count += made
        if made:
            event = PoliticalEvent.objects.get(title=title)
            for prefix, keys in links.items():
                if title.startswith(prefix):
                    event.objectives.set([objectives[k] for k in keys if k in objectives])
    return count


def _event(title, kind, start, end, code, slugs, description, themes, countries, user) -> int:
    if PoliticalEvent.objects.filter(title=title, start=start).exists():
        return 0
    event = PoliticalEvent.objects.create(
        title=title,
        kind=kind,
        start=start,
        end=end,
        country=countries.get(code) if code else None,
        description=description,
        is_example=True,
        created_by=user,
    )
    event.themes.set([themes[s] for s in slugs if s in themes])
    return 1


def _scale(scale: int, unit, themes, coordinator, today) -> int:
    """Load-test rows: more events spread over two years, more unit objectives."""
    if scale <= 1:
        return 0
    made = 0
    events = []
    known = set(
        PoliticalEvent.objects.filter(title__startswith="Événement de charge").values_list(
            "title", flat=True
        )
    )
    for n in range((scale - 1) * 4):
        title = f"Événement de charge {n + 1}"
        if title in known:
            continue
        events.append(
            PoliticalEvent(
                title=title,
                kind="debate",
                start=today + datetime.timedelta(days=(n * 7) % 700 - 90),
                is_example=True,
                created_by=coordinator,
            )
        )
    PoliticalEvent.objects.bulk_create(events, batch_size=1000)
    made += len(events)
    objectives = []
    known = set(
        Objective.objects.filter(strategy=unit, title__startswith="Objectif de charge").values_list(
            "title", flat=True
        )
    )
    for n in range((scale - 1) * 2):
        title = f"Objectif de charge {n + 1}"
        if title in known:
            continue
        objectives.append(
            Objective(
                strategy=unit,
                title=title,
                impact=1 + n % 5,
                feasibility=1 + (n // 5) % 5,
                urgency=1 + (n // 25) % 5,
                operational_risk=1 + (n // 3) % 5,
                due_on=today + datetime.timedelta(days=n % 400),
            )
        )
    Objective.objects.bulk_create(objectives, batch_size=1000)
    made += len(objectives)
    return made
