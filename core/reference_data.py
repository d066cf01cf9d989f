"""The unit's reference data: countries, sites and the theme taxonomy.

`load()` is idempotent (keyed on codes and slugs); the data migration and the
`load_reference_data` command both call it. Names edited in the admin are kept: only
missing rows are created, existing rows are left as they are.
"""

COUNTRIES = [
    # code, French name, English name, region, pseudo-country
    ("FR", "France", "France", "europe", False),
    ("LY", "Libye", "Libya", "north_africa", False),
    ("TN", "Tunisie", "Tunisia", "north_africa", False),
    ("IT", "Italie", "Italy", "europe", False),
    ("MT", "Malte", "Malta", "europe", False),
    ("NE", "Niger", "Niger", "sahel", False),
    ("SN", "Sénégal", "Senegal", "west_africa", False),
    ("MR", "Mauritanie", "Mauritania", "west_africa", False),
    ("BE", "Belgique", "Belgium", "europe", False),
    ("ES", "Espagne", "Spain", "europe", False),
    ("GR", "Grèce", "Greece", "europe", False),
    ("DE", "Allemagne", "Germany", "europe", False),
    ("MA", "Maroc", "Morocco", "north_africa", False),
    ("DZ", "Algérie", "Algeria", "north_africa", False),
    ("EG", "Égypte", "Egypt", "north_africa", False),
    ("SD", "Soudan", "Sudan", "horn_of_africa", False),
    ("ER", "Érythrée", "Eritrea", "horn_of_africa", False),
    ("ML", "Mali", "Mali", "sahel", False),
    ("EU", "Union européenne", "European Union", "institutions", True),
]

SITES = [
    # code, country, French name, English name, kind, status, risk level
    ("idf", "FR", "Île-de-France", "Île-de-France", "project", "active", "normal"),
    ("calais", "FR", "Calais", "Calais", "project", "active", "normal"),
    ("marseille", "FR", "Marseille", "Marseille", "project", "active", "normal"),
    ("tripoli", "LY", "Tripoli", "Tripoli", "project", "active", "high"),
    ("zuwara", "LY", "Zuwara", "Zuwara", "project", "active", "high"),
    (
        "ly-disembarkation",
        "LY",
        "Points de débarquement (Libye)",
        "Disembarkation points (Libya)",
        "disembarkation",
        "active",
        "high",
    ),
    (
        "ly-detention",
        "LY",
        "Centres de détention (Libye)",
        "Detention centres (Libya)",
        "detention",
        "active",
        "high",
    ),
    (
        "out-of-libya",
        "LY",
        "Évacuations « Out of Libya »",
        "“Out of Libya” evacuations",
        "evacuation",
        "active",
        "high",
    ),
    (
        "tunisie-etude",
        "TN",
        "Tunisie (mission exploratoire)",
        "Tunisia (exploratory mission)",
        "exploratory",
        "active",
        "high",
    ),
]

THEMES = [
    # slug, French name, English name
    (
        "mineurs-age",
        "Mineurs non accompagnés et évaluation de l'âge",
        "Unaccompanied minors and age assessment",
    ),
    ("detention", "Détention", "Detention"),
    ("acces-protection", "Accès à la protection et à l'asile", "Access to protection and asylum"),
    ("evacuations", "Évacuations humanitaires", "Humanitarian evacuations"),
    ("sauvetage-debarquement", "Sauvetage en mer et débarquement", "Sea rescue and disembarkation"),
    ("traite", "Traite des êtres humains", "Human trafficking"),
    ("torture", "Torture et mauvais traitements", "Torture and ill-treatment"),
    ("acces-soins", "Accès aux soins", "Access to health care"),
    ("sante-mentale", "Santé mentale", "Mental health"),
    ("logement-squats", "Logement, squats et campements", "Housing, squats and camps"),
    ("tuberculose", "Tuberculose", "Tuberculosis"),
    ("violences-frontieres", "Violences aux frontières", "Border violence"),
    ("pacte-ue", "Pacte européen sur la migration et l'asile", "EU Pact on Migration and Asylum"),
    ("externalisation", "Externalisation des frontières", "Externalisation of borders"),
]


def load(Country, Site, Theme) -> dict[str, int]:
    """Create the missing reference rows; returns how many of each were created."""
    created = {"countries": 0, "sites": 0, "themes": 0}
    by_code = {}
    for code, name_fr, name_en, region, pseudo in COUNTRIES:
        country, was_created = Country.objects.get_or_create(
            code=code,
            defaults={
                "name_fr": name_fr,
                "name_en": name_en,
                "region": region,
                "is_pseudo": pseudo,
            },
        )
        by_code[code] = country
        created["countries"] += was_created
    for code, country_code, name_fr, name_en, kind, status, risk in SITES:
        _, was_created = Site.objects.get_or_create(
            code=code,
            defaults={
                "country": by_code[country_code],
                "name_fr": name_fr,
                "name_en": name_en,
                "kind": kind,
                "status": status,
                "risk_level": risk,
            },
        )
        created["sites"] += was_created
    for position, (slug, name_fr, name_en) in enumerate(THEMES):
        _, was_created = Theme.objects.get_or_create(
            slug=slug, defaults={"name_fr": name_fr, "name_en": name_en, "position": position}
        )
        created["themes"] += was_created
    return created
