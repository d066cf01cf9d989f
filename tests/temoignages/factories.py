"""Factories for every model of the testimonies app.

`TestimonyFactory` makes a draft at Calais; `usable_testimony()` makes one the gate
allows for every audience (approved, full consent, redacted version, standard
sensitivity, normal-risk active site) — a handy starting point to break one rule at a
time. `ConsentFactory` becomes the testimony's current consent unless `current=False`.
"""

import datetime
import uuid

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from temoignages.models import (
    Audience,
    CollectionForm,
    CollectionFormVersion,
    CollectionObjective,
    Consent,
    FormQuestion,
    MediaAttachment,
    Person,
    Testimony,
    TestimonyEvent,
    TestimonyTranslation,
    TestimonyUse,
    UsableExtract,
)
from tests.core.factories import UserFactory, site, theme


def _today():
    return timezone.localdate()


class CollectionFormFactory(DjangoModelFactory):
    class Meta:
        model = CollectionForm
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Formulaire harmonisé {n}")
    description = "Formulaire de recueil de témoignages."
    created_by = factory.SubFactory(UserFactory)

    @factory.post_generation
    def sites(self, create, extracted, **kwargs):
        if create and extracted:
            self.sites.set(extracted)


class CollectionFormVersionFactory(DjangoModelFactory):
    class Meta:
        model = CollectionFormVersion

    form = factory.SubFactory(CollectionFormFactory)
    number = factory.Sequence(lambda n: n + 1)
    published_at = factory.LazyFunction(timezone.now)
    created_by = factory.SelfAttribute("form.created_by")


class FormQuestionFactory(DjangoModelFactory):
    class Meta:
        model = FormQuestion

    version = factory.SubFactory(CollectionFormVersionFactory)
    position = factory.Sequence(lambda n: n)
    key = factory.Sequence(lambda n: f"question-{n}")
    kind = FormQuestion.Kind.SHORT_TEXT
    label_fr = factory.Sequence(lambda n: f"Question {n}")
    label_en = factory.Sequence(lambda n: f"Question {n}")
    label_ar = factory.Sequence(lambda n: f"سؤال {n}")
    required = False


class CollectionObjectiveFactory(DjangoModelFactory):
    class Meta:
        model = CollectionObjective

    theme = factory.LazyFunction(lambda: theme("mineurs-age"))
    site = factory.LazyFunction(lambda: site("marseille"))
    country = None
    period_start = factory.LazyFunction(lambda: _today().replace(month=1, day=1))
    period_end = factory.LazyFunction(lambda: _today().replace(month=12, day=31))
    target_count = 10
    reason = "Documenter les recours des mineurs devant le juge des enfants."
    created_by = factory.SubFactory(UserFactory)


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    pseudonym = factory.Sequence(lambda n: f"P-T{n:05d}")
    full_name = factory.Faker("name", locale="fr_FR")
    contact = factory.Faker("phone_number", locale="fr_FR")
    created_by = factory.SubFactory(UserFactory)


class TestimonyFactory(DjangoModelFactory):
    class Meta:
        model = Testimony
        skip_postgeneration_save = True

    reference = factory.Sequence(lambda n: f"TEM-1999-{n:04d}")
    client_uuid = factory.LazyFunction(uuid.uuid4)
    site = factory.LazyFunction(lambda: site("calais"))
    collected_on = factory.LazyFunction(lambda: _today() - datetime.timedelta(days=10))
    collected_by = factory.SubFactory(UserFactory)
    language = "fr"
    title = factory.Sequence(lambda n: f"Témoignage {n}")
    narrative = factory.Faker("paragraph", nb_sentences=6, locale="fr_FR")
    sensitivity = Testimony.Sensitivity.CONFIDENTIAL
    status = Testimony.Status.DRAFT
    age_bracket = Testimony.AgeBracket.AGE_18_24
    gender = Testimony.Gender.MALE
    retention_date = factory.LazyAttribute(lambda t: t.collected_on + datetime.timedelta(days=1095))

    class Params:
        submitted = factory.Trait(
            status=Testimony.Status.SUBMITTED, submitted_at=factory.LazyFunction(timezone.now)
        )
        approved = factory.Trait(
            status=Testimony.Status.APPROVED,
            submitted_at=factory.LazyFunction(timezone.now),
            reviewed_at=factory.LazyFunction(timezone.now),
            external_text="Un jeune homme raconte son parcours (version caviardée).",
        )

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create and extracted:
            self.themes.set(extracted)


class TestimonyTranslationFactory(DjangoModelFactory):
    class Meta:
        model = TestimonyTranslation

    testimony = factory.SubFactory(TestimonyFactory)
    language = "en"
    text = factory.Faker("paragraph", nb_sentences=4, locale="en_GB")


class UsableExtractFactory(DjangoModelFactory):
    class Meta:
        model = UsableExtract

    testimony = factory.SubFactory(TestimonyFactory)
    position = factory.Sequence(lambda n: n)
    text = "« On nous a dit que nous étions majeurs sans nous poser de questions. »"
    external_text = ""


class ConsentFactory(DjangoModelFactory):
    """Internal + anonymised external use of text, voice and image, valid for a year."""

    class Meta:
        model = Consent
        skip_postgeneration_save = True

    testimony = factory.SubFactory(TestimonyFactory)
    scope_internal = True
    scope_external_anonymised = True
    scope_public_named = False
    element_text = True
    element_voice = True
    element_image = True
    element_name = False
    method = Consent.Method.ORAL_RECORDED
    explained_in = "français"
    obtained_by = factory.SelfAttribute("testimony.collected_by")
    recorded_by = factory.SelfAttribute("testimony.collected_by")
    given_on = factory.LazyFunction(lambda: _today() - datetime.timedelta(days=10))
    expires_on = factory.LazyFunction(lambda: _today() + datetime.timedelta(days=365))

    class Params:
        minor_ok = factory.Trait(
            guardian_consent=True,
            guardian_relationship="Référent ASE",
            minor_agreement=True,
            safeguarding_reviewed_at=factory.LazyFunction(timezone.now),
        )

    @factory.post_generation
    def current(self, create, extracted, **kwargs):
        if create and extracted is not False:
            Testimony.objects.filter(pk=self.testimony_id).update(current_consent=self)
            self.testimony.current_consent = self


class MediaAttachmentFactory(DjangoModelFactory):
    """A row only; use the `media_attach` service when the file on disk matters."""

    class Meta:
        model = MediaAttachment

    testimony = factory.SubFactory(TestimonyFactory)
    kind = MediaAttachment.Kind.PHOTO
    storage_path = factory.LazyFunction(lambda: f"temoignages/test/{uuid.uuid4().hex}.jpg")
    mime_type = "image/jpeg"
    size_bytes = 1024
    sha256 = "0" * 64
    metadata_stripped = True
    uploaded_by = factory.SelfAttribute("testimony.collected_by")


class TestimonyUseFactory(DjangoModelFactory):
    class Meta:
        model = TestimonyUse

    testimony = factory.SubFactory(TestimonyFactory)
    audience = Audience.INTERNAL
    where = "Note d'analyse sur l'évaluation de l'âge"
    used_by = factory.SubFactory(UserFactory)
    used_on = factory.LazyFunction(_today)


class TestimonyEventFactory(DjangoModelFactory):
    class Meta:
        model = TestimonyEvent

    testimony = factory.SubFactory(TestimonyFactory)
    kind = TestimonyEvent.Kind.UPDATED
    changed_fields = factory.LazyFunction(lambda: ["narrative"])


def usable_testimony(**kwargs) -> Testimony:
    """A testimony the gate allows for internal, partners and public use today."""
    kwargs.setdefault("site", site("calais"))
    kwargs.setdefault("sensitivity", Testimony.Sensitivity.STANDARD)
    consent_kwargs = kwargs.pop("consent", {})
    testimony = TestimonyFactory(approved=True, **kwargs)
    ConsentFactory(testimony=testimony, **consent_kwargs)
    testimony.refresh_from_db()
    return testimony
