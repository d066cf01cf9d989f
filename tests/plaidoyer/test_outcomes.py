"""Outcomes tick the matching progress markers of influence's objectives; lessons are
searchable; the budget compares planned and spent per line, action and country in
Decimal, warns on overspending and exports through core."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from influence.models import MarkerEvidence
from plaidoyer import services
from plaidoyer.models import Outcome
from tests.core.factories import country
from tests.influence.factories import marker, objective, unit_strategy

from .factories import (
    ActionFactory,
    BudgetLineFactory,
    LessonFactory,
    OutcomeFactory,
    StakeholderFactory,
)

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def test_an_outcome_ticks_the_markers_it_matches_with_itself_as_evidence(client_for, advocacy_fr):
    goal = objective(unit_strategy(), "Présomption de minorité respectée")
    expect = marker(goal, "Le ministère publie une circulaire")
    marker(goal, "Les départements l'appliquent", level="like")
    action = ActionFactory(title="Plaidoyer circulaire")
    person = StakeholderFactory(full_name="Directrice DGEF")
    day = TODAY() - datetime.timedelta(days=4)

    response = client_for(advocacy_fr).post(
        reverse("plaidoyer:outcome_create"),
        {
            "title": "Circulaire sur la présomption de minorité",
            "description": "Le ministère rappelle la présomption de minorité aux départements.",
            "changed_by": "Ministère de l'Intérieur",
            "stakeholder": person.pk,
            "kind": "policy_change",
            "contribution": "major",
            "occurred_on": day.isoformat(),
            "country": country("FR").pk,
            "actions": [action.pk],
            "markers": [expect.pk],
        },
    )

    outcome = Outcome.objects.get()
    assert response.status_code == 302
    expect.refresh_from_db()
    assert expect.reached_on == day
    assert expect.reached_by == advocacy_fr
    assert list(outcome.objectives.all()) == [goal]
    assert list(outcome.actions.all()) == [action]
    evidence = MarkerEvidence.objects.get(marker=expect)
    assert evidence.content_type == ContentType.objects.get_for_model(Outcome)
    assert evidence.object_id == outcome.pk
    assert goal.markers.filter(reached_on__isnull=True).count() == 1


def test_an_outcome_cannot_be_dated_in_the_future(advocacy_fr):
    with pytest.raises(Exception, match="futur"):
        services.outcome_create(
            user=advocacy_fr,
            data={
                "title": "x",
                "description": "x",
                "changed_by": "x",
                "kind": "policy_change",
                "contribution": "sole",
                "occurred_on": TODAY() + datetime.timedelta(days=2),
                "country": country("FR"),
            },
        )


def test_outcomes_of_the_quarter_are_filtered_by_date(client_for, viewer):
    OutcomeFactory(title="Récent", occurred_on=TODAY())
    OutcomeFactory(title="Ancien", occurred_on=TODAY() - datetime.timedelta(days=200))

    response = client_for(viewer).get(
        reverse("plaidoyer:outcomes"),
        {"after": (TODAY() - datetime.timedelta(days=30)).isoformat()},
    )

    assert [o.title for o in response.context["page_obj"]] == ["Récent"]


def test_lessons_are_searched_without_accents(client_for, communication, advocacy_fr):
    services.lesson_create(
        user=advocacy_fr,
        data={
            "title": "Préparer les auditions",
            "what_worked": "Des données médicales précises sur l'âge",
            "country": country("FR"),
        },
    )
    LessonFactory(title="Autre sujet")

    response = client_for(communication).get(
        reverse("plaidoyer:lessons"), {"q": "donnees MEDICALES"}
    )

    assert [lesson.title for lesson in response.context["page_obj"]] == ["Préparer les auditions"]


def test_a_lesson_must_say_something(advocacy_fr):
    with pytest.raises(Exception, match="au moins"):
        services.lesson_create(user=advocacy_fr, data={"title": "Vide", "country": country("FR")})


def test_the_budget_sums_in_decimal_and_warns_when_spending_passes_the_allocation(
    client_for, viewer
):
    line = BudgetLineFactory(
        name="Plaidoyer France", country=country("FR"), allocation=Decimal("1000.00")
    )
    ActionFactory(
        budget_line=line, budget_planned=Decimal("600.10"), budget_spent=Decimal("700.20")
    )
    ActionFactory(
        budget_line=line, budget_planned=Decimal("300.20"), budget_spent=Decimal("400.10")
    )
    ActionFactory(
        budget_line=line,
        status="cancelled",
        budget_planned=Decimal("999"),
        budget_spent=Decimal("0"),
    )
    BudgetLineFactory(name="Unité", allocation=Decimal("500"))

    response = client_for(viewer).get(reverse("plaidoyer:budget"))

    summary = response.context["summary"]
    row = next(r for r in summary.lines if r.line == line)
    assert row.planned == Decimal("900.30")
    assert row.spent == Decimal("1100.30")
    assert row.remaining == Decimal("-100.30")
    assert row.overspent
    assert summary.allocation == Decimal("1500.00")
    france = next(c for c in summary.countries if c.country == "France")
    assert france.spent == Decimal("1100.30")
    html = response.content.decode()
    assert "1 ligne dépense plus que son allocation." in html
    assert "Dépassement" in html


def test_the_budget_exports_through_core(client_for, viewer):
    BudgetLineFactory(name="=SUM(A1)", allocation=Decimal("10"))

    response = client_for(viewer).get(reverse("plaidoyer:budget_export"), {"format": "csv"})

    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert response["Content-Disposition"].startswith('attachment; filename="budget-influence-')
    assert "'=SUM(A1)" in body


def test_only_coordinators_manage_budget_lines(client_for, coordinator, advocacy_fr):
    url = reverse("plaidoyer:budget_line_create")
    assert client_for(advocacy_fr).get(url).status_code == 403
    response = client_for(coordinator).post(
        url,
        {
            "year": TODAY().year,
            "name": "Libye",
            "country": country("LY").pk,
            "allocation": "2500.50",
        },
    )
    assert response.status_code == 302


def test_outcome_lesson_and_budget_pages_keep_a_constant_number_of_queries(
    client_for, coordinator, django_assert_max_num_queries
):
    client = client_for(coordinator)
    OutcomeFactory()
    LessonFactory()
    line = BudgetLineFactory()
    urls = [
        reverse("plaidoyer:outcomes"),
        reverse("plaidoyer:lessons"),
        reverse("plaidoyer:budget"),
        reverse("plaidoyer:budget_line_detail", args=[line.pk]),
    ]
    for url in urls:
        client.get(url)
        with django_assert_max_num_queries(12) as few:
            client.get(url)
        for _ in range(6):
            OutcomeFactory()
            LessonFactory()
            ActionFactory(budget_line=BudgetLineFactory(), budget_spent=Decimal("5"))
            ActionFactory(budget_line=line)
        with django_assert_max_num_queries(len(few.captured_queries)):
            assert client.get(url).status_code == 200
