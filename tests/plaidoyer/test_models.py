"""The advocacy models hold their rules in the database too, and the permission rules."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from plaidoyer import permissions
from plaidoyer.models import normalise

from .factories import (
    ActionFactory,
    InteractionFactory,
    OrganisationFactory,
    StakeholderFactory,
)

pytestmark = pytest.mark.django_db


def test_scores_outside_one_to_five_are_refused_by_validation_and_the_database():
    person = StakeholderFactory.build(
        organisation=OrganisationFactory(), influence=6, interest=0, alignment=3
    )
    with pytest.raises(ValidationError) as error:
        person.full_clean()
    assert set(error.value.message_dict) >= {"influence", "interest"}
    with pytest.raises(IntegrityError), transaction.atomic():
        StakeholderFactory(influence=7)


def test_an_action_cannot_end_before_it_starts_nor_have_a_negative_budget():
    import datetime

    with pytest.raises(IntegrityError), transaction.atomic():
        ActionFactory(start_on=datetime.date(2026, 5, 2), due_on=datetime.date(2026, 5, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        ActionFactory(budget_spent=Decimal("-1"))


def test_names_are_searched_without_accents_or_case():
    assert normalise("  Défenseur des DROITS ") == "defenseur des droits"


def test_advocacy_officers_manage_their_country_and_coordinators_every_one(
    coordinator, advocacy_fr, advocacy_ly, communication, viewer, field_calais
):
    french = StakeholderFactory()
    assert permissions.can_edit(coordinator, french)
    assert permissions.can_edit(advocacy_fr, french)
    assert not permissions.can_edit(advocacy_ly, french)
    for reader in (communication, viewer):
        assert permissions.can_read(reader)
        assert not permissions.can_edit(reader, french)
    assert not permissions.can_read(field_calais)


def test_a_confidential_interaction_is_for_coordinators_and_its_author_only(
    coordinator, advocacy_fr, communication
):
    secret = InteractionFactory(sensitivity="confidential", author=advocacy_fr)
    other = InteractionFactory(sensitivity="confidential")
    assert permissions.can_see_interaction(coordinator, secret)
    assert permissions.can_see_interaction(advocacy_fr, secret)
    assert not permissions.can_see_interaction(advocacy_fr, other)
    assert not permissions.can_see_interaction(communication, secret)
