import factory
from factory.django import DjangoModelFactory

from core.models import Country, Membership, Role, Site, Theme, User

TEST_PASSWORD = "correct-horse-battery-staple"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or TEST_PASSWORD)
        if create:
            self.save(update_fields=["password"])


def country(code: str) -> Country:
    """Reference countries are loaded by a data migration: fetch, don't create."""
    return Country.objects.get(code=code)


def site(code: str) -> Site:
    return Site.objects.get(code=code)


def theme(slug: str) -> Theme:
    return Theme.objects.get(slug=slug)


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = Role.VIEWER


def user_with_role(role: str, *, country_code=None, site_codes=(), **user_kwargs) -> User:
    user = UserFactory(**user_kwargs)
    if site_codes:
        for code in site_codes:
            Membership.objects.create(user=user, role=role, site=site(code))
    elif country_code:
        Membership.objects.create(user=user, role=role, country=country(country_code))
    else:
        Membership.objects.create(user=user, role=role)
    return user
