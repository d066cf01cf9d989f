"""Daily digest email: one per user, only when something matched, never twice; and the
whole path watch rule → alert → digest → private RSS through a real Celery worker."""

import xml.etree.ElementTree as ET

import pytest
from django.core import mail
from django.urls import reverse

from tests.veille.factories import AlertFactory, ItemFactory, WatchRuleFactory
from tests.waiting import wait_until
from veille.models import Alert
from veille.services import digest_recipients, digest_send, rule_create, rule_feed_enable
from veille.tasks import evaluate_watch_rules, send_digests

pytestmark = pytest.mark.django_db


def test_one_email_per_user_grouped_by_rule(advocacy_ly):
    libya = WatchRuleFactory(owner=advocacy_ly, name="Libye", digest_email=True)
    tunisia = WatchRuleFactory(owner=advocacy_ly, name="Tunisie", digest_email=True)
    AlertFactory(rule=libya, item=ItemFactory(title="Naufrage près de Zouara"))
    AlertFactory(rule=tunisia, item=ItemFactory(title="Accord avec la Tunisie"))
    AlertFactory(rule=WatchRuleFactory(owner=advocacy_ly, digest_email=False))

    assert digest_send(user_id=advocacy_ly.pk) == 2

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [advocacy_ly.email]
    assert message.subject == "Veille : 2 nouveaux articles pour vos règles"
    assert "== Libye ==" in message.body
    assert "== Tunisie ==" in message.body
    assert "Naufrage près de Zouara" in message.body
    assert "/veille/articles/" in message.body
    html = message.alternatives[0][0]
    assert '<a href="http://127.0.0.1:8000/veille/articles/' in html
    assert Alert.objects.filter(emailed_at__isnull=True, rule__digest_email=True).count() == 0


def test_nothing_new_means_no_email_and_nothing_is_sent_twice(advocacy_ly):
    rule = WatchRuleFactory(owner=advocacy_ly, digest_email=True)
    assert digest_send(user_id=advocacy_ly.pk) == 0
    AlertFactory(rule=rule)

    digest_send(user_id=advocacy_ly.pk)
    digest_send(user_id=advocacy_ly.pk)

    assert len(mail.outbox) == 1


def test_the_digest_speaks_the_user_s_language(advocacy_ly):
    advocacy_ly.preferred_language = "en"
    advocacy_ly.save()
    AlertFactory(rule=WatchRuleFactory(owner=advocacy_ly, digest_email=True))

    digest_send(user_id=advocacy_ly.pk)

    assert mail.outbox[0].subject == "Monitoring: 1 new article for your rules"


def test_users_without_email_or_inactive_get_nothing(advocacy_ly, advocacy_fr):
    advocacy_ly.email = ""
    advocacy_ly.save()
    advocacy_fr.is_active = False
    advocacy_fr.save()
    for user in (advocacy_ly, advocacy_fr):
        AlertFactory(rule=WatchRuleFactory(owner=user, digest_email=True))

    assert digest_recipients() == []
    assert digest_send(user_id=advocacy_ly.pk) == 0
    assert mail.outbox == []


def test_send_digests_enqueues_one_email_per_recipient(advocacy_ly, coordinator, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    from config.celery import app

    app.conf.task_always_eager = True
    try:
        for user in (advocacy_ly, coordinator):
            AlertFactory(rule=WatchRuleFactory(owner=user, digest_email=True))
        assert send_digests.apply().get() == 2
    finally:
        app.conf.task_always_eager = False
    assert sorted(m.to[0] for m in mail.outbox) == sorted([advocacy_ly.email, coordinator.email])


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_watch_rule_alert_digest_and_rss_through_a_real_worker(
    celery_worker, client, client_for, advocacy_ly
):
    rule = rule_create(
        owner=advocacy_ly,
        name="Garde-côtes",
        query='"garde-côtes" -Grèce',
        digest_email=True,
    )
    token = rule_feed_enable(rule=rule, user=advocacy_ly)
    match = ItemFactory(title="Les garde-côtes libyens interceptent 40 personnes", language="fr")
    ItemFactory(title="Les garde-côtes en Grèce", language="fr")

    evaluate_watch_rules.delay()
    wait_until(lambda: Alert.objects.filter(rule=rule).exists(), timeout=20, what="an alert")
    assert list(Alert.objects.values_list("item_id", flat=True)) == [match.pk]

    # In the app: the badge and the alerts page.
    page = client_for(advocacy_ly).get(reverse("veille:alerts")).content.decode()
    assert match.title in page

    # The digest, sent by the worker.
    send_digests.delay()
    wait_until(lambda: len(mail.outbox) == 1, timeout=20, what="the digest sent")
    assert match.title in mail.outbox[0].body

    # The private feed, without a session.
    client.logout()
    feed = client.get(reverse("veille:rule_rss", args=[token]))
    titles = [n.text for n in ET.fromstring(feed.content).iter("title")]  # noqa: S314 - our own feed
    assert titles[1:] == [match.title]
