"""Reads of collection forms: the builder's list, versions and questions, and the forms
offered to a field officer."""

from __future__ import annotations

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import QueryDict

from core.models import Role
from core.scoping import get_scope

from ..models import CollectionForm, CollectionFormVersion, FormQuestion, Testimony
from .testimonies import collection_sites


def collection_forms_list(*, archived: bool | None = False) -> QuerySet[CollectionForm]:
    """Forms with what the builder list shows, in a constant number of queries."""
    latest_published = (
        CollectionFormVersion.objects.filter(form=OuterRef("pk"), published_at__isnull=False)
        .order_by("-number")
        .values("number")[:1]
    )
    draft = CollectionFormVersion.objects.filter(form=OuterRef("pk"), published_at__isnull=True)
    uses = (
        Testimony.objects.filter(form_version__form=OuterRef("pk"))
        .order_by()
        .values("form_version__form")
        .annotate(n=Count("pk"))
        .values("n")
    )
    queryset = (
        CollectionForm.objects.annotate(
            published_number=Subquery(latest_published, output_field=IntegerField()),
            has_draft=Exists(draft),
            testimony_count=Coalesce(Subquery(uses, output_field=IntegerField()), 0),
        )
        .select_related("created_by")
        .prefetch_related("sites")
    )
    if archived is not None:
        queryset = queryset.filter(is_active=not archived)
    return queryset


def collection_forms_filterset(*, data):
    """The builder's list, filtered (`state`: active, archived, all) and sorted (`sort`)."""
    from ..filters import CollectionFormFilter

    return CollectionFormFilter(
        data=data if data is not None else QueryDict(),
        queryset=collection_forms_list(archived=None),
    )


def form_versions(form: CollectionForm) -> QuerySet[CollectionFormVersion]:
    return (
        form.versions.annotate(
            question_count=Count("questions", distinct=True),
            testimony_count=Count("testimonies", distinct=True),
        )
        .select_related("created_by")
        .order_by("-number")
    )


def version_questions(version: CollectionFormVersion) -> list[FormQuestion]:
    return list(version.questions.order_by("position", "id"))


def latest_published_version(form: CollectionForm) -> CollectionFormVersion | None:
    return (
        form.versions.filter(published_at__isnull=False).order_by("-number").first()
        if form
        else None
    )


def forms_for_collection(user) -> QuerySet[CollectionForm]:
    """Active forms with a published version, offered at one of the user's sites
    (a form without sites is offered everywhere)."""
    published = CollectionFormVersion.objects.filter(
        form=OuterRef("pk"), published_at__isnull=False
    )
    queryset = CollectionForm.objects.filter(is_active=True).filter(Exists(published))
    scope = get_scope(user)
    if not scope.is_unit_wide(Role.COORDINATOR, Role.FIELD_COMMS):
        site_ids = list(collection_sites(user).values_list("pk", flat=True))
        queryset = queryset.filter(Q(sites__isnull=True) | Q(sites__in=site_ids)).distinct()
    return queryset.prefetch_related("sites").order_by("name")


def form_offered_at(form: CollectionForm, site) -> bool:
    site_ids = {s.pk for s in form.sites.all()}
    return not site_ids or site.pk in site_ids
