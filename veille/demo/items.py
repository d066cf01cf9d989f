# ruff: noqa: E501 - the demo tables read best one row per line
"""Demo sources and items: real sources (left inactive) and a few hundred recorded items.

`seed(scale=1)` creates about thirty sources — public feeds of migration-relevant media,
EU institutions, UN agencies and NGOs, in French, English and Arabic — all **inactive**
so that an offline machine shows no fetch errors, and ~300 recorded items told over the
last four weeks, several stories covered by 2–4 sources (clusters), with varied triage
statuses, themes and countries. `scale=N` makes N times more items (fast: COPY on
PostgreSQL, search vectors filled by the trigger). Idempotent at a given scale.
"""

from __future__ import annotations

import hashlib
import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from core.models import Country, Theme

from .. import signatures
from ..models import Cluster, Item, Source
from ..services import clustering
from ..services.ingest import insert_items

DEMO_NOTE = "Source de démonstration : désactivée, ses articles sont des exemples enregistrés."

# name, feed URL, site, kind, country code, language, theme slugs
SOURCES = [
    ("InfoMigrants (FR)", "https://www.infomigrants.net/fr/rss", "https://www.infomigrants.net/fr/", "media", "FR", "fr", ["acces-protection"]),
    ("InfoMigrants (EN)", "https://www.infomigrants.net/en/rss", "https://www.infomigrants.net/en/", "media", "EU", "en", ["acces-protection"]),
    ("InfoMigrants (AR)", "https://www.infomigrants.net/ar/rss", "https://www.infomigrants.net/ar/", "media", "EU", "ar", ["acces-protection"]),
    ("France 24 (FR)", "https://www.france24.com/fr/rss", "https://www.france24.com/fr/", "media", "FR", "fr", []),
    ("France 24 (EN)", "https://www.france24.com/en/rss", "https://www.france24.com/en/", "media", "FR", "en", []),
    ("France 24 (AR)", "https://www.france24.com/ar/rss", "https://www.france24.com/ar/", "media", "FR", "ar", []),
    ("Le Monde — Immigration", "https://www.lemonde.fr/immigration-et-diversite/rss_full.xml", "https://www.lemonde.fr/immigration-et-diversite/", "media", "FR", "fr", []),
    ("Al Jazeera", "https://www.aljazeera.com/xml/rss/all.xml", "https://www.aljazeera.com/", "media", None, "en", []),
    ("The New Humanitarian", "https://www.thenewhumanitarian.org/rss/all.xml", "https://www.thenewhumanitarian.org/", "media", None, "en", []),
    ("Libya Herald", "https://libyaherald.com/feed/", "https://libyaherald.com/", "media", "LY", "en", []),
    ("Libya Observer", "https://libyaobserver.ly/rss.xml", "https://libyaobserver.ly/", "media", "LY", "en", []),
    ("Nawaat", "https://nawaat.org/feed/", "https://nawaat.org/", "media", "TN", "fr", []),
    ("Euractiv — Migrations", "https://www.euractiv.com/sections/migrations/feed/", "https://www.euractiv.com/", "media", "EU", "en", ["pacte-ue"]),
    ("Parlement européen — LIBE", "https://www.europarl.europa.eu/rss/committee/libe/en.xml", "https://www.europarl.europa.eu/committees/en/libe/home", "parliament", "EU", "en", ["pacte-ue"]),
    ("Conseil de l'UE — communiqués", "https://www.consilium.europa.eu/en/rss/pressreleases.ashx", "https://www.consilium.europa.eu/", "institution", "EU", "en", ["pacte-ue"]),
    ("ONU Info — Migrants et réfugiés", "https://news.un.org/feed/subscribe/en/news/topic/migrants-and-refugees/feed/rss.xml", "https://news.un.org/", "un_agency", None, "en", ["acces-protection"]),
    ("ReliefWeb — Libye", "https://reliefweb.int/country/lby/rss.xml", "https://reliefweb.int/country/lby", "un_agency", "LY", "en", ["evacuations"]),
    ("ECRE", "https://ecre.org/feed/", "https://ecre.org/", "ngo", "EU", "en", ["acces-protection"]),
    ("Alarm Phone", "https://alarmphone.org/en/feed/", "https://alarmphone.org/en/", "ngo", None, "en", ["sauvetage-debarquement"]),
    ("Sea-Watch", "https://sea-watch.org/en/feed/", "https://sea-watch.org/en/", "ngo", "IT", "en", ["sauvetage-debarquement"]),
    ("Mixed Migration Centre", "https://mixedmigration.org/feed/", "https://mixedmigration.org/", "ngo", None, "en", []),
    ("Amnesty International", "https://www.amnesty.org/en/feed/", "https://www.amnesty.org/en/", "ngo", None, "en", ["detention"]),
    ("La Cimade", "https://www.lacimade.org/feed/", "https://www.lacimade.org/", "ngo", "FR", "fr", ["detention"]),
    ("Anafé", "https://www.anafe.org/spip.php?page=backend", "https://www.anafe.org/", "ngo", "FR", "fr", ["violences-frontieres"]),
    ("Migreurop", "https://migreurop.org/spip.php?page=backend", "https://migreurop.org/", "ngo", "EU", "fr", ["externalisation"]),
    ("FTDES", "https://ftdes.net/feed/", "https://ftdes.net/", "ngo", "TN", "fr", []),
    ("Forum réfugiés", "https://www.forumrefugies.org/feed", "https://www.forumrefugies.org/", "ngo", "FR", "fr", ["acces-protection"]),
    ("Défenseur des droits", "https://www.defenseurdesdroits.fr/rss.xml", "https://www.defenseurdesdroits.fr/", "institution", "FR", "fr", ["mineurs-age"]),
]  # fmt: skip

# Stories: language, title templates (one per outlet that covers it), summary, themes,
# countries. {n}, {place} and {org} are filled per occurrence.
STORIES = [
    ("fr", ["Naufrage au large de la Libye : au moins {n} migrants disparus", "Libye : au moins {n} migrants disparus dans un naufrage au large de {place}", "Naufrage au large de {place} : au moins {n} disparus, selon l'OIM"], "Une embarcation partie de {place} a chaviré ; les garde-côtes ont secouru une partie des passagers et au moins {n} personnes sont portées disparues.", ["sauvetage-debarquement"], ["LY"]),
    ("fr", ["Mineurs non accompagnés : le Conseil d'État suspend une circulaire sur l'évaluation de l'âge", "Évaluation de l'âge des mineurs isolés : la circulaire suspendue par le Conseil d'État"], "Saisi par plusieurs associations, le Conseil d'État a suspendu la circulaire qui encadrait l'évaluation de l'âge des jeunes se déclarant mineurs.", ["mineurs-age"], ["FR"]),
    ("fr", ["À {place}, {n} exilés évacués d'un campement au petit matin", "Évacuation d'un campement d'exilés à {place} : {n} personnes concernées"], "Les forces de l'ordre ont démantelé un campement où vivaient {n} personnes ; les associations dénoncent l'absence de solution d'hébergement.", ["logement-squats"], ["FR"]),
    ("fr", ["Centres de rétention : {org} alerte sur la santé des personnes enfermées", "Rétention administrative : le rapport annuel de {org} pointe des atteintes aux droits"], "Le rapport décrit l'allongement des durées d'enfermement, l'accès difficile aux soins et des placements de familles avec enfants.", ["detention", "acces-soins"], ["FR"]),
    ("fr", ["Frontière franco-italienne : des refoulements de mineurs documentés à {place}", "Refoulements à la frontière italienne : {org} saisit la justice"], "Des témoignages recueillis à {place} décrivent des renvois expéditifs vers l'Italie, y compris de mineurs non accompagnés.", ["violences-frontieres", "mineurs-age"], ["FR", "IT"]),
    ("fr", ["Pacte sur la migration et l'asile : ce qui change pour les procédures à la frontière", "Pacte européen sur la migration : les États membres préparent la mise en œuvre"], "Filtrage, procédures accélérées aux frontières extérieures et mécanisme de solidarité : les textes adoptés entrent en application par étapes.", ["pacte-ue"], ["EU"]),
    ("fr", ["Tunisie : des centaines de migrants subsahariens expulsés vers la frontière", "Tunisie : {org} dénonce des expulsions de migrants vers le désert"], "Des personnes interceptées à {place} auraient été conduites vers les zones frontalières, sans eau ni nourriture, selon plusieurs témoignages.", ["violences-frontieres", "externalisation"], ["TN"]),
    ("fr", ["Tuberculose : un dépistage renforcé dans les lieux d'hébergement d'urgence", "Tuberculose chez les personnes exilées : {org} demande un accès aux soins sans délai"], "Des cas ont été signalés dans plusieurs structures ; les médecins rappellent l'importance d'un suivi complet du traitement.", ["tuberculose", "acces-soins"], ["FR"]),
    ("fr", ["Santé mentale des demandeurs d'asile : une prise en charge encore insuffisante", "Psychotraumatisme des exilés : les consultations spécialisées saturées à {place}"], "Les professionnels décrivent des délais de plusieurs mois pour une consultation et un manque d'interprètes.", ["sante-mentale"], ["FR"]),
    ("fr", ["Traite des êtres humains : démantèlement d'un réseau entre la Libye et l'Italie", "Un réseau de traite démantelé : des victimes exploitées de {place} à la Sicile"], "Les enquêteurs décrivent des personnes retenues en Libye puis contraintes au travail forcé une fois arrivées en Europe.", ["traite"], ["LY", "IT"]),
    ("fr", ["Calais : les associations alertent sur les conditions de vie avant l'hiver", "Calais et Grande-Synthe : {n} personnes sans abri selon les associations"], "Distribution de repas, accès à l'eau et aux douches : les bénévoles décrivent une situation qui se dégrade.", ["logement-squats"], ["FR"]),
    ("fr", ["Évacuations humanitaires depuis la Libye : un nouveau vol vers le Niger", "Libye : {n} réfugiés évacués vers le centre de transit de Niamey"], "Le HCR a organisé l'évacuation de personnes particulièrement vulnérables détenues dans des centres libyens.", ["evacuations"], ["LY", "NE"]),
    ("en", ["Shipwreck off Libya: at least {n} migrants missing", "At least {n} missing after boat capsizes off {place}, IOM says", "Libya: {n} feared dead as migrant boat sinks near {place}"], "The boat left {place} overnight; coast guards rescued some passengers but at least {n} people are missing.", ["sauvetage-debarquement"], ["LY"]),
    ("en", ["EU ministers agree on new returns regulation", "Council reaches position on common returns rules"], "Interior ministers backed a proposal to speed up returns and allow return hubs outside the EU; NGOs warned about the risks for protection.", ["pacte-ue", "externalisation"], ["EU"]),
    ("en", ["Libyan detention centres: UN experts report torture and forced labour", "UN report details abuses in Libyan detention centres"], "The report documents arbitrary detention, torture, sexual violence and forced labour in official and unofficial centres.", ["detention", "torture"], ["LY"]),
    ("en", ["Tunisia deal under scrutiny as interceptions rise", "EU-Tunisia memorandum: MEPs question human rights safeguards"], "Members of the civil liberties committee asked the Commission how funds are monitored as interceptions at sea increase.", ["externalisation"], ["TN", "EU"]),
    ("en", ["Sea rescue ship detained in {place} after disembarkation", "Italian authorities detain NGO rescue vessel in {place}"], "The vessel was held for 20 days under a decree restricting search-and-rescue operations, its operator said.", ["sauvetage-debarquement"], ["IT"]),
    ("en", ["Frontex to expand operations in the central Mediterranean", "Frontex plans more aerial surveillance off Libya"], "The agency's management board approved new deployments; rights groups fear more pullbacks to Libya.", ["externalisation"], ["EU", "LY"]),
    ("en", ["Unaccompanied children face long waits for guardianship, report finds", "Report: unaccompanied minors left without guardians for months"], "Children arriving alone wait months for a legal guardian, leaving them without access to asylum procedures.", ["mineurs-age"], ["IT", "GR"]),
    ("ar", ["غرق قارب مهاجرين قبالة سواحل ليبيا وفقدان {n} شخصا", "فقدان {n} مهاجرا في غرق قارب قبالة سواحل {place}"], "انقلب قارب يحمل مهاجرين بعد انطلاقه من {place}، وأنقذ خفر السواحل بعض الركاب بينما لا يزال {n} شخصا في عداد المفقودين.", ["sauvetage-debarquement"], ["LY"]),
    ("ar", ["تونس: ترحيل مهاجرين من جنوب الصحراء إلى المناطق الحدودية", "منظمات حقوقية تندد بترحيل مهاجرين إلى الحدود التونسية الليبية"], "أفادت شهادات بأن مهاجرين اعتقلوا في {place} نقلوا إلى مناطق صحراوية قرب الحدود دون ماء أو طعام.", ["violences-frontieres"], ["TN"]),
    ("ar", ["الاتحاد الأوروبي يقر ميثاق الهجرة واللجوء الجديد", "ميثاق الهجرة الأوروبي: ما الذي سيتغير في إجراءات اللجوء؟"], "يتضمن الميثاق إجراءات فحص سريعة على الحدود الخارجية وآلية تضامن بين الدول الأعضاء.", ["pacte-ue"], ["EU"]),
    ("ar", ["مراكز الاحتجاز في ليبيا: تقرير أممي يوثق التعذيب والعمل القسري", "الأمم المتحدة: انتهاكات جسيمة في مراكز احتجاز المهاجرين بليبيا"], "يوثق التقرير الاحتجاز التعسفي والتعذيب والعنف الجنسي في مراكز رسمية وغير رسمية.", ["detention", "torture"], ["LY"]),
    ("ar", ["إجلاء {n} لاجئا من ليبيا إلى النيجر", "المفوضية تجلي لاجئين من ليبيا إلى مركز العبور في نيامي"], "نظمت المفوضية رحلة إجلاء لأشخاص في أوضاع شديدة الهشاشة كانوا محتجزين في ليبيا.", ["evacuations"], ["LY", "NE"]),
]  # fmt: skip

PLACES = {
    "fr": ["Zouara", "Sabratha", "Calais", "Menton", "Briançon", "Marseille", "Sfax", "Lampedusa", "Paris", "Dunkerque"],
    "en": ["Zuwara", "Sabratha", "Tobruk", "Lampedusa", "Catania", "Sfax", "Benghazi", "Trapani"],
    "ar": ["زوارة", "صبراتة", "صفاقس", "طرابلس", "بنغازي"],
}  # fmt: skip
ORGS = ["la Cimade", "l'Anafé", "le Défenseur des droits", "Médecins du Monde", "Amnesty International", "la CGLPL"]  # fmt: skip


def _sources_by_language() -> dict[str, list[Source]]:
    by_language: dict[str, list[Source]] = {}
    for source in Source.objects.filter(feed_url__in=[s[1] for s in SOURCES]):
        by_language.setdefault(source.language, []).append(source)
    return by_language


@transaction.atomic
def seed_sources() -> int:
    countries = {c.code: c for c in Country.objects.all()}
    themes = {t.slug: t for t in Theme.objects.all()}
    existing = set(Source.objects.values_list("feed_url", flat=True))
    created = 0
    for name, url, site, kind, country, language, theme_slugs in SOURCES:
        if url in existing:
            continue
        source = Source.objects.create(
            name=name,
            feed_url=url,
            site_url=site,
            kind=kind,
            country=countries.get(country),
            language=language,
            description=DEMO_NOTE,
            active=False,
        )
        source.themes.set([themes[s] for s in theme_slugs if s in themes])
        created += 1
    return created


def _status(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.55:
        return "new"
    if roll < 0.75:
        return "relevant"
    if roll < 0.9:
        return "discarded"
    return "archived"


def seed(*, scale: int = 1, stdout=None) -> None:
    """Demo sources and recorded items (idempotent at a given scale)."""
    made_sources = seed_sources()
    by_language = _sources_by_language()
    if not by_language:
        return
    themes = {t.slug: t.pk for t in Theme.objects.all()}
    countries = {c.code: c.pk for c in Country.objects.all()}
    rng = random.Random(20260315 + scale)  # noqa: S311 - demo data, not secrets
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    span_hours = 28 * 24 * max(1, min(scale, 12))
    target_stories = 180 * scale

    rows, links, groups = [], [], []  # item rows, (key, themes, countries), keys per story
    for number in range(target_stories):
        language, titles, summary, theme_slugs, country_codes = STORIES[number % len(STORIES)]
        sources = by_language.get(language) or next(iter(by_language.values()))
        outlets = min(len(titles), len(sources), rng.choice([1, 1, 2, 2, 3, 4]))
        chosen = rng.sample(sources, outlets)
        fill = {
            "n": rng.randint(3, 120),
            "place": rng.choice(PLACES[language]),
            "org": rng.choice(ORGS),
        }
        published = now - timedelta(hours=rng.randint(1, span_hours))
        status = _status(rng)
        importance = rng.choice([0, 0, 0, 0, 1, 1, 2, 3])
        group = []
        for position, source in enumerate(chosen):
            title = titles[position].format(**fill)
            text = summary.format(**fill)
            key = hashlib.sha256(f"demo:{scale}:{number}:{source.pk}".encode()).hexdigest()
            tokens = signatures.title_tokens(title)
            keys = signatures.band_keys(tokens, tokens)
            bands = keys + [None] * (6 - len(keys))
            slug = f"{number}-{position}"
            url = f"{source.site_url.rstrip('/')}/demo/{slug}"
            rows.append(
                (
                    source.pk, key, f"demo-{scale}-{slug}", url, title,
                    f"<p>{text}</p>", "", text, "",
                    published + timedelta(minutes=37 * position), False, now, language,
                    hashlib.sha256(f"{title}|{text}".encode()).hexdigest(), status, importance,
                    0, None, True, " ".join(tokens), *bands,
                    " ".join(signatures.text_tokens(text)),
                )
            )  # fmt: skip
            links.append(
                (
                    key,
                    [themes[s] for s in theme_slugs if s in themes],
                    [countries[c] for c in country_codes if c in countries],
                )
            )
            group.append(key)
        groups.append(group)

    if Item.objects.filter(dedup_key__in=[r[1] for r in rows[:50]]).exists():
        if stdout:
            stdout.write(f"veille: {made_sources} sources; demo items already there")
        return
    with transaction.atomic():
        # Stories told by several outlets become clusters; the members are inserted
        # already attached, then the clusters' denormalised fields are computed.
        multi = [g for g in groups if len(g) > 1]
        clusters = Cluster.objects.bulk_create([Cluster() for _ in multi], batch_size=5000)
        cluster_of = {k: c.pk for c, g in zip(clusters, multi, strict=True) for k in g}
        rows = [
            (*row[:17], cluster_of.get(row[1]), row[1] not in cluster_of, *row[19:]) for row in rows
        ]
        ids = {}
        for start in range(0, len(rows), 5000):
            chunk = rows[start : start + 5000]
            for row, pk in zip(chunk, insert_items(chunk), strict=True):
                ids[row[1]] = pk
        theme_through, country_through = Item.themes.through, Item.countries.through
        theme_through.objects.bulk_create(
            [theme_through(item_id=ids[k], theme_id=t) for k, ts, _ in links for t in ts],
            batch_size=5000,
        )
        country_through.objects.bulk_create(
            [country_through(item_id=ids[k], country_id=c) for k, _, cs in links for c in cs],
            batch_size=5000,
        )
        cluster_ids = [c.pk for c in clusters]
        for start in range(0, len(cluster_ids), 2000):
            clustering.refresh(cluster_ids[start : start + 2000])
    if stdout:
        stdout.write(
            f"veille: {made_sources} sources (inactive), {len(ids)} items, "
            f"{len(clusters)} stories told by several sources"
        )
