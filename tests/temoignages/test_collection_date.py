"""A collection date outside a plausible range is refused by the testimony services — so
by the wizard, the offline queue and any other caller — with the reason next to the
field and nothing typed lost. A typo such as 0001-01-01 would otherwise set a retention
date in year 4, and the next nightly purge would erase a real testimony."""

import datetime
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from temoignages import services
from temoignages.models import Testimony
from tests.core.factories import site
from tests.temoignages.factories import ConsentFactory, TestimonyFactory
from tests.temoignages.helpers import context_data, step_url

pytestmark = pytest.mark.django_db

YEAR_ONE = datetime.date(1, 1, 1)
START = "temoignages:submit_start"


def _refusal(excinfo) -> str:
    return " ".join(excinfo.value.message_dict["collected_on"])


def test_the_service_refuses_a_date_before_the_earliest_collection_date(field_calais):
    with pytest.raises(ValidationError) as excinfo:
        services.testimony_draft_create(
            user=field_calais, site=site("calais"), collected_on=YEAR_ONE
        )
    assert "trop ancienne" in _refusal(excinfo)
    assert "1 janvier 2000" in _refusal(excinfo)
    assert not Testimony.objects.exists()


def test_the_floor_is_a_setting_and_itself_is_accepted(field_calais, settings):
    settings.TEMOIGNAGES_EARLIEST_COLLECTION_DATE = datetime.date(2015, 6, 1)
    with pytest.raises(ValidationError):
        services.testimony_draft_create(
            user=field_calais, site=site("calais"), collected_on=datetime.date(2015, 5, 31)
        )
    testimony = services.testimony_draft_create(
        user=field_calais, site=site("calais"), collected_on=datetime.date(2015, 6, 1)
    )
    assert testimony.collected_on == datetime.date(2015, 6, 1)


def test_changing_the_date_of_a_draft_to_year_one_is_refused(field_calais):
    testimony = services.testimony_draft_create(user=field_calais, site=site("calais"))
    with pytest.raises(ValidationError) as excinfo:
        services.testimony_draft_update(
            testimony=testimony, user=field_calais, collected_on=YEAR_ONE, title="Gardé ?"
        )
    assert "trop ancienne" in _refusal(excinfo)
    testimony.refresh_from_db()
    assert testimony.collected_on == timezone.localdate()
    assert testimony.retention_date.year >= timezone.localdate().year
    assert testimony.title == ""


def test_a_record_that_already_has_a_wrong_date_cannot_be_sent(field_calais):
    testimony = TestimonyFactory(collected_by=field_calais, collected_on=YEAR_ONE)
    ConsentFactory(testimony=testimony)
    testimony.refresh_from_db()
    assert "trop ancienne" in " ".join(services.submission_errors(testimony)["collected_on"])
    with pytest.raises(ValidationError):
        services.testimony_submit(testimony=testimony, user=field_calais)
    # Its other fields may still be saved while the date is being corrected.
    services.testimony_draft_update(testimony=testimony, user=field_calais, title="À corriger")


def test_the_wizard_says_why_next_to_the_date_and_keeps_what_was_typed(client_for, field_calais):
    data = context_data(
        site("calais"),
        client_uuid=uuid.uuid4(),
        collected_on="0001-01-01",
        title="Trois mineurs au parc",
    )
    response = client_for(field_calais).post(reverse(START), data)
    content = response.content.decode()
    assert response.status_code == 200
    assert response.context["form"].errors["collected_on"]
    assert "trop ancienne" in content
    assert 'value="Trois mineurs au parc"' in content
    assert 'value="0001-01-01"' in content
    assert 'min="2000-01-01"' in content
    assert not Testimony.objects.exists()


def test_the_wizard_refuses_the_date_when_a_draft_is_corrected(client_for, field_calais):
    testimony = TestimonyFactory(collected_by=field_calais)
    response = client_for(field_calais).post(
        step_url(testimony, 1),
        context_data(site("calais"), client_uuid=testimony.client_uuid, collected_on="0001-01-01"),
    )
    assert response.status_code == 200
    assert "trop ancienne" in response.content.decode()
    before = testimony.collected_on
    testimony.refresh_from_db()
    assert testimony.collected_on == before


def test_the_offline_queue_gets_the_refusal_by_field(client_for, field_calais):
    client_uuid = uuid.uuid4()
    response = client_for(field_calais).post(
        reverse("temoignages:offline_send_step", args=[client_uuid, 1]),
        context_data(site("calais"), client_uuid=client_uuid, collected_on="0001-01-01"),
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert [e["field"] for e in errors] == ["collected_on"]
    assert "trop ancienne" in errors[0]["message"]
    assert not Testimony.objects.exists()
