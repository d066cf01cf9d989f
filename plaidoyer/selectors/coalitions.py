"""Reads of coalitions and joint statements: scoping, lists, a coalition's page (members,
meetings, statements and their sign-off)."""

from __future__ import annotations

from django.db.models import QuerySet

from ..models import Coalition, JointStatement
from ..permissions import can_read, managed_q


def coalitions_visible_to(user) -> QuerySet[Coalition]:
    if not can_read(user):
        return Coalition.objects.none()
    return Coalition.objects.select_related("country", "representative")


def coalitions_managed_by(user) -> QuerySet[Coalition]:
    condition = managed_q(user)
    queryset = coalitions_visible_to(user)
    return queryset if condition is None else queryset.filter(condition)


def statements_visible_to(user) -> QuerySet[JointStatement]:
    if not can_read(user):
        return JointStatement.objects.none()
    return JointStatement.objects.select_related("coalition__country")


def coalition_filterset(*, user, data):
    from django.db.models import Count, IntegerField, OuterRef, Subquery
    from django.db.models.functions import Coalesce
    from django.http import QueryDict

    from ..filters import CoalitionFilter

    members = (
        Coalition.members.through.objects.filter(coalition=OuterRef("pk"))
        .order_by()
        .values("coalition")
        .annotate(n=Count("pk"))
        .values("n")
    )
    queryset = coalitions_visible_to(user).annotate(
        member_count=Coalesce(Subquery(members, output_field=IntegerField()), 0)
    )
    return CoalitionFilter(data=data if data is not None else QueryDict(), queryset=queryset)


def coalition_detail_queryset(user) -> QuerySet[Coalition]:
    from django.db.models import Prefetch

    from ..models import Organisation

    return coalitions_visible_to(user).prefetch_related(
        Prefetch(
            "members", queryset=Organisation.objects.select_related("country").order_by("name")
        ),
        "themes",
    )


def coalition_statements(coalition: Coalition) -> list[JointStatement]:
    from django.db.models import Prefetch

    from ..models import StatementSignature

    return list(
        coalition.statements.prefetch_related(
            Prefetch(
                "signatures",
                queryset=StatementSignature.objects.select_related("organisation").order_by(
                    "organisation__name"
                ),
            )
        ).order_by("-deadline", "-pk")
    )


def coalition_meetings(user, coalition: Coalition):
    from .interactions import interactions_visible_to

    return interactions_visible_to(user).filter(coalition=coalition).order_by("-occurred_on", "-pk")


def statement_detail_queryset(user) -> QuerySet[JointStatement]:
    from django.db.models import Prefetch

    from ..models import StatementSignature

    return statements_visible_to(user).prefetch_related(
        Prefetch(
            "signatures",
            queryset=StatementSignature.objects.select_related("organisation").order_by(
                "organisation__name"
            ),
        )
    )
