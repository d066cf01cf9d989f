"""Helpers of the collection tests (wizard, builder, objectives): forms, photos, posts."""

from __future__ import annotations

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from temoignages.models import CollectionFormVersion, FormQuestion, Testimony
from tests.temoignages.factories import (
    CollectionFormFactory,
    CollectionFormVersionFactory,
    FormQuestionFactory,
)

GPS_IFD = 0x8825


def jpeg_with_gps(size=(64, 48), *, noise: bool = False) -> bytes:
    """A JPEG carrying EXIF (camera make and model) and a GPS position."""
    if noise:
        import os

        image = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    else:
        image = Image.new("RGB", size, (180, 90, 40))
    exif = Image.Exif()
    exif[0x010F] = "Canon"  # Make
    exif[0x0110] = "EOS 5D"  # Model
    exif.get_ifd(GPS_IFD).update(
        {
            1: "N",
            2: (48.0, 51.0, 24.0),
            3: "E",
            4: (2.0, 21.0, 3.0),
        }
    )
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, quality=92)
    return out.getvalue()


def has_gps(data: bytes) -> bool:
    with Image.open(io.BytesIO(data)) as image:
        exif = image.getexif()
        return bool(exif.get_ifd(GPS_IFD)) or bool(exif)


def photo_upload(name="IMG_2041.jpg", data: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data or jpeg_with_gps(), content_type="image/jpeg")


def published_form(*, sites=(), number=1, name="Recueil harmonisé — mineurs"):
    """A form with one published version of four questions (one required)."""
    form = CollectionFormFactory(name=name, sites=list(sites))
    version = CollectionFormVersionFactory(form=form, number=number)
    FormQuestionFactory(
        version=version,
        position=0,
        key="hebergement",
        kind=FormQuestion.Kind.SINGLE_CHOICE,
        label_fr="Où dormez-vous ?",
        label_en="Where do you sleep?",
        label_ar="أين تنام؟",
        required=True,
        choices=[
            {"value": "rue", "fr": "À la rue", "en": "On the street", "ar": "في الشارع"},
            {"value": "foyer", "fr": "En foyer", "en": "In a shelter", "ar": "في مأوى"},
        ],
    )
    FormQuestionFactory(
        version=version,
        position=1,
        key="recours",
        kind=FormQuestion.Kind.YES_NO,
        label_fr="Un recours est-il en cours ?",
    )
    FormQuestionFactory(
        version=version,
        position=2,
        key="date-evaluation",
        kind=FormQuestion.Kind.DATE,
        label_fr="Date de l'évaluation de l'âge",
    )
    FormQuestionFactory(
        version=version,
        position=3,
        key="remarques",
        kind=FormQuestion.Kind.LONG_TEXT,
        label_fr="Remarques",
    )
    return form, version


def step_url(testimony: Testimony, step: int) -> str:
    return reverse("temoignages:submit_step", args=[testimony.pk, step])


def context_data(site, *, client_uuid, form=None, **overrides) -> dict:
    data = {
        "client_uuid": str(client_uuid),
        "site": site.pk,
        "collected_on": (timezone.localdate() - datetime.timedelta(days=1)).isoformat(),
        "language": "fr",
        "collection_form": form.pk if form else "",
        "title": "Jeune homme à la rue, recours en cours",
        "nav": "next",
    }
    data.update(overrides)
    return data


def narrative_data(**overrides) -> dict:
    data = {
        "narrative": "On m'a dit que j'étais majeur après dix minutes d'entretien.",
        "translation_language": "en",
        "translation_text": "They told me I was an adult after a ten-minute interview.",
        "extracts": ["dix minutes d'entretien", ""],
        "q_hebergement": "rue",
        "q_recours": "yes",
        "q_date-evaluation": (timezone.localdate() - datetime.timedelta(days=30)).isoformat(),
        "q_remarques": "",
        "nav": "next",
    }
    data.update(overrides)
    return data


def profile_data(**overrides) -> dict:
    data = {
        "age_bracket": "18_24",
        "gender": "male",
        "nationality": "GN",
        "administrative_status": "asylum_seeker",
        "route_countries": ["ML", "DZ", "LY", "IT"],
        "sensitivity": "confidential",
        "nav": "next",
    }
    data.update(overrides)
    return data


def consent_data(**overrides) -> dict:
    data = {
        "scope_internal": "on",
        "scope_external_anonymised": "on",
        "element_text": "on",
        "element_image": "on",
        "method": "oral_recorded",
        "given_on": timezone.localdate().isoformat(),
        "expires_on": "",
        "explained_in": "français",
        "nav": "next",
    }
    data.update(overrides)
    return data


def latest_version(form) -> CollectionFormVersion:
    return form.versions.order_by("-number").first()
