"""Advocacy actions: the workflow with dates, the board and the list where due and overdue
actions stand out, budgets (overspending warned), evidence — veille items, and testimonies
only through the publication gate, which records a use — consent withdrawn or expired
flagging the action and listing it on the takedown checklist, and deliverables."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core.files import private_path
from core.models import AuditEvent
from plaidoyer import services
from plaidoyer.models import ActionTestimony, AdvocacyAction, Deliverable
from temoignages import models as temoignages_models
from temoignages import services as temoignages_services
from tests.core.factories import country, theme
from tests.influence.factories import message, objective, unit_strategy
from tests.temoignages.factories import usable_testimony
from tests.veille.factories import ItemFactory

from .factories import ActionFactory, StakeholderFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def test_an_officer_creates_an_action_linked_to_an_objective_messages_and_targets(
    client_for, advocacy_fr, coordinator
):
    goal = objective(unit_strategy(), "Fin de la rétention des enfants")
    master = message(coordinator, text="Aucun enfant en rétention")
    minister = StakeholderFactory(full_name="Ministre", can_restrict_operations=True)

    response = client_for(advocacy_fr).post(
        reverse("plaidoyer:action_create"),
        {
            "title": "Note de position sur la rétention des enfants",
            "kind": "position_paper",
            "country": minister.country_id,
            "themes": [theme("detention").pk],
            "objective": goal.pk,
            "key_messages": [master.pk],
            "target_stakeholders": [minister.pk],
            "audience": "public",
            "due_on": (TODAY() + datetime.timedelta(days=30)).isoformat(),
            "owner": advocacy_fr.pk,
            "status": "planned",
            "budget_planned": "1500.00",
            "budget_spent": "1800.50",
        },
        follow=True,
    )

    action = AdvocacyAction.objects.get()
    assert action.objective == goal
    assert list(action.key_messages.all()) == [master]
    assert list(action.target_stakeholders.all()) == [minister]
    assert action.status == "planned"
    assert action.planned_on == TODAY()
    assert action.budget_spent == Decimal("1800.50")
    html = response.content.decode()
    assert "dépasse le budget prévu" in html
    assert "badge-restrict" in html


def test_the_workflow_dates_each_step_and_refuses_a_jump(advocacy_fr):
    action = ActionFactory(status="idea", owner=advocacy_fr)

    with pytest.raises(Exception, match="ne peut pas passer"):
        services.action_transition(action=action, user=advocacy_fr, status="done")
    for status in ("planned", "in_progress", "done"):
        action = services.action_transition(action=action, user=advocacy_fr, status=status)

    assert (action.planned_on, action.started_on, action.done_on) == (TODAY(), TODAY(), TODAY())
    action = services.action_transition(action=action, user=advocacy_fr, status="in_progress")
    assert action.done_on is None


def test_an_officer_of_another_country_cannot_change_an_action(client_for, advocacy_ly):
    action = ActionFactory()
    client = client_for(advocacy_ly)
    assert client.get(action.get_absolute_url()).status_code == 200
    assert client.get(reverse("plaidoyer:action_edit", args=[action.pk])).status_code == 403
    response = client.post(reverse("plaidoyer:action_status", args=[action.pk]), {"status": "done"})
    assert response.status_code == 403


def test_the_board_groups_by_status_and_overdue_actions_stand_out(client_for, viewer):
    late = ActionFactory(
        title="En retard", status="in_progress", due_on=TODAY() - datetime.timedelta(days=2)
    )
    ActionFactory(
        title="Cette semaine", status="planned", due_on=TODAY() + datetime.timedelta(days=3)
    )
    ActionFactory(title="Idée", status="idea", due_on=None)
    ActionFactory(title="Faite", status="done")
    ActionFactory(title="Annulée", status="cancelled")

    response = client_for(viewer).get(reverse("plaidoyer:index"))

    columns = {c.status: c for c in response.context["columns"]}
    assert [a.title for a in columns["in_progress"].cards] == ["En retard"]
    assert columns["planned"].count == 1
    assert response.context["cancelled"] == 1
    html = response.content.decode()
    assert "action-card mb-2 overdue" in html
    assert "en retard ·" in html
    assert "due-soon" in html
    assert late.title in html


def test_the_board_and_the_list_keep_a_constant_number_of_queries(
    client_for, coordinator, django_assert_max_num_queries
):
    client = client_for(coordinator)
    ActionFactory()
    for url in (reverse("plaidoyer:index"), reverse("plaidoyer:actions")):
        client.get(url)
        with django_assert_max_num_queries(14) as few:
            client.get(url)
        for status in ("idea", "planned", "in_progress", "done", "cancelled") * 4:
            action = ActionFactory(status=status)
            services.action_item_add(action=action, item=ItemFactory(), user=coordinator)
        with django_assert_max_num_queries(len(few.captured_queries)):
            assert client.get(url).status_code == 200


def test_the_list_filters_actions_due_this_week_with_the_overdue_ones(client_for, viewer):
    ActionFactory(title="Retard", due_on=TODAY() - datetime.timedelta(days=1))
    ActionFactory(title="Semaine", due_on=TODAY() + datetime.timedelta(days=6))
    ActionFactory(title="Plus tard", due_on=TODAY() + datetime.timedelta(days=20))
    ActionFactory(title="Finie", status="done", due_on=TODAY() - datetime.timedelta(days=1))
    client = client_for(viewer)

    week = client.get(reverse("plaidoyer:actions"), {"due": "week"})
    overdue = client.get(reverse("plaidoyer:actions"), {"due": "overdue"})

    assert [a.title for a in week.context["page_obj"]] == ["Retard", "Semaine"]
    assert [a.title for a in overdue.context["page_obj"]] == ["Retard"]


def test_a_veille_item_is_cited_as_evidence(client_for, advocacy_fr):
    action = ActionFactory()
    item = ItemFactory(title="Rapport du Défenseur des droits")

    client_for(advocacy_fr).post(
        reverse("plaidoyer:action_items", args=[action.pk]), {"item": item.pk, "note": "chiffres"}
    )

    assert action.items.get().item == item


def test_a_testimony_the_gate_allows_is_attached_and_its_use_recorded(client_for, coordinator):
    action = ActionFactory(title="Rapport Calais", audience="partners")
    testimony = usable_testimony()

    response = client_for(coordinator).post(
        reverse("plaidoyer:action_testimonies", args=[action.pk]), {"testimony": testimony.pk}
    )

    assert response.status_code == 302
    evidence = ActionTestimony.objects.get()
    use = temoignages_models.TestimonyUse.objects.get()
    assert evidence.use == use
    assert use.target == action
    assert use.audience == "partners"
    assert "Rapport Calais" in use.where


def test_a_testimony_out_of_the_officers_scope_is_a_404_and_the_attempt_is_audited(
    client_for, advocacy_ly
):
    action = ActionFactory(country=country("LY"))
    calais = usable_testimony()
    client = client_for(advocacy_ly)
    url = reverse("plaidoyer:action_testimonies", args=[action.pk])

    response = client.post(url, {"testimony": calais.pk})

    assert response.status_code == 404
    assert not ActionTestimony.objects.exists()
    denied = AuditEvent.objects.get(action=AuditEvent.Action.PERMISSION_DENIED)
    assert (denied.actor, denied.object_type) == (advocacy_ly, "temoignages.testimony")
    for garbage in ("", "abc", "999999"):
        assert client.post(url, {"testimony": garbage}).status_code == 404
    assert client.post(url, {"testimony": calais.pk, "extract": "x"}).status_code == 404
    assert AuditEvent.objects.filter(action=AuditEvent.Action.PERMISSION_DENIED).count() == 2


def test_a_testimony_the_gate_refuses_is_not_attached_and_the_reason_is_given(
    client_for, coordinator
):
    action = ActionFactory(audience="public")
    testimony = usable_testimony(sensitivity="strict")

    response = client_for(coordinator).post(
        reverse("plaidoyer:action_testimonies", args=[action.pk]),
        {"testimony": testimony.pk},
        follow=True,
    )

    html = response.content.decode()
    assert "Utilisation refusée" in html
    assert "strictement confidentiel" in html
    assert not ActionTestimony.objects.exists()
    assert not temoignages_models.TestimonyUse.objects.exists()


def test_withdrawn_consent_flags_the_action_and_lists_it_on_the_takedown_checklist(
    client_for, coordinator
):
    action = ActionFactory(title="Lettre au préfet", audience="internal")
    testimony = usable_testimony()
    services.action_testimony_attach(action=action, testimony=testimony, user=coordinator)
    other = ActionFactory(title="Sans témoignage")

    temoignages_services.consent_withdraw(testimony=testimony, user=coordinator)
    client = client_for(coordinator)

    page = client.get(action.get_absolute_url()).content.decode()
    flagged = client.get(reverse("plaidoyer:actions"), {"consent": "on"})
    checklist = client.get(
        reverse("temoignages:detail", args=[testimony.pk]) + "?tab=consentement"
    ).content.decode()

    assert "consent-banner" in page
    assert [a.title for a in flagged.context["page_obj"]] == ["Lettre au préfet"]
    assert other not in flagged.context["page_obj"].object_list
    assert "Lettre au préfet" in checklist
    assert "takedown-checklist" in checklist


def test_expired_consent_flags_the_action_too(client_for, coordinator):
    action = ActionFactory(audience="internal")
    testimony = usable_testimony()
    services.action_testimony_attach(action=action, testimony=testimony, user=coordinator)
    temoignages_models.Consent.objects.filter(pk=testimony.current_consent_id).update(
        expires_on=TODAY() - datetime.timedelta(days=1)
    )

    listed = client_for(coordinator).get(reverse("plaidoyer:actions"))

    row = listed.context["page_obj"].object_list[0]
    assert row.consent_lapsed
    assert "Consentement retiré ou expiré" in listed.content.decode()


def test_a_deliverable_is_checked_by_content_stored_privately_and_served_to_readers(
    client_for, advocacy_fr, viewer
):
    action = ActionFactory()
    client = client_for(advocacy_fr)

    client.post(
        reverse("plaidoyer:deliverable_upload", args=[action.pk]),
        {"title": "Note finale", "file": SimpleUploadedFile("note.pdf", b"%PDF-1.7 contenu")},
    )
    refused = client.post(
        reverse("plaidoyer:deliverable_upload", args=[action.pk]),
        {"file": SimpleUploadedFile("note.pdf", b"MZ\x90\x00 pas un pdf")},
        follow=True,
    )

    deliverable = Deliverable.objects.get()
    assert deliverable.content_type == "application/pdf"
    assert "Format non accepté" in refused.content.decode()
    download = client_for(viewer).get(
        reverse("plaidoyer:deliverable_download", args=[deliverable.pk])
    )
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_an_action_with_testimonies_is_cancelled_rather_than_deleted(coordinator):
    action = ActionFactory(audience="internal")
    services.action_testimony_attach(action=action, testimony=usable_testimony(), user=coordinator)
    with pytest.raises(Exception, match="annulez l'action"):
        services.action_delete(action=action, user=coordinator)
    assert AdvocacyAction.objects.filter(pk=action.pk).exists()


def test_deleting_an_action_removes_its_deliverables_files_once_the_deletion_is_committed(
    coordinator, django_capture_on_commit_callbacks
):
    action = ActionFactory()
    services.deliverable_upload(
        action=action,
        upload=SimpleUploadedFile("note.pdf", b"%PDF-1.7 contenu"),
        title="Note",
        user=coordinator,
    )
    stored = private_path(Deliverable.objects.get().file_name)

    with django_capture_on_commit_callbacks(execute=True) as pending:
        services.action_delete(action=action, user=coordinator)
        assert stored.exists()

    assert len(pending) == 1
    assert not stored.exists()
    assert not Deliverable.objects.exists()


def test_the_takedown_checklist_links_the_coordinator_to_the_action(client_for, coordinator):
    action = ActionFactory(title="Campagne Calais", audience="internal")
    testimony = usable_testimony()
    services.action_testimony_attach(action=action, testimony=testimony, user=coordinator)
    temoignages_services.consent_withdraw(testimony=testimony, user=coordinator)

    html = (
        client_for(coordinator)
        .get(reverse("temoignages:detail", args=[testimony.pk]) + "?tab=consentement")
        .content.decode()
    )

    assert f'href="{action.get_absolute_url()}"' in html
