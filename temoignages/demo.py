# ruff: noqa: E501 - the demo narratives read best one paragraph per line
"""Demo data of the testimonies: collection forms, objectives and testimonies.

Everything goes through the services, so the demo is what the app would have produced:
reference codes, consent records, stripped media, history rows, review decisions.

- three harmonised forms with French, English and Arabic labels, one of them with a
  second published version (older testimonies keep version 1);
- five collection objectives (site and country, with their reasons);
- twelve testimonies in French and Arabic across Marseille, Île-de-France, Calais and
  the Libyan sites, in every status: drafts, submitted, in review, approved, sent back,
  withdrawn (with a recorded use, so the takedown checklist shows), one whose consent
  expires within 30 days, minors with the guardian's and their own agreement, photos
  generated on the fly (no real photo) with a GPS position that the pipeline removes.

`seed(scale=N)` adds (N-1)×12 simpler submitted testimonies for load tests.
Idempotent at a given scale: forms are found by name, objectives by their content,
testimonies by their deterministic draft id (`client_uuid`).
"""

from __future__ import annotations

import datetime
import io
import uuid
from dataclasses import dataclass, field

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from core.models import Country, Site, Theme, User

from .models import CollectionForm, CollectionObjective, Testimony

NAMESPACE = uuid.UUID("8f5d0c1e-4b1a-4a53-9a55-3f0e1f2c7a10")
COORDINATOR = "coordination"

# --- Forms --------------------------------------------------------------------------------

_HOUSING = [
    ("À la rue", "On the street", "في الشارع"),
    ("En foyer", "In a shelter", "في مأوى"),
    ("Hébergement solidaire", "Hosted by volunteers", "عند متطوعين"),
    ("Hôtel social", "Social hotel", "فندق اجتماعي"),
]
_APPEAL = [
    ("Pas de recours", "No appeal", "لا يوجد طعن"),
    ("Saisine du juge des enfants", "Case before the juvenile judge", "أمام قاضي الأحداث"),
    ("En appel", "On appeal", "في الاستئناف"),
]

# name, description, site codes, questions of version 1:
# (kind, fr, en, ar, required, choices, help_fr)
FORMS = [
    (
        "Mineurs non accompagnés — évaluation de l'âge",
        "Jeunes qui contestent leur évaluation de l'âge devant le juge des enfants.",
        ["marseille", "idf"],
        [
            (
                "number",
                "Durée de l'entretien d'évaluation (minutes)",
                "Length of the age assessment interview (minutes)",
                "مدة مقابلة تقييم العمر (بالدقائق)",
                False,
                [],
                "Telle que la personne s'en souvient.",
            ),
            (
                "yes_no",
                "Vos documents d'identité ont-ils été examinés ?",
                "Were your identity documents examined?",
                "هل تم فحص وثائق هويتك؟",
                False,
                [],
                "",
            ),
            (
                "single_choice",
                "Où dormez-vous actuellement ?",
                "Where do you sleep now?",
                "أين تنام حاليًا؟",
                True,
                _HOUSING,
                "",
            ),
            (
                "single_choice",
                "Où en est le recours ?",
                "Where does the appeal stand?",
                "ما وضع الطعن؟",
                False,
                _APPEAL,
                "",
            ),
        ],
    ),
    (
        "Détention et interceptions en mer (Libye)",
        "Personnes interceptées en mer, débarquées ou détenues en Libye, et personnes évacuées.",
        ["tripoli", "zuwara", "ly-detention", "ly-disembarkation", "out-of-libya"],
        [
            (
                "single_choice",
                "Type de lieu",
                "Type of place",
                "نوع المكان",
                True,
                [
                    (
                        "Centre de détention officiel",
                        "Official detention centre",
                        "مركز احتجاز رسمي",
                    ),
                    (
                        "Lieu de captivité informel",
                        "Informal place of captivity",
                        "مكان احتجاز غير رسمي",
                    ),
                    ("Point de débarquement", "Disembarkation point", "نقطة إنزال"),
                ],
                "",
            ),
            (
                "number",
                "Durée de la détention (jours)",
                "Length of detention (days)",
                "مدة الاحتجاز (بالأيام)",
                False,
                [],
                "",
            ),
            (
                "yes_no",
                "Interception en mer ?",
                "Intercepted at sea?",
                "هل تم اعتراضكم في البحر؟",
                False,
                [],
                "",
            ),
            (
                "yes_no",
                "Accès à un soignant pendant la détention ?",
                "Access to a health worker during detention?",
                "هل أمكن الوصول إلى عامل صحي أثناء الاحتجاز؟",
                False,
                [],
                "",
            ),
        ],
    ),
    (
        "Campements et expulsions (littoral nord)",
        "Expulsions de campements, biens saisis et violences à Calais et alentours.",
        ["calais"],
        [
            ("date", "Date de l'expulsion", "Date of the eviction", "تاريخ الإخلاء", False, [], ""),
            (
                "multiple_choice",
                "Biens saisis ou détruits",
                "Belongings seized or destroyed",
                "ممتلكات تمت مصادرتها أو إتلافها",
                False,
                [
                    ("Tentes", "Tents", "خيام"),
                    ("Sacs de couchage", "Sleeping bags", "أكياس نوم"),
                    ("Téléphones", "Phones", "هواتف"),
                    ("Médicaments", "Medicines", "أدوية"),
                ],
                "",
            ),
            (
                "yes_no",
                "Violences physiques subies ?",
                "Physical violence suffered?",
                "هل تعرضت لعنف جسدي؟",
                True,
                [],
                "Ne demandez pas de détails que la personne ne donne pas d'elle-même.",
            ),
            ("long_text", "Remarques", "Remarks", "ملاحظات", False, [], ""),
        ],
    ),
]

# --- Objectives (theme, site code or None, country code or None, days from today to
# the start and the end of the period, target, reason) ---------------------------------------

OBJECTIVES = [
    (
        "mineurs-age",
        "marseille",
        None,
        -150,
        60,
        12,
        "Documenter les évaluations de l'âge expéditives avant l'audience au Conseil d'État.",
    ),
    (
        "logement-squats",
        "idf",
        None,
        -90,
        90,
        10,
        "Montrer la vie à la rue des mineurs en recours pour le plaidoyer auprès de la Ville.",
    ),
    (
        "violences-frontieres",
        "calais",
        None,
        -120,
        45,
        8,
        "Étayer le rapport sur les expulsions de campements du littoral.",
    ),
    (
        "detention",
        None,
        "LY",
        -180,
        120,
        15,
        "Préparer la note sur les conditions de détention pour le briefing européen.",
    ),
    (
        "sauvetage-debarquement",
        "ly-disembarkation",
        None,
        -60,
        120,
        6,
        "Suivre les interceptions en mer depuis le nouvel accord.",
    ),
]


# --- Testimonies ------------------------------------------------------------------------


@dataclass
class DemoTestimony:
    key: str
    officer: str
    site: str
    days_ago: int
    language: str
    form: int | None  # index in FORMS
    title: str
    narrative: str
    themes: list[str]
    outcome: str  # draft, submitted, in_review, approved, rejected, withdrawn
    profile: dict = field(default_factory=dict)
    answers: dict = field(default_factory=dict)
    translations: dict = field(default_factory=dict)
    extracts: list[str] = field(default_factory=list)
    consent: dict | None = field(default_factory=dict)
    consent_given_days_ago: int | None = None
    consent_expires_in: int | None = None
    photo: bool = False
    external: str = ""
    form_version: int = 1
    wizard_step: int = 6
    rejection: str = ""


_ADULT = {"age_bracket": "18_24", "gender": "male", "administrative_status": "asylum_seeker"}

TESTIMONIES = [
    DemoTestimony(
        key="marseille-minor-approved",
        officer="terrain.marseille",
        site="marseille",
        days_ago=40,
        language="fr",
        form=0,
        title="Déclaré majeur après vingt minutes",
        narrative="Le département m'a déclaré majeur après un entretien de vingt minutes. On ne m'a pas demandé mes papiers, on a juste regardé mon visage et mes mains. Depuis, je dors dehors en attendant l'audience devant le juge des enfants. Mon acte de naissance est arrivé de Conakry la semaine dernière.",
        themes=["mineurs-age", "logement-squats"],
        outcome="approved",
        profile={
            "age_bracket": "15_17",
            "is_minor": True,
            "gender": "male",
            "nationality": "GN",
            "administrative_status": "age_assessment",
            "route_countries": ["ML", "DZ", "TN", "IT"],
            "sensitivity": "confidential",
        },
        answers={
            "duree-de-lentretien-devaluation-minutes": 20,
            "vos-documents-didentite-ont-ils-ete-examines": "no",
            "ou-dormez-vous-actuellement": "a-la-rue",
            "ou-en-est-le-recours": "saisine-du-juge-des-enfants",
        },
        extracts=["On ne m'a pas demandé mes papiers, on a juste regardé mon visage et mes mains."],
        consent={
            "scope_internal": True,
            "scope_external_anonymised": True,
            "element_text": True,
            "guardian_consent": True,
            "guardian_relationship": "Éducatrice de l'association d'accueil",
            "minor_agreement": True,
            "explained_in": "français",
        },
        external="Un adolescent guinéen raconte avoir été déclaré majeur après un entretien de vingt minutes, sans examen de ses documents. Il dort à la rue en attendant que le juge des enfants examine son recours.",
    ),
    DemoTestimony(
        key="marseille-submitted",
        officer="terrain.marseille",
        site="marseille",
        days_ago=6,
        language="fr",
        form=0,
        form_version=2,
        title="Refus de prise en charge, recours en appel",
        narrative="J'ai eu dix-huit ans pendant la procédure, alors ils disent que ce n'est plus leur affaire. Pendant l'évaluation, l'interprète parlait une autre langue que la mienne. J'ai fait appel avec l'aide d'une avocate.",
        themes=["mineurs-age"],
        outcome="submitted",
        profile={
            **_ADULT,
            "nationality": "CI",
            "route_countries": ["ML", "DZ", "TN", "IT"],
            "administrative_status": "age_assessment",
        },
        answers={
            "ou-dormez-vous-actuellement": "hebergement-solidaire",
            "ou-en-est-le-recours": "en-appel",
            "soins-recus-depuis-levaluation": ["permanence-dacces-aux-soins-pass"],
        },
        extracts=["l'interprète parlait une autre langue que la mienne"],
        consent={"scope_internal": True, "element_text": True, "explained_in": "français"},
    ),
    DemoTestimony(
        key="idf-minor-in-review",
        officer="terrain.marseille",
        site="idf",
        days_ago=12,
        language="fr",
        form=0,
        form_version=2,
        title="Quinze sous le pont",
        narrative="Nous sommes quinze sous le pont, dont des garçons de quatorze ans. Le 115 ne répond plus après vingt heures. Quand il pleut, on va dans le métro jusqu'à ce qu'on nous fasse sortir.",
        themes=["logement-squats", "mineurs-age"],
        outcome="in_review",
        profile={
            "age_bracket": "15_17",
            "is_minor": True,
            "gender": "male",
            "nationality": "SD",
            "administrative_status": "age_assessment",
            "route_countries": ["LY", "IT"],
            "sensitivity": "strict",
        },
        answers={
            "ou-dormez-vous-actuellement": "a-la-rue",
            "ou-en-est-le-recours": "saisine-du-juge-des-enfants",
        },
        translations={"ar": "نحن خمسة عشر شخصًا تحت الجسر، بيننا أولاد في الرابعة عشرة من العمر."},
        extracts=["Le 115 ne répond plus après vingt heures."],
        consent={
            "scope_internal": True,
            "scope_external_anonymised": True,
            "element_text": True,
            "guardian_consent": True,
            "guardian_relationship": "Référent de la maraude, adulte de confiance",
            "minor_agreement": True,
            "explained_in": "arabe, avec interprète",
            "interpreter_used": True,
            "interpreter": "Interprète de l'association",
        },
    ),
    DemoTestimony(
        key="calais-eviction-approved",
        officer="terrain.calais",
        site="calais",
        days_ago=25,
        language="fr",
        form=2,
        title="Expulsion à l'aube, tentes confisquées",
        narrative="La police est venue à six heures du matin. Ils ont pris les tentes et les sacs de couchage, même ceux des enfants. Un homme a perdu ses médicaments pour le cœur. Le soir, nous avons dormi sous des bâches près du canal.",
        themes=["violences-frontieres", "logement-squats"],
        outcome="approved",
        profile={
            **_ADULT,
            "age_bracket": "25_34",
            "nationality": "ER",
            "route_countries": ["SD", "LY", "IT", "FR"],
            "sensitivity": "standard",
        },
        answers={
            "biens-saisis-ou-detruits": ["tentes", "sacs-de-couchage", "medicaments"],
            "violences-physiques-subies": "no",
        },
        extracts=["Ils ont pris les tentes et les sacs de couchage, même ceux des enfants."],
        consent={
            "scope_internal": True,
            "scope_external_anonymised": True,
            "element_text": True,
            "element_image": True,
            "explained_in": "anglais",
            "method": "written",
        },
        photo=True,
        external="Un homme érythréen décrit une expulsion à l'aube : tentes et sacs de couchage confisqués, y compris ceux des enfants, et des médicaments perdus.",
    ),
    DemoTestimony(
        key="calais-beach-rejected",
        officer="terrain.calais",
        site="calais",
        days_ago=15,
        language="fr",
        form=2,
        title="Bateau crevé sur la plage",
        narrative="Sur la plage, ils ont crevé le bateau avec un couteau devant nous. Ahmed, le passeur, est parti en courant. Nous sommes restés sur le sable jusqu'au matin, trempés.",
        themes=["violences-frontieres"],
        outcome="rejected",
        rejection="Retirer le prénom du passeur cité au deuxième paragraphe, puis renvoyer.",
        profile={**_ADULT, "nationality": "AF", "route_countries": ["IR", "TR", "GR", "FR"]},
        answers={"violences-physiques-subies": "yes"},
        consent={
            "scope_internal": True,
            "element_text": True,
            "explained_in": "dari, avec interprète",
            "interpreter_used": True,
            "interpreter": "Interprète bénévole",
        },
    ),
    DemoTestimony(
        key="calais-draft-step2",
        officer="terrain.calais",
        site="calais",
        days_ago=1,
        language="fr",
        form=2,
        title="Distribution de repas empêchée",
        narrative="Les camions de l'association n'ont pas pu entrer sur le terrain ce jour-là…",
        themes=["acces-soins"],
        outcome="draft",
        wizard_step=2,
        consent=None,
    ),
    DemoTestimony(
        key="calais-draft-step4",
        officer="terrain.calais",
        site="calais",
        days_ago=0,
        language="fr",
        form=2,
        title="Femme enceinte sans suivi",
        narrative="Elle est arrivée au septième mois de grossesse et n'a vu aucun médecin depuis la Libye.",
        themes=["acces-soins"],
        outcome="draft",
        wizard_step=4,
        profile={
            "age_bracket": "25_34",
            "gender": "female",
            "nationality": "ER",
            "administrative_status": "undocumented",
            "sensitivity": "strict",
        },
        answers={"violences-physiques-subies": "no"},
        consent=None,
    ),
    DemoTestimony(
        key="tripoli-expiring",
        officer="terrain.libye",
        site="tripoli",
        days_ago=700,
        language="ar",
        form=1,
        title="Trois mois au centre de détention",
        narrative="أمضيت ثلاثة أشهر في مركز الاحتجاز في طرابلس. كنا أكثر من مئتي شخص في غرفة واحدة، والماء لا يكفي. عندما مرض صديقي لم يأتِ أي طبيب.",
        themes=["detention", "acces-soins"],
        outcome="approved",
        profile={
            **_ADULT,
            "age_bracket": "25_34",
            "nationality": "SD",
            "administrative_status": "detained",
            "route_countries": ["TD", "LY"],
        },
        answers={
            "type-de-lieu": "centre-de-detention-officiel",
            "duree-de-la-detention-jours": 90,
            "acces-a-un-soignant-pendant-la-detention": "no",
        },
        translations={
            "fr": "J'ai passé trois mois au centre de détention de Tripoli. Nous étions plus de deux cents dans une seule pièce, et l'eau ne suffisait pas. Quand mon ami est tombé malade, aucun médecin n'est venu."
        },
        extracts=["كنا أكثر من مئتي شخص في غرفة واحدة"],
        consent={
            "scope_internal": True,
            "scope_external_anonymised": True,
            "element_text": True,
            "explained_in": "arabe",
        },
        consent_given_days_ago=700,
        consent_expires_in=12,
        external="Un homme soudanais décrit trois mois de détention à Tripoli : plus de deux cents personnes dans une pièce, trop peu d'eau, aucun médecin.",
    ),
    DemoTestimony(
        key="zuwara-withdrawn",
        officer="terrain.libye",
        site="zuwara",
        days_ago=80,
        language="ar",
        form=1,
        title="Captivité à Zuwara",
        narrative="احتجزونا في مستودع قرب زوارة وطلبوا من عائلاتنا المال. كانوا يضربوننا أمام الهاتف حتى تسمع أمهاتنا.",
        themes=["detention", "traite", "torture"],
        outcome="withdrawn",
        profile={
            **_ADULT,
            "nationality": "NG",
            "administrative_status": "detained",
            "route_countries": ["NE", "LY"],
            "sensitivity": "strict",
        },
        answers={"type-de-lieu": "lieu-de-captivite-informel", "duree-de-la-detention-jours": 45},
        translations={
            "fr": "Ils nous ont enfermés dans un entrepôt près de Zuwara et ont demandé de l'argent à nos familles. Ils nous frappaient devant le téléphone pour que nos mères entendent."
        },
        consent={"scope_internal": True, "element_text": True, "explained_in": "arabe"},
    ),
    DemoTestimony(
        key="disembarkation-submitted",
        officer="coordination",
        site="ly-disembarkation",
        days_ago=9,
        language="ar",
        form=1,
        title="Interception après six heures en mer",
        narrative="اعترض خفر السواحل قاربنا بعد ست ساعات في البحر. أعادونا إلى الشاطئ ثم نقلونا في شاحنة مغلقة. لم يسألنا أحد عن أسمائنا ولا عن أعمارنا.",
        themes=["sauvetage-debarquement", "detention"],
        outcome="submitted",
        profile={**_ADULT, "nationality": "BD", "route_countries": ["EG", "LY"]},
        answers={"type-de-lieu": "point-de-debarquement", "interception-en-mer": "yes"},
        translations={
            "fr": "Les garde-côtes ont intercepté notre bateau après six heures en mer. Ils nous ont ramenés sur la plage puis transportés dans un camion fermé. Personne ne nous a demandé nos noms ni nos âges."
        },
        extracts=["لم يسألنا أحد عن أسمائنا ولا عن أعمارنا"],
        consent={
            "scope_internal": True,
            "scope_external_anonymised": True,
            "element_text": True,
            "element_voice": True,
            "explained_in": "bengali, avec interprète",
            "interpreter_used": True,
            "interpreter": "Interprète de l'équipe",
        },
    ),
    DemoTestimony(
        key="out-of-libya-approved",
        officer="coordination",
        site="out-of-libya",
        days_ago=50,
        language="fr",
        form=1,
        title="Huit mois d'attente après l'évacuation",
        narrative="Après l'évacuation vers le Niger, on nous a dit d'attendre une réponse pour la réinstallation. Cela fait huit mois. Mes enfants ne vont pas à l'école et nous ne savons pas quand nous partirons.",
        themes=["evacuations"],
        outcome="approved",
        profile={
            "age_bracket": "35_49",
            "gender": "female",
            "nationality": "ER",
            "administrative_status": "evacuated",
            "route_countries": ["SD", "LY", "NE"],
            "sensitivity": "confidential",
        },
        answers={
            "type-de-lieu": "centre-de-detention-officiel",
            "duree-de-la-detention-jours": 200,
        },
        translations={
            "en": "After the evacuation to Niger, we were told to wait for an answer about resettlement. It has been eight months. My children do not go to school and we do not know when we will leave."
        },
        extracts=["Cela fait huit mois."],
        consent={
            "scope_internal": True,
            "scope_external_anonymised": True,
            "element_text": True,
            "element_voice": True,
            "explained_in": "tigrigna, avec interprète",
            "interpreter_used": True,
            "interpreter": "Interprète du HCR",
        },
        external="Une mère érythréenne évacuée de Libye vers le Niger attend depuis huit mois une réponse sur sa réinstallation ; ses enfants ne sont pas scolarisés.",
    ),
    DemoTestimony(
        key="detention-photo-approved",
        officer="coordination",
        site="ly-detention",
        days_ago=30,
        language="ar",
        form=1,
        title="Le mur de la cellule",
        narrative="كتبنا أسماءنا على جدار الزنزانة حتى يعرف من يأتي بعدنا أننا كنا هنا.",
        themes=["detention"],
        outcome="approved",
        profile={
            **_ADULT,
            "nationality": "SO",
            "administrative_status": "detained",
            "route_countries": ["ET", "SD", "LY"],
        },
        answers={
            "type-de-lieu": "centre-de-detention-officiel",
            "acces-a-un-soignant-pendant-la-detention": "no",
        },
        translations={
            "fr": "Nous avons écrit nos noms sur le mur de la cellule pour que ceux qui viendront après sachent que nous étions là."
        },
        consent={
            "scope_internal": True,
            "element_text": True,
            "element_image": True,
            "explained_in": "arabe",
        },
        photo=True,
    ),
]


# --- Helpers ----------------------------------------------------------------------------


def _write(stdout, message: str) -> None:
    if stdout is not None:
        stdout.write(message)


def demo_image(seed: int = 0) -> bytes:
    """A small generated picture (no real photo) carrying a GPS position in its EXIF,
    so the demo shows the pipeline removing it."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (480, 320), (70 + seed * 20 % 120, 110, 150))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 220, 480, 320), fill=(194, 178, 128))
    for i in range(4):
        x = 40 + i * 110
        draw.polygon(
            [(x, 220), (x + 45, 140 - (seed % 3) * 10), (x + 90, 220)], fill=(40 + i * 30, 90, 60)
        )
    exif = Image.Exif()
    exif[0x010F] = "DemoCam"
    exif.get_ifd(0x8825).update({1: "N", 2: (50.0, 57.0, 3.0), 3: "E", 4: (1.0, 51.0, 0.0)})
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80, exif=exif)
    return out.getvalue()


def _version(form: CollectionForm, number: int):
    return form.versions.filter(number=number, published_at__isnull=False).first() or (
        form.versions.filter(published_at__isnull=False).order_by("-number").first()
    )


# --- Seeds ------------------------------------------------------------------------------


def seed_forms(coordinator: User) -> list[CollectionForm]:
    """The three forms; the first one gets a second published version."""
    from .services.forms_builder import (
        collection_form_create,
        form_question_save,
        form_version_draft,
        form_version_publish,
        parse_choice_lines,
    )

    forms = []
    for name, description, site_codes, questions in FORMS:
        form = CollectionForm.objects.filter(name=name).first()
        if form is None:
            with transaction.atomic():
                form = collection_form_create(
                    user=coordinator,
                    name=name,
                    description=description,
                    sites=Site.objects.filter(code__in=site_codes),
                )
                version = form.versions.get()
                for kind, fr, en, ar, required, choices, help_fr in questions:
                    lines = "\n".join(" | ".join(c) for c in choices)
                    form_question_save(
                        version=version,
                        user=coordinator,
                        kind=kind,
                        label_fr=fr,
                        label_en=en,
                        label_ar=ar,
                        help_fr=help_fr,
                        required=required,
                        choices=parse_choice_lines(lines) if choices else [],
                    )
                form_version_publish(version=version, user=coordinator, notes="Première version")
                if len(forms) == 0:
                    v2 = form_version_draft(form=form, user=coordinator)
                    housing = v2.questions.get(key="ou-dormez-vous-actuellement")
                    form_question_save(
                        version=v2,
                        user=coordinator,
                        question=housing,
                        kind=housing.kind,
                        label_fr="Où avez-vous dormi la nuit dernière ?",
                        label_en="Where did you sleep last night?",
                        label_ar="أين نمت الليلة الماضية؟",
                        required=True,
                        choices=housing.choices,
                    )
                    form_question_save(
                        version=v2,
                        user=coordinator,
                        kind="multiple_choice",
                        label_fr="Soins reçus depuis l'évaluation",
                        label_en="Care received since the assessment",
                        label_ar="الرعاية التي تلقيتها منذ التقييم",
                        key="soins-recus-depuis-levaluation",
                        choices=parse_choice_lines(
                            "Aucun | None | لا شيء\n"
                            "Permanence d'accès aux soins (PASS) | Hospital access desk (PASS) | مكتب الوصول إلى الرعاية\n"
                            "Consultation en santé mentale | Mental health consultation | استشارة في الصحة النفسية"
                        ),
                    )
                    form_version_publish(
                        version=v2,
                        user=coordinator,
                        notes="Question sur l'hébergement précisée, question sur les soins ajoutée",
                    )
        forms.append(form)
    return forms


def seed_objectives(coordinator: User) -> int:
    from .services.objectives import objective_create

    today = timezone.localdate()
    created = 0
    for slug, site_code, country_code, start, end, target, reason in OBJECTIVES:
        theme = Theme.objects.get(slug=slug)
        if CollectionObjective.objects.filter(theme=theme, reason=reason).exists():
            continue
        objective_create(
            user=coordinator,
            theme=theme,
            site=Site.objects.get(code=site_code) if site_code else None,
            country=Country.objects.get(code=country_code) if country_code else None,
            period_start=today + datetime.timedelta(days=start),
            period_end=today + datetime.timedelta(days=end),
            target_count=target,
            reason=reason,
        )
        created += 1
    return created


def _consent_kwargs(item: DemoTestimony) -> dict:
    today = timezone.localdate()
    data = {"method": "oral_recorded", **(item.consent or {})}
    given = today - datetime.timedelta(days=item.consent_given_days_ago or max(item.days_ago, 0))
    data["given_on"] = given
    if item.consent_expires_in is not None:
        data["expires_on"] = today + datetime.timedelta(days=item.consent_expires_in)
    return data


def _build(item: DemoTestimony, forms: list[CollectionForm], coordinator: User, *, suffix=""):
    from .services import (
        consent_record,
        consent_safeguarding_review,
        consent_withdraw,
        external_version_update,
        media_attach,
        review_approve,
        review_reject,
        review_start,
        testimony_draft_create,
        testimony_submit,
        testimony_use_record,
    )

    client_uuid = uuid.uuid5(NAMESPACE, item.key + suffix)
    if Testimony.objects.filter(client_uuid=client_uuid).exists():
        return None
    officer = User.objects.get(username=item.officer)
    site = Site.objects.get(code=item.site)
    version = _version(forms[item.form], item.form_version) if item.form is not None else None
    answers = dict(item.answers)
    if version is not None:
        keys = set(version.questions.values_list("key", flat=True))
        answers = {k: v for k, v in answers.items() if k in keys}
    with transaction.atomic():
        testimony = testimony_draft_create(
            user=officer,
            site=site,
            client_uuid=client_uuid,
            collected_on=timezone.localdate() - datetime.timedelta(days=item.days_ago),
            language=item.language,
            form_version=version,
            title=item.title,
            narrative=item.narrative,
            themes=list(Theme.objects.filter(slug__in=item.themes)),
            translations=item.translations,
            extracts=item.extracts,
            answers=answers,
            wizard_step=item.wizard_step,
            **item.profile,
        )
        if item.consent is not None:
            consent_record(testimony=testimony, recorded_by=officer, **_consent_kwargs(item))
        if item.photo:
            media_attach(
                testimony=testimony,
                upload=SimpleUploadedFile(
                    "IMG_demo.jpg", demo_image(len(item.key)), content_type="image/jpeg"
                ),
                uploaded_by=officer,
                caption="Image de démonstration (générée)",
            )
        if item.outcome == "draft":
            return testimony
        testimony = testimony_submit(testimony=testimony, user=officer)
        if item.outcome == "submitted":
            return testimony
        testimony = review_start(testimony=testimony, user=coordinator)
        if item.outcome == "in_review":
            return testimony
        if item.outcome == "rejected":
            return review_reject(testimony=testimony, user=coordinator, reason=item.rejection)
        if item.external:
            external_version_update(
                testimony=testimony, user=coordinator, external_text=item.external
            )
        testimony.refresh_from_db()
        if testimony.is_minor:
            consent_safeguarding_review(
                testimony=testimony,
                user=coordinator,
                notes="Entretien relu avec l'éducatrice ; aucun élément identifiant dans la version externe.",
            )
            testimony.refresh_from_db()
        testimony = review_approve(testimony=testimony, user=coordinator)
        if item.outcome == "withdrawn":
            testimony.refresh_from_db()
            testimony_use_record(
                testimony=testimony,
                audience="internal",
                where="Note d'analyse interne — captivité et rançons à Zuwara",
                used_by=coordinator,
                used_on=timezone.localdate() - datetime.timedelta(days=20),
            )
            consent_withdraw(
                testimony=testimony,
                user=coordinator,
                reason="La personne a demandé le retrait par l'intermédiaire de l'équipe de Zuwara.",
            )
        return testimony


def seed(*, scale: int = 1, stdout=None) -> None:
    coordinator = User.objects.filter(username=COORDINATOR).first()
    if coordinator is None:
        _write(stdout, "temoignages: demo users missing, nothing seeded")
        return
    forms = seed_forms(coordinator)
    objectives = seed_objectives(coordinator)
    created = 0
    for item in TESTIMONIES:
        if _build(item, forms, coordinator):
            created += 1
    # Load tests: simpler submitted copies, spread over the last months.
    for copy in range(1, max(1, scale)):
        for index, item in enumerate(TESTIMONIES):
            simple = DemoTestimony(
                key=item.key,
                officer=item.officer,
                site=item.site,
                days_ago=(copy * 7 + index * 3) % 170,
                language=item.language,
                form=item.form,
                form_version=item.form_version,
                title=item.title,
                narrative=item.narrative,
                themes=item.themes,
                # A draft's answers may be incomplete: its copies stay drafts.
                outcome="draft" if item.outcome == "draft" else "submitted",
                profile=item.profile,
                answers=item.answers,
                translations=item.translations,
                extracts=item.extracts,
                consent=item.consent
                or {"scope_internal": True, "element_text": True, "explained_in": "français"},
            )
            if _build(simple, forms, coordinator, suffix=f"-x{copy}"):
                created += 1
    _write(
        stdout,
        f"temoignages: {len(forms)} forms, {objectives} new objectives, {created} new testimonies",
    )
