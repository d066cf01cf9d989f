"""Demo content for plaidoyer: a believable advocacy landscape for the Migration Unit.

French ministries and prefectures, the Défenseur des droits, the European Commission's
DG HOME and the LIBE committee, Libyan and Italian authorities, UNHCR and IOM, partner
NGOs and the national coalition on unaccompanied minors; people with their scores and
the "can restrict our operations" flag, positions over time, exchanges (one
confidential) with follow-ups done, due and overdue, actions in every status linked to
influence's objectives and key messages, evidence from the veille and — when the gate
allows it — from testimonies, a joint statement being signed, outcomes that tick
progress markers, lessons learned and this year's budget lines (one overspent).

Every person and every exchange is fictional: names and meetings are examples.

`seed(scale=N)` with N > 1 adds N×10 stakeholders (in N organisations), N×100
exchanges and N×10 actions with `bulk_create`, for load tests (N = 1000 gives 10,000 /
100,000 / 10,000). Idempotent: named rows are found before being created, and the load
rows are counted and completed.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.db.models import Max, OuterRef, Subquery
from django.utils import timezone

from core.models import Country, Theme, User

from .models import (
    ActionItem,
    AdvocacyAction,
    BudgetLine,
    Coalition,
    FollowUp,
    Interaction,
    JointStatement,
    Lesson,
    Organisation,
    Outcome,
    Position,
    Stakeholder,
    StatementSignature,
    normalise,
)

COORDINATOR = "coordination"
ADVOCACY_FR = "plaidoyer.france"
ADVOCACY_LY = "plaidoyer.libye"

# key, name, acronym, kind, country
ORGANISATIONS = [
    (
        "mi",
        "Ministère de l'Intérieur — Direction générale des étrangers en France",
        "DGEF",
        "ministry",
        "FR",
    ),
    ("sante", "Ministère de la Santé et de l'Accès aux soins", "", "ministry", "FR"),
    ("pref62", "Préfecture du Pas-de-Calais", "", "prefecture", "FR"),
    ("pref13", "Préfecture des Bouches-du-Rhône", "", "prefecture", "FR"),
    ("ppparis", "Préfecture de police de Paris", "", "prefecture", "FR"),
    ("ddd", "Défenseur des droits", "DDD", "authority", "FR"),
    ("an", "Assemblée nationale — Commission des lois", "", "parliament", "FR"),
    (
        "cd62",
        "Conseil départemental du Pas-de-Calais — Aide sociale à l'enfance",
        "ASE 62",
        "authority",
        "FR",
    ),
    (
        "dghome",
        "Commission européenne — DG Migration et affaires intérieures",
        "DG HOME",
        "eu_institution",
        "EU",
    ),
    ("libe", "Parlement européen — Commission LIBE", "LIBE", "eu_institution", "EU"),
    (
        "dcim",
        "Ministère de l'Intérieur libyen — Département de lutte contre la migration illégale",
        "DCIM",
        "ministry",
        "LY",
    ),
    ("lcg", "Garde-côtes libyens", "", "authority", "LY"),
    ("msly", "Ministère de la Santé libyen", "", "ministry", "LY"),
    ("unhcrly", "HCR — Libye", "UNHCR", "un_agency", "LY"),
    (
        "iomly",
        "Organisation internationale pour les migrations — Libye",
        "OIM",
        "international",
        "LY",
    ),
    ("viminale", "Ministero dell'Interno", "Viminale", "ministry", "IT"),
    ("agrigento", "Prefettura di Agrigento (Lampedusa)", "", "prefecture", "IT"),
    ("mdm", "Médecins du Monde", "MdM", "ngo", "FR"),
    ("secours", "Secours catholique — Caritas France", "", "ngo", "FR"),
    ("utopia", "Utopia 56", "", "ngo", "FR"),
    ("cimade", "La Cimade", "", "ngo", "FR"),
    ("gisti", "Gisti", "", "ngo", "FR"),
    ("infomie", "InfoMIE", "", "collective", "FR"),
    ("media", "France Inter — rédaction", "", "media", "FR"),
]

# key, name, function, org key, influence, interest, alignment, restricts, owner, notes
PEOPLE = [
    (
        "dgef",
        "Claire Vasseur",
        "Directrice générale adjointe",
        "mi",
        5,
        3,
        2,
        True,
        ADVOCACY_FR,
        "Interlocutrice sur le filtrage et la rétention.",
    ),
    (
        "cab-mi",
        "Julien Marchal",
        "Conseiller migrations au cabinet",
        "mi",
        5,
        2,
        1,
        False,
        COORDINATOR,
        "",
    ),
    (
        "sante",
        "Nadia Bensalem",
        "Conseillère accès aux soins",
        "sante",
        4,
        4,
        4,
        False,
        ADVOCACY_FR,
        "Soutien possible sur l'AME.",
    ),
    (
        "prefet62",
        "Bertrand Lemoine",
        "Préfet du Pas-de-Calais",
        "pref62",
        5,
        3,
        1,
        True,
        ADVOCACY_FR,
        "Autorise nos maraudes à Calais : prudence.",
    ),
    ("sg62", "Sophie Caron", "Secrétaire générale", "pref62", 4, 3, 2, True, ADVOCACY_FR, ""),
    (
        "pref13",
        "Marc Delorme",
        "Directeur des migrations et de l'intégration",
        "pref13",
        4,
        2,
        2,
        False,
        ADVOCACY_FR,
        "",
    ),
    (
        "ppparis",
        "Hélène Rocher",
        "Cheffe du bureau de l'éloignement",
        "ppparis",
        3,
        2,
        2,
        False,
        ADVOCACY_FR,
        "",
    ),
    (
        "ddd",
        "Élise Martin-Roux",
        "Cheffe du pôle défense des droits de l'enfant",
        "ddd",
        3,
        5,
        5,
        False,
        ADVOCACY_FR,
        "Alliée sur l'évaluation de l'âge.",
    ),
    (
        "depute",
        "Thomas Girard",
        "Député, rapporteur sur l'immigration",
        "an",
        4,
        4,
        3,
        False,
        COORDINATOR,
        "",
    ),
    (
        "ase62",
        "Isabelle Fontaine",
        "Directrice de l'enfance et de la famille",
        "cd62",
        3,
        4,
        3,
        False,
        ADVOCACY_FR,
        "",
    ),
    (
        "dghome",
        "Pieter Van Damme",
        "Chef d'unité — Asile et filtrage",
        "dghome",
        5,
        3,
        2,
        False,
        COORDINATOR,
        "",
    ),
    (
        "dghome2",
        "Maria Kowalska",
        "Chargée de mission — Libye et Méditerranée centrale",
        "dghome",
        4,
        4,
        3,
        False,
        COORDINATOR,
        "",
    ),
    (
        "libe",
        "Ana Ferreira",
        "Eurodéputée, membre de la commission LIBE",
        "libe",
        4,
        5,
        5,
        False,
        COORDINATOR,
        "A repris nos données en audition.",
    ),
    (
        "dcim",
        "Colonel Khaled Al-Mansouri",
        "Directeur adjoint des centres de détention",
        "dcim",
        5,
        2,
        1,
        True,
        ADVOCACY_LY,
        "Délivre les accès aux centres : prudence absolue.",
    ),
    (
        "lcg",
        "Capitaine Omar Bensaleh",
        "Commandant régional, Zuwara",
        "lcg",
        4,
        1,
        1,
        True,
        ADVOCACY_LY,
        "",
    ),
    (
        "msly",
        "Dr Aisha Al-Tarhouni",
        "Directrice du programme tuberculose",
        "msly",
        3,
        4,
        4,
        True,
        ADVOCACY_LY,
        "Partenaire du programme TB ; son accord conditionne nos activités.",
    ),
    (
        "unhcr",
        "Jean-Baptiste Ndiaye",
        "Chef de la protection",
        "unhcrly",
        3,
        5,
        4,
        False,
        ADVOCACY_LY,
        "",
    ),
    (
        "iom",
        "Laura Bianchi",
        "Coordinatrice des retours volontaires",
        "iomly",
        3,
        3,
        3,
        False,
        ADVOCACY_LY,
        "",
    ),
    (
        "viminale",
        "Giorgio Russo",
        "Dirigente, Dipartimento per le libertà civili e l'immigrazione",
        "viminale",
        4,
        2,
        2,
        False,
        COORDINATOR,
        "",
    ),
    (
        "agrigento",
        "Francesca Lo Bue",
        "Vice-prefetto",
        "agrigento",
        3,
        3,
        3,
        False,
        COORDINATOR,
        "",
    ),
    (
        "mdm",
        "Camille Perrin",
        "Responsable plaidoyer migrations",
        "mdm",
        2,
        5,
        5,
        False,
        ADVOCACY_FR,
        "",
    ),
    ("secours", "Paul Henry", "Chargé de plaidoyer", "secours", 2, 5, 5, False, ADVOCACY_FR, ""),
    ("utopia", "Inès Cordier", "Coordinatrice Calais", "utopia", 2, 5, 5, False, ADVOCACY_FR, ""),
    ("cimade", "Yacine Haddad", "Responsable rétention", "cimade", 2, 5, 5, False, ADVOCACY_FR, ""),
    (
        "journaliste",
        "Lucie Moreau",
        "Journaliste, service société",
        "media",
        3,
        4,
        4,
        False,
        COORDINATOR,
        "",
    ),
]

# person key, theme slug, [(days ago, support, source, detail)]
POSITIONS = [
    (
        "dgef",
        "detention",
        [
            (300, "strongly_opposed", "public_statement", "Audition au Sénat"),
            (60, "opposed", "interaction", ""),
        ],
    ),
    (
        "ddd",
        "mineurs-age",
        [
            (200, "supportive", "public_statement", "Décision-cadre"),
            (40, "strongly_supportive", "interaction", ""),
        ],
    ),
    (
        "libe",
        "detention",
        [
            (120, "supportive", "public_statement", "Question écrite"),
            (20, "strongly_supportive", "interaction", ""),
        ],
    ),
    ("dghome", "pacte-ue", [(90, "opposed", "public_statement", "Conférence de presse")]),
    ("dcim", "detention", [(150, "strongly_opposed", "interaction", "")]),
    ("msly", "tuberculose", [(80, "supportive", "interaction", "")]),
    (
        "sante",
        "acces-soins",
        [(100, "neutral", "public_statement", "Tribune"), (15, "supportive", "interaction", "")],
    ),
    (
        "prefet62",
        "logement-squats",
        [(70, "opposed", "public_statement", "Communiqué de la préfecture")],
    ),
]

# key, kind, days ago, title, country, people, author, sensitivity, summary, asks, answers,
# follow-ups [(description, owner, due in days from today, done)], coalition key
INTERACTIONS = [
    (
        "i1",
        "meeting",
        62,
        "Rendez-vous DGEF sur la rétention des enfants",
        "FR",
        ["dgef"],
        ADVOCACY_FR,
        "normal",
        "Présentation de nos données médicales sur les enfants retenus.",
        "Fin de la rétention des familles avec enfants.",
        "La DGEF renvoie au cadre légal ; ouverture sur les alternatives.",
        [("Envoyer la note médicale anonymisée", ADVOCACY_FR, -50, True)],
        "",
    ),
    (
        "i2",
        "meeting",
        40,
        "Entretien avec le pôle enfants du Défenseur des droits",
        "FR",
        ["ddd"],
        ADVOCACY_FR,
        "normal",
        "Échange sur les évaluations de l'âge expéditives à Paris et Marseille.",
        "Une décision-cadre sur la présomption de minorité.",
        "Le DDD prépare une recommandation ; demande des cas documentés.",
        [
            ("Transmettre trois situations anonymisées", ADVOCACY_FR, -5, False),
            ("Proposer une date de suivi", COORDINATOR, 12, False),
        ],
        "",
    ),
    (
        "i3",
        "call",
        20,
        "Appel avec l'équipe de la députée européenne Ferreira",
        "EU",
        ["libe"],
        COORDINATOR,
        "normal",
        "Préparation de l'audition LIBE sur le filtrage.",
        "Citer nos données sur la santé des enfants détenus.",
        "Accord pour nous citer ; demande une fiche de deux pages.",
        [("Envoyer la fiche de deux pages", COORDINATOR, 3, False)],
        "",
    ),
    (
        "i4",
        "meeting",
        150,
        "Réunion avec la DCIM sur l'accès aux centres",
        "LY",
        ["dcim"],
        ADVOCACY_LY,
        "confidential",
        "Renouvellement des autorisations d'accès aux centres de Tripoli.",
        "Maintien de l'accès médical hebdomadaire.",
        "Accord oral, à confirmer par écrit.",
        [("Relancer pour la confirmation écrite", ADVOCACY_LY, -120, True)],
        "",
    ),
    (
        "i5",
        "meeting",
        80,
        "Comité de pilotage tuberculose avec le ministère de la Santé",
        "LY",
        ["msly", "iom"],
        ADVOCACY_LY,
        "normal",
        "Suivi des patients après libération des centres.",
        "Une filière de continuité des soins.",
        "Le ministère accepte un groupe de travail.",
        [("Rédiger le projet de termes de référence", ADVOCACY_LY, -10, False)],
        "",
    ),
    (
        "i6",
        "letter",
        35,
        "Courrier au préfet du Pas-de-Calais sur les expulsions de campements",
        "FR",
        ["prefet62"],
        ADVOCACY_FR,
        "normal",
        "Courrier sur les ruptures de soins après les démantèlements.",
        "Un délai de prévenance et l'accès de nos équipes.",
        "",
        [("Relancer la préfecture sans réponse", ADVOCACY_FR, -7, False)],
        "",
    ),
    (
        "i7",
        "hearing",
        25,
        "Audition à la commission des lois",
        "FR",
        ["depute"],
        COORDINATOR,
        "normal",
        "Audition sur le projet de loi immigration.",
        "Préserver l'AME ; pas de rétention d'enfants.",
        "Le rapporteur reprend deux recommandations.",
        [],
        "",
    ),
    (
        "i8",
        "meeting",
        10,
        "Point avec le HCR sur les évacuations",
        "LY",
        ["unhcr"],
        ADVOCACY_LY,
        "normal",
        "Critères de vulnérabilité pour les évacuations humanitaires.",
        "Prioriser les survivants de torture suivis par nos équipes.",
        "Accord sur un circuit de signalement.",
        [("Partager la grille de vulnérabilité", ADVOCACY_LY, 9, False)],
        "",
    ),
    (
        "i9",
        "meeting",
        14,
        "Réunion mensuelle de la coalition mineurs",
        "FR",
        ["mdm", "secours", "utopia"],
        ADVOCACY_FR,
        "normal",
        "Préparation de la déclaration commune sur la présomption de minorité.",
        "",
        "",
        [("Diffuser la version finale aux membres", ADVOCACY_FR, 2, False)],
        "mineurs",
    ),
    (
        "i10",
        "event",
        5,
        "Table ronde avec DG HOME sur la mise en œuvre du Pacte",
        "EU",
        ["dghome", "dghome2"],
        COORDINATOR,
        "normal",
        "Table ronde ONG / Commission sur le filtrage et la santé.",
        "Un mécanisme de suivi indépendant doté de moyens.",
        "La Commission étudie un volet santé dans les lignes directrices.",
        [],
        "",
    ),
    (
        "i11",
        "call",
        3,
        "Appel avec la préfecture de Lampedusa",
        "IT",
        ["agrigento"],
        COORDINATOR,
        "normal",
        "Conditions d'accueil au hotspot après les débarquements.",
        "Un accès pour le dépistage tuberculose.",
        "Réponse attendue sous quinze jours.",
        [("Envoyer le protocole de dépistage", COORDINATOR, 6, False)],
        "",
    ),
    (
        "i12",
        "meeting",
        45,
        "Déjeuner avec la journaliste de France Inter",
        "FR",
        ["journaliste"],
        COORDINATOR,
        "normal",
        "Présentation du rapport sur les mineurs à la rue.",
        "Un reportage à Calais.",
        "Reportage prévu le mois prochain.",
        [],
        "",
    ),
]

# key, title, kind, status, country, owner, due in days, theme slugs, targets (people),
# target organisations, budget line key, planned, spent, audience, description
ACTIONS = [
    (
        "a1",
        "Note de position : aucun enfant en rétention",
        "position_paper",
        "done",
        "FR",
        ADVOCACY_FR,
        -30,
        ["detention", "mineurs-age"],
        ["dgef", "depute"],
        ["mi"],
        "fr",
        "1200.00",
        "950.00",
        "public",
        "Note appuyée sur les consultations de nos équipes de Calais et Marseille.",
    ),
    (
        "a2",
        "Rendez-vous au cabinet du ministre de l'Intérieur",
        "private_meeting",
        "in_progress",
        "FR",
        ADVOCACY_FR,
        -4,
        ["detention"],
        ["cab-mi"],
        [],
        "",
        "0",
        "0",
        "internal",
        "Demande de rendez-vous en cours de calage.",
    ),
    (
        "a3",
        "Lettre conjointe sur la présomption de minorité",
        "joint_letter",
        "in_progress",
        "FR",
        ADVOCACY_FR,
        5,
        ["mineurs-age"],
        ["ddd"],
        ["mi", "cd62"],
        "fr",
        "300.00",
        "120.00",
        "public",
        "Avec la coalition mineurs.",
    ),
    (
        "a4",
        "Rapport « Enfants à la rue à Calais »",
        "report",
        "planned",
        "FR",
        COORDINATOR,
        45,
        ["mineurs-age", "logement-squats"],
        [],
        ["pref62", "cd62"],
        "fr",
        "6500.00",
        "7200.00",
        "partners",
        "Données médicales et témoignages d'enfants ; maquette et impression.",
    ),
    (
        "a5",
        "Audition LIBE sur le filtrage aux frontières",
        "hearing",
        "planned",
        "EU",
        COORDINATOR,
        25,
        ["pacte-ue", "detention"],
        ["libe", "dghome"],
        ["libe"],
        "unit",
        "800.00",
        "0",
        "public",
        "",
    ),
    (
        "a6",
        "Formation média des équipes de Tripoli",
        "media_training",
        "idea",
        "LY",
        ADVOCACY_LY,
        None,
        ["tuberculose"],
        [],
        [],
        "ly",
        "2000.00",
        "0",
        "internal",
        "Parler de la tuberculose sans exposer les équipes.",
    ),
    (
        "a7",
        "Campagne « Soigner n'est pas un délit »",
        "campaign",
        "cancelled",
        "FR",
        COORDINATOR,
        -60,
        ["acces-soins"],
        [],
        ["sante"],
        "unit",
        "4000.00",
        "350.00",
        "public",
        "Annulée : calendrier électoral.",
    ),
    (
        "a8",
        "Communiqué après le naufrage au large de Zuwara",
        "press_release",
        "done",
        "LY",
        ADVOCACY_LY,
        -12,
        ["sauvetage-debarquement"],
        [],
        ["lcg", "dghome"],
        "ly",
        "0",
        "0",
        "public",
        "",
    ),
    (
        "a9",
        "Rendez-vous DCIM : accès médical aux centres",
        "private_meeting",
        "planned",
        "LY",
        ADVOCACY_LY,
        2,
        ["detention", "acces-soins"],
        ["dcim"],
        ["dcim"],
        "",
        "0",
        "0",
        "internal",
        "Préparer les éléments de langage.",
    ),
    (
        "a10",
        "Publications sur les réseaux pour la Journée des réfugiés",
        "social_media",
        "idea",
        "FR",
        COORDINATOR,
        75,
        ["acces-protection"],
        [],
        [],
        "unit",
        "500.00",
        "0",
        "public",
        "",
    ),
    (
        "a11",
        "Événement au Parlement européen sur la santé des enfants détenus",
        "event",
        "in_progress",
        "EU",
        COORDINATOR,
        18,
        ["detention", "sante-mentale"],
        ["libe"],
        ["libe", "dghome"],
        "unit",
        "3000.00",
        "1800.00",
        "public",
        "",
    ),
]

LESSONS = [
    (
        "Arriver avec des données médicales chiffrées",
        "Les chiffres de consultation ont ouvert la porte de la DGEF et de la commission des lois.",
        "Les récits seuls ont été jugés anecdotiques.",
        "Préparer une fiche de deux pages par rendez-vous.",
        "FR",
        ["a1"],
        ["detention"],
    ),
    (
        "Ne jamais citer un centre libyen nommément en public",
        "Le communiqué sur Zuwara est passé sans incident.",
        "Une première version nommait un centre : retirée avant diffusion.",
        "Relecture systématique par l'équipe de Tripoli.",
        "LY",
        ["a8"],
        ["detention"],
    ),
    (
        "Les coalitions signent plus vite avec une date limite claire",
        "La lettre sur la présomption de minorité a réuni cinq signatures en dix jours.",
        "Sans date limite, la précédente déclaration a traîné deux mois.",
        "Fixer la date limite dès l'envoi.",
        "FR",
        ["a3"],
        ["mineurs-age"],
    ),
]


def _get(username):
    return User.objects.filter(username=username).first()


def _write(stdout, text):
    if stdout:
        stdout.write(text)


def seed(*, scale: int = 1, stdout=None) -> None:
    coordinator = _get(COORDINATOR)
    if coordinator is None:
        _write(stdout, "plaidoyer: demo users missing, nothing seeded")
        return
    with transaction.atomic():
        counts = _seed_landscape(coordinator)
    if scale > 1:
        counts.update(_seed_load(scale=scale, owner=coordinator))
    _write(stdout, "plaidoyer: " + ", ".join(f"{n} {what}" for what, n in counts.items()))


# --- The landscape ------------------------------------------------------------------------


def _seed_landscape(coordinator) -> dict[str, int]:
    today = timezone.localdate()
    countries = {c.code: c for c in Country.objects.all()}
    users = {name: _get(name) or coordinator for name in (COORDINATOR, ADVOCACY_FR, ADVOCACY_LY)}
    orgs = {}
    for key, name, acronym, kind, code in ORGANISATIONS:
        org = Organisation.objects.filter(name=name, country=countries[code]).first()
        if org is None:
            org = Organisation(
                name=name,
                acronym=acronym,
                kind=kind,
                country=countries[code],
                created_by=coordinator,
            )
            org.refresh_search_text()
            org.save()
        orgs[key] = org
    people = {}
    for (
        key,
        name,
        function,
        org_key,
        influence,
        interest,
        alignment,
        restricts,
        owner,
        notes,
    ) in PEOPLE:
        org = orgs[org_key]
        person = Stakeholder.objects.filter(full_name=name, organisation=org).first()
        if person is None:
            person = Stakeholder(
                full_name=name,
                function=function,
                organisation=org,
                country=org.country,
                influence=influence,
                interest=interest,
                alignment=alignment,
                can_restrict_operations=restricts,
                owner=users[owner],
                notes=notes,
                languages="français" if org.country.code in ("FR", "EU") else "arabe, anglais",
                email=f"{normalise(name).split()[-1]}@{org_key}.example",
                created_by=coordinator,
            )
            person.refresh_search_text()
            person.save()
        people[key] = person
    coalition = _seed_coalitions(orgs, users, countries)
    interactions = _seed_interactions(people, users, countries, coalition, today)
    _seed_positions(people, interactions, users, today)
    lines = _seed_budget(countries, today)
    actions = _seed_actions(people, orgs, users, countries, lines, today)
    _seed_evidence(actions, coordinator)
    _seed_outcomes(people, orgs, actions, countries, users, today)
    _seed_lessons(actions, users, countries)
    Stakeholder.objects.filter(pk__in=[p.pk for p in people.values()]).update(
        last_contact_on=Subquery(
            Interaction.stakeholders.through.objects.filter(stakeholder_id=OuterRef("pk"))
            .values("stakeholder_id")
            .annotate(last=Max("interaction__occurred_on"))
            .values("last")
        )
    )
    return {
        "organisations": Organisation.objects.count(),
        "stakeholders": Stakeholder.objects.count(),
        "interactions": Interaction.objects.count(),
        "actions": AdvocacyAction.objects.count(),
    }


def _seed_coalitions(orgs, users, countries):
    name = "Coalition nationale pour les mineurs non accompagnés"
    coalition = Coalition.objects.filter(name=name).first()
    if coalition is None:
        coalition = Coalition.objects.create(
            name=name,
            kind=Coalition.Kind.COLLECTIVE,
            level=Coalition.Level.NATIONAL,
            country=countries["FR"],
            representative=users[ADVOCACY_FR],
            mandate=(
                "Notre représentant peut signer les déclarations sur la présomption de minorité "
                "et l'accès aux soins des mineurs ; tout texte citant nos patients passe par la "
                "coordination."
            ),
        )
        coalition.members.set(
            [orgs[k] for k in ("mdm", "secours", "utopia", "cimade", "gisti", "infomie")]
        )
        coalition.themes.set(Theme.objects.filter(slug__in=["mineurs-age", "logement-squats"]))
    statement_title = "Présomption de minorité : pour un accueil digne des enfants isolés"
    if not coalition.statements.filter(title=statement_title).exists():
        today = timezone.localdate()
        statement = JointStatement.objects.create(
            coalition=coalition,
            title=statement_title,
            text=(
                "Nos organisations constatent chaque semaine des enfants évalués majeurs en "
                "quelques minutes puis laissés à la rue. Nous demandons l'application effective "
                "de la présomption de minorité jusqu'à la décision du juge des enfants."
            ),
            deadline=today + datetime.timedelta(days=6),
            status=JointStatement.Status.SIGN_OFF,
        )
        answers = {"mdm": "signed", "secours": "signed", "utopia": "signed", "gisti": "declined"}
        for org in coalition.members.all():
            key = next(k for k, o in orgs.items() if o.pk == org.pk)
            status = answers.get(key, "invited")
            StatementSignature.objects.create(
                statement=statement,
                organisation=org,
                status=status,
                responded_on=today - datetime.timedelta(days=2) if status != "invited" else None,
            )
        published = JointStatement.objects.create(
            coalition=coalition,
            title="Mineurs à la rue : l'hiver ne peut plus attendre",
            text=(
                "Appel commun à l'ouverture de places de mise à l'abri pour les mineurs en recours."
            ),
            deadline=today - datetime.timedelta(days=40),
            status=JointStatement.Status.PUBLISHED,
            published_on=today - datetime.timedelta(days=35),
        )
        for org in coalition.members.all():
            StatementSignature.objects.create(
                statement=published,
                organisation=org,
                status="signed",
                responded_on=published.deadline,
            )
    return coalition


def _seed_interactions(people, users, countries, coalition, today):
    found = {}
    for (
        key,
        kind,
        days,
        title,
        code,
        who,
        author,
        sensitivity,
        summary,
        asks,
        answers,
        follow_ups,
        coal,
    ) in INTERACTIONS:
        interaction = Interaction.objects.filter(title=title).first()
        if interaction is None:
            occurred = today - datetime.timedelta(days=days)
            interaction = Interaction.objects.create(
                kind=kind,
                occurred_on=occurred,
                title=title,
                country=countries[code],
                summary=summary,
                asks=asks,
                answers=answers,
                sensitivity=sensitivity,
                author=users[author],
                coalition=coalition if coal else None,
            )
            persons = [people[k] for k in who]
            interaction.stakeholders.set(persons)
            interaction.organisations.set({p.organisation for p in persons})
            interaction.participants.set([users[author]])
            for description, owner, due, done in follow_ups:
                due_on = max(today + datetime.timedelta(days=due), occurred)
                FollowUp.objects.create(
                    interaction=interaction,
                    description=description,
                    owner=users[owner],
                    due_on=due_on,
                    done_at=timezone.now() if done else None,
                    done_by=users[owner] if done else None,
                )
        found[key] = interaction
    return found


def _seed_positions(people, interactions, users, today):
    by_person = {}
    for interaction in interactions.values():
        for person in interaction.stakeholders.all():
            by_person.setdefault(person.pk, interaction)
    for key, slug, steps in POSITIONS:
        person = people[key]
        theme = Theme.objects.filter(slug=slug).first()
        if theme is None or Position.objects.filter(stakeholder=person, theme=theme).exists():
            continue
        for days, support, source, detail in steps:
            interaction = by_person.get(person.pk) if source == "interaction" else None
            Position.objects.create(
                stakeholder=person,
                theme=theme,
                support=support,
                stated_on=today - datetime.timedelta(days=days),
                source=source if (source != "interaction" or interaction) else "other",
                interaction=interaction,
                source_detail=detail,
                recorded_by=users[COORDINATOR],
            )


def _seed_budget(countries, today):
    lines = {}
    for key, name, code, allocation in (
        ("fr", "Plaidoyer France", "FR", "9000.00"),
        ("ly", "Plaidoyer Libye", "LY", "6000.00"),
        ("unit", "Campagnes et événements de l'unité", None, "12000.00"),
    ):
        line, _created = BudgetLine.objects.get_or_create(
            year=today.year,
            name=name,
            defaults={
                "country": countries.get(code) if code else None,
                "allocation": Decimal(allocation),
            },
        )
        lines[key] = line
    return lines


STATUS_DATES = {
    "planned": "planned_on",
    "in_progress": "started_on",
    "done": "done_on",
    "cancelled": "cancelled_on",
}


def _seed_actions(people, orgs, users, countries, lines, today):
    from influence.models import KeyMessage, Objective

    found = {}
    for (
        key,
        title,
        kind,
        status,
        code,
        owner,
        due,
        themes,
        targets,
        target_orgs,
        line,
        planned,
        spent,
        audience,
        description,
    ) in ACTIONS:
        action = AdvocacyAction.objects.filter(title=title).first()
        if action is None:
            due_on = today + datetime.timedelta(days=due) if due is not None else None
            action = AdvocacyAction(
                title=title,
                kind=kind,
                status=status,
                description=description,
                country=countries[code],
                owner=users[owner],
                due_on=due_on,
                start_on=due_on - datetime.timedelta(days=20)
                if due_on and kind in ("report", "campaign", "event")
                else None,
                budget_line=lines.get(line),
                budget_planned=Decimal(planned),
                budget_spent=Decimal(spent),
                audience=audience,
                created_by=users[COORDINATOR],
            )
            steps = ("planned", "in_progress", "done")
            reference = min(today, due_on or today)
            for step in steps[: steps.index(status) + 1] if status in steps else ():
                back = {"planned": 30, "in_progress": 10, "done": 0}[step]
                setattr(action, STATUS_DATES[step], reference - datetime.timedelta(days=back))
            if status == "cancelled":
                action.cancelled_on = today - datetime.timedelta(days=50)
            action.objective = (
                Objective.objects.filter(themes__slug__in=themes).order_by("pk").first()
            )
            action.save()
            action.themes.set(Theme.objects.filter(slug__in=themes))
            action.target_stakeholders.set([people[k] for k in targets])
            action.target_organisations.set([orgs[k] for k in target_orgs])
            action.key_messages.set(
                KeyMessage.objects.filter(
                    theme__slug__in=themes, status="approved", country__isnull=True
                )[:2]
            )
        found[key] = action
    return found


def _seed_evidence(actions, coordinator):
    """Veille articles cited by the actions; testimonies attached only if the publication
    gate allows them for the action's audience today (recorded as uses)."""
    from django.core.exceptions import ValidationError

    from veille.models import Item

    items = list(
        Item.objects.filter(themes__slug__in=["detention", "mineurs-age"])
        .distinct()
        .order_by("-published_at")[:6]
    )
    for action, item in zip(
        (actions["a1"], actions["a3"], actions["a5"], actions["a11"]), items, strict=False
    ):
        ActionItem.objects.get_or_create(
            action=action, item=item, defaults={"added_by": coordinator}
        )
    if actions["a4"].testimonies.exists():
        return
    from temoignages.selectors import usable_testimonies

    from .services import action_testimony_attach

    for action in (actions["a4"], actions["a2"]):
        for testimony in usable_testimonies(coordinator, action.audience)[:2]:
            try:
                action_testimony_attach(action=action, testimony=testimony, user=coordinator)
            except ValidationError:
                continue


def _seed_outcomes(people, orgs, actions, countries, users, today):
    from influence.models import ProgressMarker

    from .services import markers_tick

    rows = [
        (
            "Le Défenseur des droits recommande la présomption de minorité",
            "policy_change",
            "major",
            12,
            "FR",
            "ddd",
            "ddd",
            ["a3"],
            "La décision-cadre reprend nos constats sur les évaluations de l'âge expéditives.",
            "mineurs-age",
        ),
        (
            "Une eurodéputée cite nos données en commission LIBE",
            "position_shift",
            "sole",
            8,
            "EU",
            "libe",
            "libe",
            ["a5", "a11"],
            "Nos chiffres sur la santé des enfants détenus figurent au compte rendu de la "
            "commission.",
            "detention",
        ),
        (
            "Le ministère de la Santé libyen ouvre un groupe de travail tuberculose",
            "commitment",
            "partial",
            30,
            "LY",
            "msly",
            "msly",
            [],
            "Un groupe de travail sur la continuité des soins après libération est créé.",
            "tuberculose",
        ),
        (
            "Reportage national sur les mineurs à la rue à Calais",
            "media_coverage",
            "major",
            50,
            "FR",
            "journaliste",
            "media",
            ["a1"],
            "Un reportage de vingt minutes reprend notre rapport.",
            "mineurs-age",
        ),
    ]
    for title, kind, contribution, days, code, person, org, action_keys, description, slug in rows:
        if Outcome.objects.filter(title=title).exists():
            continue
        outcome = Outcome.objects.create(
            title=title,
            description=description,
            changed_by=orgs[org].name,
            stakeholder=people[person],
            organisation=orgs[org],
            kind=kind,
            contribution=contribution,
            significance="Un pas concret vers notre objectif.",
            occurred_on=today - datetime.timedelta(days=days),
            country=countries[code],
            recorded_by=users[COORDINATOR],
        )
        outcome.actions.set([actions[k] for k in action_keys])
        marker = (
            ProgressMarker.objects.filter(
                objective__themes__slug=slug, reached_on__isnull=True, level="expect"
            )
            .order_by("pk")
            .first()
        )
        if marker is not None:
            markers_tick(outcome=outcome, markers=[marker], user=users[COORDINATOR])


def _seed_lessons(actions, users, countries):
    for title, worked, did_not, repeat, code, action_keys, themes in LESSONS:
        if Lesson.objects.filter(title=title).exists():
            continue
        lesson = Lesson(
            title=title,
            what_worked=worked,
            what_did_not=did_not,
            to_repeat=repeat,
            country=countries[code],
            author=users[ADVOCACY_FR if code == "FR" else ADVOCACY_LY],
        )
        lesson.refresh_search_text()
        lesson.save()
        lesson.actions.set([actions[k] for k in action_keys])
        lesson.themes.set(Theme.objects.filter(slug__in=themes))


# --- Load rows ----------------------------------------------------------------------------

LOAD_ORG = "Organisation de charge"
LOAD_INTERACTION = "Échange de charge"
LOAD_ACTION = "Action de charge"
FIRST = [
    "Camille",
    "Nadia",
    "Thomas",
    "Sophie",
    "Karim",
    "Élodie",
    "Youssef",
    "Hélène",
    "Marc",
    "Inès",
    "Omar",
    "Léa",
]
LAST = [
    "Martin",
    "Bernard",
    "Haddad",
    "Lefèvre",
    "Benali",
    "Moreau",
    "Diallo",
    "Girard",
    "Roux",
    "Fontaine",
    "Mansour",
    "Petit",
]
FUNCTIONS = [
    "Conseiller",
    "Directrice",
    "Chef de bureau",
    "Chargée de mission",
    "Député",
    "Sous-préfet",
    "Attaché",
]
BATCH = 5000


def _seed_load(*, scale: int, owner) -> dict[str, int]:
    """N organisations, N×10 stakeholders, N×100 exchanges, N×10 actions (bulk)."""
    rng = random.Random(scale)  # noqa: S311 - reproducible demo data, not a secret
    today = timezone.localdate()
    countries = list(Country.objects.filter(code__in=["FR", "LY", "IT", "TN", "EU"]))
    themes = list(Theme.objects.all())
    kinds = [k for k, _label in Organisation.Kind.choices]
    have = Organisation.objects.filter(name__startswith=LOAD_ORG).count()
    organisations = []
    for n in range(have, scale):
        org = Organisation(
            name=f"{LOAD_ORG} {n:05d}",
            kind=kinds[n % len(kinds)],
            country=countries[n % len(countries)],
        )
        org.refresh_search_text()
        organisations.append(org)
    Organisation.objects.bulk_create(organisations, batch_size=BATCH)
    org_rows = list(
        Organisation.objects.filter(name__startswith=LOAD_ORG).values_list("pk", "country_id")
    )
    have = Stakeholder.objects.filter(organisation__name__startswith=LOAD_ORG).count()
    people = []
    for n in range(have, scale * 10):
        org_id, country_id = org_rows[n % len(org_rows)]
        name = f"{FIRST[n % len(FIRST)]} {LAST[(n // len(FIRST)) % len(LAST)]} {n:05d}"
        function = FUNCTIONS[n % len(FUNCTIONS)]
        people.append(
            Stakeholder(
                full_name=name,
                function=function,
                organisation_id=org_id,
                country_id=country_id,
                influence=rng.randint(1, 5),
                interest=rng.randint(1, 5),
                alignment=rng.randint(1, 5),
                can_restrict_operations=n % 17 == 0,
                owner=owner,
                search_text=normalise(f"{name} {function}"),
            )
        )
    Stakeholder.objects.bulk_create(people, batch_size=BATCH)
    person_rows = list(
        Stakeholder.objects.filter(organisation__name__startswith=LOAD_ORG).values_list(
            "pk", "country_id", "organisation_id"
        )
    )
    have = Interaction.objects.filter(title__startswith=LOAD_INTERACTION).count()
    target = scale * 100
    kinds = [k for k, _label in Interaction.Kind.choices]
    through = Interaction.stakeholders.through
    org_through = Interaction.organisations.through
    while have < target:
        chunk = []
        picks = []
        for n in range(have, min(target, have + BATCH)):
            person_id, country_id, org_id = person_rows[n % len(person_rows)]
            picks.append((person_id, org_id))
            chunk.append(
                Interaction(
                    kind=kinds[n % len(kinds)],
                    occurred_on=today - datetime.timedelta(days=rng.randint(0, 720)),
                    title=f"{LOAD_INTERACTION} {n:06d}",
                    country_id=country_id,
                    author=owner,
                    summary="Point de suivi.",
                    sensitivity="confidential" if n % 50 == 0 else "normal",
                )
            )
        created = Interaction.objects.bulk_create(chunk, batch_size=BATCH)
        through.objects.bulk_create(
            [
                through(interaction_id=i.pk, stakeholder_id=p)
                for i, (p, _o) in zip(created, picks, strict=True)
            ],
            batch_size=BATCH,
        )
        org_through.objects.bulk_create(
            [
                org_through(interaction_id=i.pk, organisation_id=o)
                for i, (_p, o) in zip(created, picks, strict=True)
            ],
            batch_size=BATCH,
        )
        FollowUp.objects.bulk_create(
            [
                FollowUp(
                    interaction_id=i.pk,
                    description="Relancer",
                    owner=owner,
                    due_on=i.occurred_on + datetime.timedelta(days=14),
                    done_at=timezone.now() if k % 3 else None,
                )
                for k, i in enumerate(created)
                if k % 10 == 0
            ],
            batch_size=BATCH,
        )
        have += len(chunk)
    Stakeholder.objects.filter(organisation__name__startswith=LOAD_ORG).update(
        last_contact_on=Subquery(
            through.objects.filter(stakeholder_id=OuterRef("pk"))
            .values("stakeholder_id")
            .annotate(last=Max("interaction__occurred_on"))
            .values("last")
        )
    )
    have = AdvocacyAction.objects.filter(title__startswith=LOAD_ACTION).count()
    statuses = ["idea", "planned", "in_progress", "done", "cancelled"]
    action_kinds = [k for k, _label in AdvocacyAction.Kind.choices]
    actions = []
    for n in range(have, scale * 10):
        _person, country_id, _org = person_rows[n % len(person_rows)]
        due = today + datetime.timedelta(days=rng.randint(-200, 200))
        actions.append(
            AdvocacyAction(
                title=f"{LOAD_ACTION} {n:05d}",
                kind=action_kinds[n % len(action_kinds)],
                status=statuses[n % len(statuses)],
                country_id=country_id,
                owner=owner,
                due_on=due if n % 7 else None,
                budget_planned=Decimal(rng.randint(0, 50) * 100),
                budget_spent=Decimal(rng.randint(0, 50) * 90),
            )
        )
    created_actions = AdvocacyAction.objects.bulk_create(actions, batch_size=BATCH)
    theme_through = AdvocacyAction.themes.through
    theme_through.objects.bulk_create(
        [
            theme_through(advocacyaction_id=a.pk, theme_id=themes[k % len(themes)].pk)
            for k, a in enumerate(created_actions)
        ],
        batch_size=BATCH,
    )
    return {
        "load organisations": len(org_rows),
        "load stakeholders": len(person_rows),
        "load interactions": Interaction.objects.filter(title__startswith=LOAD_INTERACTION).count(),
        "load actions": AdvocacyAction.objects.filter(title__startswith=LOAD_ACTION).count(),
    }
