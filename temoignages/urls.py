from django.urls import path
from django.views.decorators.cache import never_cache

from .views import (
    exports,
    forms_builder,
    home,
    identity,
    media,
    objectives,
    offline,
    records,
    review,
)
from .views import submission as wizard

app_name = "temoignages"

urlpatterns = [
    # records
    # `home` is the field officer's landing page: see the collection block below.
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
    # collection: landing page, submission wizard, forms builder, objectives
    path("", home.home, name="home"),
    path("nouveau/", wizard.wizard_start, name="submit_start"),
    path("brouillon/<int:pk>/", wizard.wizard_resume, name="submit_resume"),
    path("brouillon/<int:pk>/etape/<int:step>/", wizard.wizard_step, name="submit_step"),
    path(
        "brouillon/<int:pk>/medias/<int:media_pk>/retirer/",
        wizard.wizard_media_remove,
        name="submit_media_remove",
    ),
    path("brouillon/<int:pk>/supprimer/", wizard.wizard_discard, name="submit_discard"),
    path("brouillon/<int:pk>/envoye/", wizard.wizard_done, name="submit_done"),
    path("formulaires/", forms_builder.forms_list, name="forms_list"),
    path("formulaires/nouveau/", forms_builder.form_create, name="form_create"),
    path("formulaires/<int:pk>/", forms_builder.form_detail, name="form_detail"),
    path("formulaires/<int:pk>/archiver/", forms_builder.form_archive, name="form_archive"),
    path("formulaires/<int:pk>/reactiver/", forms_builder.form_restore, name="form_restore"),
    path(
        "formulaires/<int:pk>/nouvelle-version/", forms_builder.version_new, name="form_version_new"
    ),
    path(
        "formulaires/<int:pk>/versions/<int:vpk>/",
        forms_builder.version_detail,
        name="form_version",
    ),
    path(
        "formulaires/<int:pk>/versions/<int:vpk>/apercu/",
        forms_builder.version_preview,
        name="form_version_preview",
    ),
    path(
        "formulaires/<int:pk>/versions/<int:vpk>/publier/",
        forms_builder.version_publish,
        name="form_version_publish",
    ),
    path(
        "formulaires/<int:pk>/versions/<int:vpk>/abandonner/",
        forms_builder.version_discard,
        name="form_version_discard",
    ),
    path(
        "formulaires/<int:pk>/versions/<int:vpk>/questions/ajouter/",
        forms_builder.question_add,
        name="form_question_add",
    ),
    path(
        "formulaires/<int:pk>/versions/<int:vpk>/questions/<int:qpk>/",
        forms_builder.question_edit,
        name="form_question_edit",
    ),
    path(
        "formulaires/<int:pk>/versions/<int:vpk>/questions/<int:qpk>/supprimer/",
        forms_builder.question_delete,
        name="form_question_delete",
    ),
    path(
        "formulaires/<int:pk>/versions/<int:vpk>/questions/<int:qpk>/deplacer/",
        forms_builder.question_move,
        name="form_question_move",
    ),
    path("objectifs/", objectives.objectives_list, name="objectives"),
    path("objectifs/par-site/", objectives.objectives_by_site, name="objectives_by_site"),
    path("objectifs/nouveau/", objectives.objective_create, name="objective_create"),
    path("objectifs/<int:pk>/modifier/", objectives.objective_edit, name="objective_edit"),
    path("objectifs/<int:pk>/supprimer/", objectives.objective_delete, name="objective_delete"),
]

# No testimony page may be kept by a browser, a proxy or the field app's service worker:
# every page above answers `no-store`. Only the offline shell below may be cached (it
# holds no testimony: blank forms, and what waits on the phone is read by its script).
for pattern in urlpatterns:
    pattern.callback = never_cache(pattern.callback)

urlpatterns += [
    path("sw.js", offline.service_worker, name="service_worker"),
    path("manifest.webmanifest", offline.manifest, name="manifest"),
    path("hors-ligne/", offline.offline_home, name="offline_home"),
    path("hors-ligne/nouveau/", offline.offline_wizard, name="offline_wizard"),
    path("hors-ligne/envoi/", offline.send_state, name="offline_send_state"),
    path(
        "hors-ligne/envoi/<uuid:client_uuid>/<int:step>/",
        offline.send_step,
        name="offline_send_step",
    ),
]
