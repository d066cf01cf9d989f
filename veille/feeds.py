"""Private RSS feeds: a watch rule read in any feed reader, through a secret address.

The token in the URL is the only credential (no session): it is long and random, can be
replaced or revoked from the rules page, and the feed only ever shows what the rule's
owner may read (nothing once they lose their reader role or their account is disabled).
Discarded stories are left out.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from .models import TriageStatus, WatchRule
from .selectors import items_visible_to, rule_items

FEED_SIZE = 50


class _PrivateRss(Rss201rev2Feed):
    content_type = "application/rss+xml; charset=utf-8"


class RuleFeed(Feed):
    feed_type = _PrivateRss

    def get_object(self, request, token: str):
        if len(token) < 20:
            raise Http404
        rule = (
            WatchRule.objects.select_related("owner")
            .filter(feed_token=token, active=True, owner__is_active=True)
            .first()
        )
        if rule is None:
            raise Http404
        self.request = request
        return rule

    def title(self, rule):
        return _("Veille — %(name)s") % {"name": rule.name}

    def link(self, rule):
        return reverse("veille:inbox")

    def description(self, rule):
        return _("Articles correspondant à la règle de veille « %(name)s ».") % {"name": rule.name}

    def items(self, rule):
        visible = items_visible_to(rule.owner).exclude(status=TriageStatus.DISCARDED)
        return (
            rule_items(rule, visible)
            .select_related("source")
            .defer("content", "search_vector", "title_tokens")
            .order_by("-published_at", "-id")[:FEED_SIZE]
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        # Sanitised by the pipeline when fetched; RSS readers treat it as HTML.
        return item.summary or item.excerpt

    def item_link(self, item):
        return reverse("veille:item_detail", args=[item.pk])

    def item_guid(self, item):
        return f"influence-veille-item-{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.published_at

    def item_author_name(self, item):
        return item.source.name


rule_feed_rss = login_not_required(never_cache(RuleFeed()))
