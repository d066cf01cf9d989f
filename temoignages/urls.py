from django.urls import path

from .views import exports, identity, media, records, review

app_name = "temoignages"

urlpatterns = [
    # records (part A)
    path("", records.home, name="home"),
    path("liste/", records.testimony_list, name="list"),
    path("export/", exports.testimony_export, name="export"),
    path(
        "consentements-a-renouveler/",
        records.consents_expiring_view,
        name="consents_expiring",
    ),
    path("<int:pk>/", records.testimony_detail, name="detail"),
    path("<int:pk>/consentement/", records.consent_record_view, name="consent_record"),
    path("<int:pk>/consentement/retrait/", records.consent_withdraw_view, name="consent_withdraw"),
    path(
        "<int:pk>/consentement/revue-protection/",
        records.safeguarding_review_view,
        name="safeguarding_review",
    ),
    path(
        "<int:pk>/consentement/<int:consent_pk>/formulaire/",
        media.consent_form_download,
        name="consent_form_download",
    ),
    path(
        "<int:pk>/utilisations/<int:use_pk>/retrait/",
        records.use_takedown_view,
        name="use_takedown",
    ),
    path("<int:pk>/conservation/", records.retention_set_view, name="retention_set"),
    path("<int:pk>/relecture/commencer/", review.review_start_view, name="review_start"),
    path("<int:pk>/relecture/approuver/", review.review_approve_view, name="review_approve"),
    path("<int:pk>/relecture/renvoyer/", review.review_reject_view, name="review_reject"),
    path("<int:pk>/version-externe/", review.external_version_view, name="external_edit"),
    path("<int:pk>/identite/", identity.identity_edit_view, name="identity_edit"),
    path("<int:pk>/identite/reveler/", identity.identity_reveal_view, name="identity_reveal"),
    path("<int:pk>/medias/ajouter/", media.media_upload_view, name="media_upload"),
    path(
        "<int:pk>/medias/<int:media_pk>/telecharger/",
        media.media_download,
        name="media_download",
    ),
    path("<int:pk>/medias/<int:media_pk>/apercu/", media.media_thumbnail, name="media_thumbnail"),
    path("<int:pk>/medias/<int:media_pk>/supprimer/", media.media_delete_view, name="media_delete"),
]
