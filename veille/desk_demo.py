"""Demo content of the desk, on top of the demo items of `veille.demo`: the coordinator's
watch rules and their alerts, two analysis notes (one published, one in review) and a few
annotations — so a newcomer sees a desk in use. Idempotent (keyed on names and titles).

Run after `veille.demo.seed` (it needs the demo users and items).
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from core.models import Country, Theme, User

from .models import AnalysisNote, Annotation, Item, NoteVersion, TriageStatus, WatchRule
from .selectors import rule_items
from .services import rule_create
from .services.rules import _alerts_create

RULES = [
    # name, query, filters (codes/slugs resolved below), digest
    ("Garde-côtes et interceptions", "garde-côtes OR interceptions OR intercepted", {}, False),
    ("Mineurs non accompagnés", "", {"theme": ["mineurs-age"]}, True),
    ("Libye — détention", "", {"country": ["LY"], "theme": ["detention"]}, False),
]

PUBLISHED_BODY = """## Ce qui change

Les articles de la semaine confirment la hausse des interceptions en Méditerranée
centrale [@{a}] et le retour des personnes interceptées vers des centres de détention
[@{b}].

## Ce que nous en retenons

- les débarquements se concentrent sur quelques ports ;
- les témoignages recueillis à Tripoli rejoignent ce que décrit la presse [@{c}].

## Recommandations

1. Rappeler publiquement que la Libye n'est pas un lieu sûr de débarquement.
2. Porter ces constats auprès de la Commission européenne avant la prochaine réunion.
"""


def seed(*, scale: int = 1, stdout=None) -> None:
    coordinator = User.objects.filter(username="coordination").first()
    officer = User.objects.filter(username="plaidoyer.france").first()
    if coordinator is None or not Item.objects.exists():
        return
    with transaction.atomic():
        rules = _rules(coordinator)
        notes = _notes(coordinator, officer)
        annotations = _annotations(coordinator, officer)
    if stdout:
        stdout.write(f"veille (desk): {rules} rules, {notes} notes, {annotations} annotations")


def _rules(owner) -> int:
    themes = {t.slug: t.pk for t in Theme.objects.all()}
    countries = {c.code: c.pk for c in Country.objects.all()}
    made = 0
    for name, query, filters, digest in RULES:
        if WatchRule.objects.filter(owner=owner, name=name).exists():
            continue
        stored = {}
        if "theme" in filters:
            stored["theme"] = [str(themes[s]) for s in filters["theme"] if s in themes]
        if "country" in filters:
            stored["country"] = [str(countries[c]) for c in filters["country"] if c in countries]
        rule = rule_create(owner=owner, name=name, query=query, filters=stored, digest_email=digest)
        # The last three days of demo articles have already raised alerts.
        recent = Item.objects.filter(published_at__gte=timezone.now() - timedelta(days=3))
        matches = list(rule_items(rule, recent).order_by("-pk").values_list("pk", "cluster_id"))
        _alerts_create(rule, matches[:12], timezone.now())
        made += 1
    return made


def _notes(coordinator, officer) -> int:
    made = 0
    relevant = list(
        Item.objects.filter(status=TriageStatus.RELEVANT, is_cluster_lead=True).order_by(
            "-published_at"
        )[:3]
    )
    title = "Interceptions en Méditerranée centrale : point de la semaine"
    if len(relevant) == 3 and not AnalysisNote.objects.filter(title=title).exists():
        a, b, c = (item.pk for item in relevant)
        note = AnalysisNote.objects.create(
            title=title,
            body=PUBLISHED_BODY.format(a=a, b=b, c=c),
            author=coordinator,
            updated_by=coordinator,
            audience=AnalysisNote.Audience.PARTNERS,
            status=AnalysisNote.Status.PUBLISHED,
            published_at=timezone.now() - timedelta(days=1),
        )
        note.cited_items.set(relevant)
        note.themes.set(Theme.objects.filter(slug__in=["sauvetage-debarquement", "detention"]))
        note.countries.set(Country.objects.filter(code__in=["LY", "IT"]))
        for number, status in enumerate(("draft", "review", "published"), start=1):
            NoteVersion.objects.create(
                note=note,
                number=number,
                title=note.title,
                body=note.body,
                status=status,
                audience=note.audience,
                cited_item_ids=sorted(i.pk for i in relevant),
                author=coordinator,
            )
        made += 1
    title = "Évaluation de l'âge des mineurs : état des contentieux"
    author = officer or coordinator
    if not AnalysisNote.objects.filter(title=title).exists():
        note = AnalysisNote.objects.create(
            title=title,
            body="## Contexte\n\nPlusieurs décisions récentes contestent les évaluations "
            "fondées sur l'apparence physique.\n\n## À vérifier\n\n- la jurisprudence "
            "récente du Conseil d'État ;\n- les pratiques des départements concernés.",
            author=author,
            updated_by=author,
            audience=AnalysisNote.Audience.INTERNAL,
            status=AnalysisNote.Status.REVIEW,
        )
        note.themes.set(Theme.objects.filter(slug="mineurs-age"))
        note.countries.set(Country.objects.filter(code="FR"))
        NoteVersion.objects.create(
            note=note,
            number=1,
            title=note.title,
            body=note.body,
            status=note.status,
            audience=note.audience,
            author=author,
        )
        made += 1
    return made


def _annotations(coordinator, officer) -> int:
    if Annotation.objects.exists():
        return 0
    texts = [
        "À croiser avec les témoignages recueillis à Tripoli le mois dernier.",
        "Chiffres différents de ceux du HCR : vérifier la source avant de citer.",
        "Bon exemple pour la note de positionnement sur les débarquements.",
    ]
    items = list(Item.objects.filter(status=TriageStatus.RELEVANT).order_by("-published_at")[:3])
    for item, text, author in zip(
        items, texts, [coordinator, officer or coordinator, coordinator], strict=False
    ):
        Annotation.objects.create(item=item, author=author, body=text)
        Item.objects.filter(pk=item.pk).update(annotation_count=1)
    return len(items)
