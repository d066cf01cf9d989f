"""Writes of the testimonies app, split by domain; import them from here.

testimonies (drafts, submission), consent, media, review, identity, uses (through the
gate), retention. The wizard's extras (submission), the forms builder (forms_builder)
and the collection objectives (objectives) are imported by their module path.
"""

from .consent import consent_record, consent_safeguarding_review, consent_withdraw
from .identity import RevealedIdentity, identity_reveal, person_create, testimony_identity_set
from .media import media_attach, media_delete
from .retention import (
    RetentionOutcome,
    retention_due,
    retention_run,
    testimony_purge,
    testimony_retention_set,
)
from .review import (
    approval_errors,
    external_version_update,
    review_approve,
    review_reject,
    review_start,
)
from .testimonies import (
    clean_answers,
    reference_next,
    retention_default_date,
    submission_errors,
    testimony_draft_create,
    testimony_draft_update,
    testimony_submit,
)
from .uses import (
    UsageDenied,
    testimonies_export_record,
    testimony_use_record,
    use_takedown_mark,
)

__all__ = [
    "RetentionOutcome",
    "RevealedIdentity",
    "UsageDenied",
    "approval_errors",
    "clean_answers",
    "consent_record",
    "consent_safeguarding_review",
    "consent_withdraw",
    "external_version_update",
    "identity_reveal",
    "media_attach",
    "media_delete",
    "person_create",
    "reference_next",
    "retention_default_date",
    "retention_due",
    "retention_run",
    "review_approve",
    "review_reject",
    "review_start",
    "submission_errors",
    "testimonies_export_record",
    "testimony_draft_create",
    "testimony_draft_update",
    "testimony_identity_set",
    "testimony_purge",
    "testimony_retention_set",
    "testimony_submit",
    "testimony_use_record",
    "use_takedown_mark",
]
