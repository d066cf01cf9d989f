"""Demo analysis notes (one published, one in review) and a few annotations on the demo
articles. Idempotent (keyed on the note titles; annotations only on an empty table)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from core.models import Country, Theme

from ..models import AnalysisNote, Annotation, Item, NoteVersion, TriageStatus

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


def seed(*, coordinator, officer) -> int:
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


def seed_annotations(*, coordinator, officer) -> int:
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
