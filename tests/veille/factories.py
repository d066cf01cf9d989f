"""factory_boy factories for every veille model."""

import hashlib
from datetime import timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from tests.core.factories import UserFactory
from veille.models import (
    Alert,
    AnalysisNote,
    Annotation,
    Cluster,
    Item,
    NoteVersion,
    OpmlImport,
    Source,
    TriageStatus,
    WatchRule,
)


class SourceFactory(DjangoModelFactory):
    class Meta:
        model = Source
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Source {n}")
    feed_url = factory.Sequence(lambda n: f"https://feeds{n}.example.org/rss.xml")
    site_url = factory.Sequence(lambda n: f"https://feeds{n}.example.org/")
    kind = Source.Kind.MEDIA
    language = "fr"
    active = True

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create and extracted:
            self.themes.set(extracted)


class ClusterFactory(DjangoModelFactory):
    class Meta:
        model = Cluster

    title = factory.Sequence(lambda n: f"Sujet {n}")
    latest_published_at = factory.LazyFunction(timezone.now)
    first_published_at = factory.LazyFunction(timezone.now)


def _key(obj) -> str:
    return hashlib.sha256(f"u:{obj.url}".encode()).hexdigest()


class ItemFactory(DjangoModelFactory):
    class Meta:
        model = Item
        skip_postgeneration_save = True

    source = factory.SubFactory(SourceFactory)
    url = factory.Sequence(lambda n: f"https://news.example.org/articles/{n}")
    guid = factory.LazyAttribute(lambda o: o.url)
    dedup_key = factory.LazyAttribute(_key)
    title = factory.Sequence(lambda n: f"Article de veille numéro {n}")
    summary = "<p>Résumé de l'article.</p>"
    excerpt = "Résumé de l'article."
    published_at = factory.Sequence(lambda n: timezone.now() - timedelta(minutes=n))
    language = "fr"
    content_hash = factory.LazyAttribute(
        lambda o: hashlib.sha256(f"{o.title}|{o.summary}".encode()).hexdigest()
    )
    status = TriageStatus.NEW

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create and extracted:
            self.themes.set(extracted)

    @factory.post_generation
    def countries(self, create, extracted, **kwargs):
        if create and extracted:
            self.countries.set(extracted)


class AnnotationFactory(DjangoModelFactory):
    class Meta:
        model = Annotation

    item = factory.SubFactory(ItemFactory)
    author = factory.SubFactory(UserFactory)
    body = "À suivre : confirme la tendance observée à Calais."


class WatchRuleFactory(DjangoModelFactory):
    class Meta:
        model = WatchRule

    owner = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"Règle {n}")
    query = "mineurs"
    filters = factory.LazyFunction(dict)


class AlertFactory(DjangoModelFactory):
    class Meta:
        model = Alert

    rule = factory.SubFactory(WatchRuleFactory)
    user = factory.LazyAttribute(lambda o: o.rule.owner)
    item = factory.SubFactory(ItemFactory)


class AnalysisNoteFactory(DjangoModelFactory):
    class Meta:
        model = AnalysisNote
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Note d'analyse {n}")
    body = "## Contexte\n\nLes arrivées à Lampedusa augmentent."
    author = factory.SubFactory(UserFactory)
    audience = AnalysisNote.Audience.INTERNAL
    status = AnalysisNote.Status.DRAFT

    @factory.post_generation
    def cited_items(self, create, extracted, **kwargs):
        if create and extracted:
            self.cited_items.set(extracted)


class NoteVersionFactory(DjangoModelFactory):
    class Meta:
        model = NoteVersion

    note = factory.SubFactory(AnalysisNoteFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.LazyAttribute(lambda o: o.note.title)
    body = factory.LazyAttribute(lambda o: o.note.body)
    status = factory.LazyAttribute(lambda o: o.note.status)
    audience = factory.LazyAttribute(lambda o: o.note.audience)
    author = factory.LazyAttribute(lambda o: o.note.author)


class OpmlImportFactory(DjangoModelFactory):
    class Meta:
        model = OpmlImport

    created_by = factory.SubFactory(UserFactory)
    filename = "sources.opml"
    payload = '<?xml version="1.0"?><opml version="2.0"><head/><body/></opml>'
