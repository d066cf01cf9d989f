"""A realistic veille corpus for the search benchmark: French, English, Arabic (and a little
Italian and Spanish) headlines and summaries about migration policy, with the skewed word
frequencies of real news (a handful of words in half the articles, a long tail of names).

`seed(n)` bulk-creates sources, articles, stories (clusters), themes and countries; the
search vectors are computed by the database trigger of migration 0003, as for fetched
items.
"""

from __future__ import annotations

import hashlib
import random
from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone

# --- vocabulary ---------------------------------------------------------------------------

FR_PLACES = [
    "Calais", "Marseille", "Paris", "Lampedusa", "Tripoli", "Zouara", "Sfax", "Tunis",
    "Briançon", "Menton", "Vintimille", "Dunkerque", "Mayotte", "Ceuta", "Melilla",
    "Malte", "Catane", "Agadez", "Niamey", "Dakar", "Nouadhibou", "Lesbos", "Samos",
    "Bruxelles", "Strasbourg", "Rome", "Athènes", "Benghazi", "Misrata", "Sabratha",
    "Oujda", "Nador", "Grande-Synthe", "Ouistreham", "Cherbourg", "Lyon", "Nice",
]  # fmt: skip
FR_ORGS = [
    "le HCR", "l'OIM", "Frontex", "la Commission européenne", "le Conseil d'État",
    "la Cour européenne des droits de l'homme", "le Défenseur des droits", "la Cimade",
    "Médecins du Monde", "la Croix-Rouge", "SOS Méditerranée", "le ministère de l'Intérieur",
    "la préfecture du Nord", "le Parlement européen", "l'Ofpra", "la CNDA", "Utopia 56",
    "Amnesty International", "Human Rights Watch", "le Conseil de l'Europe", "l'Unicef",
    "la garde côtière libyenne", "le gouvernement italien", "le Sénat", "l'Assemblée nationale",
]  # fmt: skip
FR_TITLES = [
    "Naufrage au large de {place} : au moins {n} migrants disparus",
    "{org} dénonce les conditions de détention des migrants à {place}",
    "Mineurs non accompagnés : {org} conteste l'évaluation de l'âge à {place}",
    "Pacte sur la migration et l'asile : ce qui change au {month}",
    "À {place}, {n} exilés évacués d'un campement",
    "Interceptions en mer : {org} publie un nouveau rapport",
    "Tuberculose dans les centres de rétention : alerte de {org}",
    "Le Conseil d'État suspend la circulaire sur les mineurs isolés",
    "{n} personnes secourues en Méditerranée centrale près de {place}",
    "Expulsions à la frontière franco-italienne : {org} saisi",
    "Accord migratoire avec la Tunisie : critiques de {org}",
    "Santé mentale des demandeurs d'asile : l'accès aux soins reste difficile à {place}",
    "Traite des êtres humains : démantèlement d'un réseau à {place}",
    "Débarquements à {place} : les arrivées augmentent de {n} %",
    "Refoulements illégaux : {org} interpelle le gouvernement",
    "Hébergement d'urgence : {n} exilés sans solution à {place}",
    "Rapport de {org} sur la torture dans les centres libyens",
    "Évacuations humanitaires depuis la Libye : {n} réfugiés attendus",
    "Asile : le délai moyen de traitement atteint {n} jours",
    "Violences aux frontières : témoignages recueillis à {place}",
]  # fmt: skip
FR_SENTENCES = [
    "Selon {org}, au moins {n} personnes migrantes ont été interceptées cette semaine.",
    "Les associations dénoncent une politique migratoire qui met des vies en danger.",
    "Plusieurs mineurs non accompagnés ont été laissés sans prise en charge à {place}.",
    "Le gouvernement affirme vouloir renforcer le contrôle des frontières extérieures.",
    "Les demandeurs d'asile attendent parfois plusieurs mois un premier rendez-vous.",
    "Les équipes médicales signalent des cas de gale et de tuberculose parmi les exilés.",
    "La Commission européenne a présenté un plan d'action pour la Méditerranée centrale.",
    "Des témoins rapportent des violences commises par les forces de sécurité à {place}.",
    "Le HCR appelle les États membres à accélérer les réinstallations.",
    "{org} demande l'ouverture de voies légales et sûres pour les réfugiés.",
    "Les garde-côtes ont ramené {n} personnes vers les centres de détention.",
    "La situation humanitaire se dégrade dans les campements du littoral.",
    "Les migrants secourus ont été débarqués dans le port de {place} dans la nuit.",
    "La préfecture a procédé à une nouvelle évacuation malgré le froid.",
    "Des avocats contestent la légalité de la procédure d'évaluation de l'âge.",
    "L'accord prévoit une aide financière en échange d'un contrôle accru des départs.",
    "Les ONG de sauvetage en mer dénoncent des entraves administratives répétées.",
    "Le nombre de traversées de la Manche a atteint un niveau record cette année.",
    "Des familles avec de jeunes enfants dorment à la rue faute de places d'hébergement.",
    "Le Parlement européen doit se prononcer sur le texte au printemps.",
    "La santé mentale des personnes exilées est fortement affectée par l'errance.",
    "Les autorités libyennes ont annoncé la fermeture d'un centre de détention.",
    "Des survivants décrivent des traitements inhumains et des extorsions.",
    "Le tribunal administratif a enjoint l'État de fournir un hébergement.",
    "Les arrivées par la route atlantique vers les Canaries se poursuivent.",
    "Les migrants interrogés évoquent des mois passés dans des entrepôts de passeurs.",
    "Le Défenseur des droits recommande de mettre fin à l'enfermement des enfants.",
    "Les financements européens destinés aux garde-côtes font l'objet d'une enquête.",
]  # fmt: skip

EN_PLACES = [
    "Lampedusa", "Tripoli", "Zuwara", "Sfax", "Calais", "Dover", "Malta", "Crete",
    "the Canary Islands", "Agadez", "Ceuta", "Lesbos", "Brussels", "Geneva", "Rome",
    "Benghazi", "Tobruk", "the English Channel", "Pylos", "Evros", "Kos", "Sicily",
]  # fmt: skip
EN_ORGS = [
    "UNHCR", "IOM", "Frontex", "the European Commission", "the European Court of Human Rights",
    "Amnesty International", "Human Rights Watch", "the Libyan coast guard", "the UN",
    "Sea-Watch", "SOS Humanity", "the Council of Europe", "the Home Office", "UNICEF",
    "the European Parliament", "the Italian government", "the Greek authorities",
]  # fmt: skip
EN_TITLES = [
    "Shipwreck off {place}: at least {n} migrants missing",
    "{org} condemns detention conditions for migrants in {place}",
    "EU migration pact: member states agree on solidarity mechanism",
    "{n} people rescued in the central Mediterranean near {place}",
    "Pushbacks at the border: {org} calls for an investigation",
    "Unaccompanied children left without protection in {place}",
    "Report by {org} documents torture in Libyan detention centres",
    "Channel crossings reach record level as {n} people arrive in a day",
    "Humanitarian evacuation flight brings {n} refugees from Libya",
    "Asylum backlog grows to {n} cases, figures show",
    "Tunisia deal under fire as {org} raises rights concerns",
    "Tuberculosis cases rise among migrants in {place}",
    "Human trafficking network dismantled in {place}",
    "Mental health of asylum seekers: {org} warns of crisis",
    "Search and rescue NGO ship detained in {place}",
]  # fmt: skip
EN_SENTENCES = [
    "According to {org}, at least {n} migrants were intercepted at sea this week.",
    "Rights groups say the policy puts lives at risk and breaches international law.",
    "Several unaccompanied minors were left without care in {place}.",
    "The government says it wants to strengthen control of the external borders.",
    "Asylum seekers often wait months for a first appointment.",
    "Medical teams report cases of scabies and tuberculosis among migrants.",
    "The European Commission presented an action plan for the central Mediterranean.",
    "Witnesses describe violence by security forces near {place}.",
    "UNHCR urged member states to speed up resettlement.",
    "{org} called for safe and legal routes for refugees.",
    "The coast guard returned {n} people to detention centres.",
    "The humanitarian situation is deteriorating in the camps along the coast.",
    "Survivors were disembarked in the port of {place} overnight.",
    "Lawyers challenge the legality of the age assessment procedure.",
    "The agreement provides funding in exchange for tighter control of departures.",
    "Rescue NGOs denounce repeated administrative obstacles.",
    "Families with young children are sleeping rough for lack of shelter.",
    "The European Parliament is expected to vote on the text in the spring.",
    "Survivors describe inhuman treatment and extortion by smugglers.",
    "Arrivals on the Atlantic route to the Canary Islands continue.",
]  # fmt: skip

AR_PLACES = [
    "طرابلس", "زوارة", "صفاقس", "لامبيدوزا", "مالطا", "بنغازي", "مصراتة", "صبراتة",
    "تونس", "الجزائر", "أغاديز", "سبها", "الخمس", "جزيرة كريت", "مرسيليا", "كاليه",
]  # fmt: skip
AR_ORGS = [
    "المفوضية السامية للأمم المتحدة لشؤون اللاجئين", "المنظمة الدولية للهجرة",
    "خفر السواحل الليبي", "الاتحاد الأوروبي", "منظمة العفو الدولية", "هيومن رايتس ووتش",
    "وزارة الداخلية", "الهلال الأحمر الليبي", "المفوضية الأوروبية", "منظمة أطباء بلا حدود",
]  # fmt: skip
AR_TITLES = [
    "غرق قارب قبالة {place}: فقدان {n} مهاجرين على الأقل",
    "{org} تندد بظروف احتجاز المهاجرين في {place}",
    "إنقاذ {n} مهاجرا في البحر المتوسط قرب {place}",
    "تقرير جديد عن التعذيب في مراكز الاحتجاز في ليبيا",
    "القصر غير المصحوبين بذويهم: مخاوف بشأن تقييم السن",
    "اتفاق الهجرة مع تونس يثير انتقادات {org}",
    "ترحيل {n} مهاجرين من {place} إلى بلدانهم",
    "الاتجار بالبشر: تفكيك شبكة في {place}",
    "السل ينتشر بين المهاجرين المحتجزين في {place}",
    "ميثاق الهجرة واللجوء الأوروبي: ما الذي سيتغير",
]  # fmt: skip
AR_SENTENCES = [
    "وبحسب {org}، تم اعتراض ما لا يقل عن {n} مهاجرين في البحر هذا الأسبوع.",
    "تقول منظمات حقوق الإنسان إن هذه السياسة تعرض حياة المهاجرين للخطر.",
    "ترك عدد من القصر غير المصحوبين دون رعاية في {place}.",
    "أعاد خفر السواحل {n} شخصا إلى مراكز الاحتجاز.",
    "يصف الناجون معاملة لا إنسانية وابتزازا من قبل المهربين.",
    "تدهور الوضع الإنساني في المخيمات على طول الساحل.",
    "دعت المفوضية الدول الأعضاء إلى تسريع إعادة التوطين.",
    "أعلنت السلطات الليبية إغلاق أحد مراكز الاحتجاز في {place}.",
    "تشير الفرق الطبية إلى حالات جرب وسل بين المهاجرين.",
    "ينتظر طالبو اللجوء شهورا للحصول على موعد أول.",
    "يتضمن الاتفاق تمويلا مقابل تشديد الرقابة على المغادرة.",
    "طالبت {org} بفتح طرق آمنة وقانونية للاجئين.",
]  # fmt: skip

IT_TITLES = [
    "Naufragio al largo di {place}: almeno {n} migranti dispersi",
    "Sbarchi a Lampedusa: {n} persone arrivate nella notte",
    "Centri di detenzione in Libia, nuovo rapporto di {org}",
    "Minori stranieri non accompagnati, allarme a {place}",
]  # fmt: skip
IT_SENTENCES = [
    "Secondo {org}, almeno {n} migranti sono stati intercettati in mare.",
    "Le organizzazioni denunciano respingimenti illegali alla frontiera.",
    "I sopravvissuti sono stati sbarcati nel porto di {place}.",
    "La guardia costiera libica ha riportato {n} persone nei centri di detenzione.",
]  # fmt: skip
ES_TITLES = [
    "Naufragio frente a {place}: al menos {n} migrantes desaparecidos",
    "Llegadas a Canarias: {n} personas rescatadas en un cayuco",
    "Menores migrantes no acompañados, alerta en {place}",
    "Devoluciones en caliente en Ceuta: {org} pide explicaciones",
]  # fmt: skip
ES_SENTENCES = [
    "Según {org}, al menos {n} migrantes fueron interceptados en el mar.",
    "Las organizaciones denuncian devoluciones ilegales en la frontera.",
    "Los supervivientes desembarcaron en el puerto de {place}.",
    "Salvamento Marítimo rescató a {n} personas en la ruta atlántica.",
]  # fmt: skip

LANGUAGES = [
    # code, share, titles, sentences, places, orgs
    ("fr", 0.45, FR_TITLES, FR_SENTENCES, FR_PLACES, FR_ORGS),
    ("en", 0.33, EN_TITLES, EN_SENTENCES, EN_PLACES, EN_ORGS),
    ("ar", 0.14, AR_TITLES, AR_SENTENCES, AR_PLACES, AR_ORGS),
    ("it", 0.05, IT_TITLES, IT_SENTENCES, EN_PLACES, EN_ORGS),
    ("es", 0.03, ES_TITLES, ES_SENTENCES, EN_PLACES, EN_ORGS),
]
MONTHS = ["1er janvier", "printemps", "mois de juin", "second semestre"]
# Rare words (surnames, small places): the long tail of real news.
TAIL = [
    f"{a}{b}"
    for a in ("Ben", "Abd", "Oul", "Mar", "Tal", "Sid", "Kar", "Bel", "Har", "Mel", "Zar", "Dou")
    for b in ("ali", "ouri", "amed", "ina", "essa", "oum", "ani", "idi", "ara", "ouz", "ek", "il")
]


# How a coordinator tags: themes and countries follow what the article talks about.
THEME_KEYWORDS = {
    "mineurs-age": ["mineur", "minors", "children", "enfants", "القصر", "minori", "menores"],
    "detention": ["détention", "detention", "rétention", "احتجاز", "الاحتجاز", "detenzione"],
    "acces-protection": ["asile", "asylum", "réfugiés", "refugees", "اللجوء", "refugiados"],
    "evacuations": ["évacuation", "evacuation", "réinstallation", "resettlement"],
    "sauvetage-debarquement": ["secourus", "rescued", "sauvetage", "rescue", "débarqu",
                               "إنقاذ", "sbarc", "rescat"],
    "traite": ["traite", "trafficking", "passeurs", "smugglers", "الاتجار", "المهربين"],
    "torture": ["torture", "inhumains", "inhuman", "التعذيب"],
    "acces-soins": ["soins", "care", "médicales", "medical", "الطبية"],
    "sante-mentale": ["santé mentale", "mental health"],
    "logement-squats": ["hébergement", "campement", "shelter", "camps", "à la rue",
                        "sleeping rough", "المخيمات"],
    "tuberculose": ["tuberculose", "tuberculosis", "السل"],
    "violences-frontieres": ["violences", "violence", "refoulement", "pushback", "frontière",
                             "border", "respingimenti", "devoluciones"],
    "pacte-ue": ["pacte", "pact", "ميثاق", "Parlement européen", "European Parliament"],
    "externalisation": ["accord", "agreement", "garde-côtes", "coast guard", "الاتفاق",
                        "خفر السواحل", "financements", "funding"],
}  # fmt: skip
COUNTRY_KEYWORDS = {
    "FR": ["Calais", "Marseille", "Paris", "Briançon", "Menton", "Dunkerque", "Mayotte",
           "Grande-Synthe", "Ouistreham", "Cherbourg", "Lyon", "Nice", "préfecture",
           "Conseil d'État", "Ofpra", "CNDA", "Défenseur des droits", "Manche", "Channel",
           "مرسيليا", "كاليه"],
    "LY": ["Libye", "Libya", "libyen", "Libyan", "Tripoli", "Zouara", "Zuwara", "Benghazi",
           "Misrata", "Sabratha", "Tobruk", "ليبيا", "الليبي", "طرابلس", "زوارة", "بنغازي",
           "مصراتة", "صبراتة", "سبها", "الخمس"],
    "TN": ["Tunisie", "Tunisia", "Sfax", "Tunis", "تونس", "صفاقس"],
    "IT": ["Lampedusa", "Catane", "Vintimille", "Rome", "Sicily", "italien", "Italian",
           "لامبيدوزا", "Sbarchi"],
    "MT": ["Malte", "Malta", "مالطا"],
    "NE": ["Agadez", "Niamey", "أغاديز"],
    "SN": ["Dakar"],
    "MR": ["Nouadhibou"],
    "ES": ["Ceuta", "Melilla", "Canarias", "Canary", "Canaries"],
    "GR": ["Lesbos", "Samos", "Athènes", "Crete", "Pylos", "Evros", "Kos", "Greek", "كريت"],
    "EU": ["Commission européenne", "European Commission", "Frontex", "Parlement européen",
           "European Parliament", "Pacte", "pact", "الاتحاد الأوروبي", "المفوضية الأوروبية"],
}  # fmt: skip


def tags_for(text: str, rng: random.Random, themes: dict, countries: dict):
    """(theme ids, country ids) a coordinator would give this article."""
    lowered = text.lower()
    theme_ids = {
        themes[slug]
        for slug, words in THEME_KEYWORDS.items()
        if slug in themes and any(w.lower() in lowered for w in words) and rng.random() < 0.75
    }
    if rng.random() < 0.15:
        theme_ids.add(rng.choice(list(themes.values())))
    country_ids = {
        countries[code]
        for code, words in COUNTRY_KEYWORDS.items()
        if code in countries and any(w.lower() in lowered for w in words) and rng.random() < 0.8
    }
    return theme_ids, country_ids


def _zipf_choice(rng: random.Random, seq: list, s: float = 1.1):
    weights = [1 / (rank + 1) ** s for rank in range(len(seq))]
    return rng.choices(seq, weights=weights)[0]


def _fill(rng, template: str, places, orgs) -> str:
    return template.format(
        place=_zipf_choice(rng, places),
        org=_zipf_choice(rng, orgs),
        n=rng.choice([3, 7, 12, 25, 40, 61, 80, 120, 300, 1200]),
        month=rng.choice(MONTHS),
    )


def article(rng: random.Random) -> tuple[str, str, str, str]:
    """(language, title, excerpt, content) of one realistic article."""
    roll, acc = rng.random(), 0.0
    chosen = LANGUAGES[-1]
    for entry in LANGUAGES:
        acc += entry[1]
        if roll <= acc:
            chosen = entry
            break
    code, _share, titles, sentences, places, orgs = chosen
    title = _fill(rng, _zipf_choice(rng, titles, 0.6), places, orgs)
    body = [_fill(rng, rng.choice(sentences), places, orgs) for _ in range(rng.randint(2, 4))]
    if rng.random() < 0.3:
        body.append(f"{rng.choice(TAIL)} {rng.choice(TAIL)}.")
    excerpt = " ".join(body)
    content = ""
    if rng.random() < 0.4:
        paragraphs = [
            " ".join(_fill(rng, rng.choice(sentences), places, orgs) for _ in range(4))
            for _ in range(rng.randint(3, 6))
        ]
        content = "".join(f"<p>{p}</p>" for p in paragraphs)
    return code, title[:1000], excerpt, content


# --- seeding ------------------------------------------------------------------------------


def seed(total: int, *, seed_value: int = 20260401, stdout=print) -> None:
    """Bulk-create `total` articles (idempotent at a given size: tops up what is missing)."""
    from core.models import Country, Theme
    from veille.models import Cluster, Item, Source, TriageStatus

    existing = Item.objects.count()
    if existing >= total:
        stdout(f"corpus: {existing} articles already there")
        return
    rng = random.Random(seed_value + existing)
    countries = dict(Country.objects.values_list("code", "pk"))
    themes = dict(Theme.objects.values_list("slug", "pk"))
    kinds = [k for k, _ in Source.Kind.choices]
    sources = list(Source.objects.all())
    if len(sources) < 300:
        new_sources = [
            Source(
                name=f"Source de veille {i:03d}",
                feed_url=f"https://bench-{i:03d}.example.org/feed.xml",
                kind=kinds[i % len(kinds)],
                country_id=list(countries.values())[i % len(countries)],
                language=["fr", "en", "ar", "it", "es"][i % 5],
                active=False,
            )
            for i in range(len(sources), 300)
        ]
        Source.objects.bulk_create(new_sources)
        sources = list(Source.objects.all())
    now = timezone.now()
    # A year of monitoring, the feed list growing over time (more articles recently).
    span = timedelta(days=365)
    batch_size = 5000
    made = existing
    while made < total:
        size = min(batch_size, total - made)
        items = []
        for n in range(made, made + size):
            language, title, excerpt, content = article(rng)
            source = rng.choice(sources)
            # Recent articles are mostly untriaged; older ones mostly triaged.
            age = span * (rng.random() ** 1.2)
            published = now - age
            if age < timedelta(days=10):
                status = TriageStatus.NEW if rng.random() < 0.85 else TriageStatus.RELEVANT
            else:
                status = rng.choices(
                    [TriageStatus.NEW, TriageStatus.RELEVANT, TriageStatus.DISCARDED,
                     TriageStatus.ARCHIVED],
                    weights=[0.15, 0.15, 0.4, 0.3],
                )[0]  # fmt: skip
            url = f"https://bench.example.org/{source.pk}/{n}"
            items.append(
                Item(
                    source=source,
                    dedup_key=hashlib.sha256(f"u:{url}".encode()).hexdigest(),
                    guid=url,
                    url=url,
                    title=title,
                    summary=f"<p>{excerpt}</p>",
                    content=content,
                    excerpt=excerpt,
                    published_at=published,
                    fetched_at=published + timedelta(minutes=rng.randint(1, 90)),
                    language=language,
                    content_hash=hashlib.sha256(f"{title}|{excerpt}".encode()).hexdigest(),
                    status=status,
                    importance=rng.choices([0, 1, 2, 3], weights=[0.8, 0.12, 0.06, 0.02])[0],
                    annotation_count=1 if rng.random() < 0.02 else 0,
                )
            )
        with transaction.atomic():
            Item.objects.bulk_create(items, batch_size=1000)
            _tag(items, rng, themes, countries)
            _cluster(items, rng, Cluster, Item)
        made += size
        stdout(f"corpus: {made}/{total}")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE veille_item")
        cursor.execute("ANALYZE veille_source")
        cursor.execute("ANALYZE veille_item_themes")
        cursor.execute("ANALYZE veille_item_countries")
        cursor.execute("ANALYZE veille_cluster")


def _tag(items, rng, themes, countries) -> None:
    from veille.models import Item

    theme_rows, country_rows = [], []
    for item in items:
        theme_ids, country_ids = tags_for(f"{item.title} {item.excerpt}", rng, themes, countries)
        for theme_id in theme_ids:
            theme_rows.append(Item.themes.through(item_id=item.pk, theme_id=theme_id))
        for country_id in country_ids:
            country_rows.append(Item.countries.through(item_id=item.pk, country_id=country_id))
    Item.themes.through.objects.bulk_create(theme_rows, batch_size=5000)
    Item.countries.through.objects.bulk_create(country_rows, batch_size=5000)


def _cluster(items, rng, Cluster, Item) -> None:
    """About a fifth of the articles tell a story also told by 1–3 other sources."""
    ordered = sorted(items, key=lambda i: i.published_at)
    groups, i = [], 0
    while i < len(ordered):
        if rng.random() < 0.08:
            size = rng.randint(2, 4)
            groups.append(ordered[i : i + size])
            i += size
        else:
            i += 1
    groups = [g for g in groups if len(g) > 1]
    clusters = [
        Cluster(
            representative=g[0],
            title=g[0].title,
            item_count=len(g),
            source_count=len({m.source_id for m in g}),
            source_names=[m.source.name for m in g][:3],
            first_published_at=g[0].published_at,
            latest_published_at=g[-1].published_at,
            status=g[0].status,
        )
        for g in groups
    ]
    Cluster.objects.bulk_create(clusters, batch_size=2000)
    members = []
    for cluster, group in zip(clusters, groups, strict=True):
        for position, member in enumerate(group):
            member.cluster_id = cluster.pk
            member.is_cluster_lead = position == 0
            member.status = group[0].status
            members.append(member)
    Item.objects.bulk_update(members, ["cluster", "is_cluster_lead", "status"], batch_size=2000)
