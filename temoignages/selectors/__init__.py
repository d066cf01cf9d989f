"""Reads of the testimonies app, split by domain; import them from here.

testimonies (scoping, detail, the list's FilterSet, counts, the field officer's home,
the wizard's scope) · consent (history, consents to renew) · forms (collection forms and their
versions) · objectives (collection objectives and their progress).
"""

from .consent import consents_expiring, testimony_consents
from .forms import (
    collection_forms_filterset,
    collection_forms_list,
    form_offered_at,
    form_versions,
    forms_for_collection,
    latest_published_version,
    version_questions,
)
from .objectives import (
    Progress,
    objectives_by_site,
    objectives_filterset,
    objectives_period_filter,
    objectives_visible_to,
    objectives_with_progress,
    progress_of,
    with_progress,
)
from .testimonies import (
    AWAITING_REVIEW,
    awaiting_review,
    awaiting_review_count,
    collection_sites,
    home_lists,
    my_testimonies,
    nav_badge,
    testimonies_visible_to,
    testimony_detail_queryset,
    testimony_events,
    testimony_filterset,
    testimony_list_queryset,
    testimony_media,
    testimony_scope_q,
    testimony_uses,
    usable_testimonies,
    wizard_queryset,
)

__all__ = [
    "AWAITING_REVIEW",
    "Progress",
    "awaiting_review",
    "awaiting_review_count",
    "collection_forms_filterset",
    "collection_forms_list",
    "collection_sites",
    "consents_expiring",
    "form_offered_at",
    "form_versions",
    "forms_for_collection",
    "home_lists",
    "latest_published_version",
    "my_testimonies",
    "nav_badge",
    "objectives_by_site",
    "objectives_filterset",
    "objectives_period_filter",
    "objectives_visible_to",
    "objectives_with_progress",
    "progress_of",
    "testimonies_visible_to",
    "testimony_consents",
    "testimony_detail_queryset",
    "testimony_events",
    "testimony_filterset",
    "testimony_list_queryset",
    "testimony_media",
    "testimony_scope_q",
    "testimony_uses",
    "usable_testimonies",
    "version_questions",
    "with_progress",
    "wizard_queryset",
]
