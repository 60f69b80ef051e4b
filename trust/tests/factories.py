import factory
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

from trust.enums import Role
from trust.models import Membership, School

PASSWORD = "Correct-horse-battery-9"

# Fixed names, none with a character HTML escapes (an apostrophe in a Faker name once failed 1 run in 120).
FIRST_NAMES = ("Amira", "Ben", "Chloe", "Dev", "Erin", "Femi", "Grace", "Hamza", "Isla", "Jack", "Kiran", "Lena")
LAST_NAMES = ("Adeyemi", "Brooks", "Chen", "Davies", "Evans", "Fraser", "Gill", "Hughes", "Iqbal", "Jones", "Khan")


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"School {n}")
    slug = factory.Sequence(lambda n: f"school-{n}")
    urn = factory.Sequence(lambda n: f"{100000 + n:06d}")
    local_authority = "Leicestershire"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@symphony.example")
    username = factory.SelfAttribute("email")
    first_name = factory.Sequence(lambda n: FIRST_NAMES[n % len(FIRST_NAMES)])
    last_name = factory.Sequence(lambda n: LAST_NAMES[n % len(LAST_NAMES)])

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or PASSWORD)
        if create:
            self.save()
            EmailAddress.objects.get_or_create(user=self, email=self.email, defaults={"primary": True, "verified": True})


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = Role.STAFF
    school = factory.SubFactory(SchoolFactory)

    class Params:
        trust_wide = factory.Trait(school=None)
