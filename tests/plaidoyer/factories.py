"""Plaidoyer test data, made through the models directly (services are what is tested)."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from plaidoyer.models import (
    AdvocacyAction,
    BudgetLine,
    Coalition,
    FollowUp,
    Interaction,
    JointStatement,
    Lesson,
    Organisation,
    Outcome,
    Position,
    Stakeholder,
    normalise,
)
from tests.core.factories import UserFactory, country, theme


def _country(code):
    return factory.LazyFunction(lambda: country(code))


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    acronym = ""
    kind = Organisation.Kind.MINISTRY
    country = _country("FR")
    search_text = factory.LazyAttribute(lambda o: normalise(f"{o.name} {o.acronym}"))


class StakeholderFactory(DjangoModelFactory):
    class Meta:
        model = Stakeholder

    full_name = factory.Sequence(lambda n: f"Personne {n}")
    function = "Conseiller"
    organisation = factory.SubFactory(OrganisationFactory)
    country = factory.LazyAttribute(lambda s: s.organisation.country)
    influence = 3
    interest = 3
    alignment = 3
    search_text = factory.LazyAttribute(lambda s: normalise(f"{s.full_name} {s.function}"))


class InteractionFactory(DjangoModelFactory):
    class Meta:
        model = Interaction
        skip_postgeneration_save = True

    kind = Interaction.Kind.MEETING
    occurred_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=3))
    title = factory.Sequence(lambda n: f"Rendez-vous {n}")
    country = _country("FR")
    author = factory.SubFactory(UserFactory)

    @factory.post_generation
    def stakeholders(self, create, extracted, **kwargs):
        if create and extracted:
            self.stakeholders.set(extracted)


class FollowUpFactory(DjangoModelFactory):
    class Meta:
        model = FollowUp

    interaction = factory.SubFactory(InteractionFactory)
    description = "Envoyer la note"
    owner = factory.SubFactory(UserFactory)
    due_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=5))


class PositionFactory(DjangoModelFactory):
    class Meta:
        model = Position

    stakeholder = factory.SubFactory(StakeholderFactory)
    theme = factory.LazyFunction(lambda: theme("detention"))
    support = "neutral"
    stated_on = factory.LazyFunction(timezone.localdate)
    source = Position.Source.PUBLIC_STATEMENT


class ActionFactory(DjangoModelFactory):
    class Meta:
        model = AdvocacyAction
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Action {n}")
    kind = AdvocacyAction.Kind.POSITION_PAPER
    country = _country("FR")
    owner = factory.SubFactory(UserFactory)
    status = "planned"
    due_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=20))

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create and extracted:
            self.themes.set(extracted)


class BudgetLineFactory(DjangoModelFactory):
    class Meta:
        model = BudgetLine

    year = factory.LazyFunction(lambda: timezone.localdate().year)
    name = factory.Sequence(lambda n: f"Ligne {n}")
    allocation = Decimal("10000.00")


class CoalitionFactory(DjangoModelFactory):
    class Meta:
        model = Coalition
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Coalition {n}")
    kind = Coalition.Kind.COLLECTIVE
    level = Coalition.Level.NATIONAL
    country = _country("FR")

    @factory.post_generation
    def members(self, create, extracted, **kwargs):
        if create and extracted:
            self.members.set(extracted)


class StatementFactory(DjangoModelFactory):
    class Meta:
        model = JointStatement

    coalition = factory.SubFactory(CoalitionFactory)
    title = factory.Sequence(lambda n: f"Déclaration {n}")
    deadline = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=10))


class OutcomeFactory(DjangoModelFactory):
    class Meta:
        model = Outcome

    title = factory.Sequence(lambda n: f"Changement {n}")
    description = "Ce qui a changé"
    changed_by = "Ministère"
    kind = Outcome.Kind.POLICY_CHANGE
    contribution = Outcome.Contribution.PARTIAL
    occurred_on = factory.LazyFunction(timezone.localdate)
    country = _country("FR")


class LessonFactory(DjangoModelFactory):
    class Meta:
        model = Lesson

    title = factory.Sequence(lambda n: f"Leçon {n}")
    what_worked = "Préparer les rendez-vous avec des données."
    country = _country("FR")
    author = factory.SubFactory(UserFactory)
    search_text = factory.LazyAttribute(lambda o: normalise(f"{o.title} {o.what_worked}"))
