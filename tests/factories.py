"""factory_boy factories for every model; tests build their data here."""
import factory
from django.contrib.auth import get_user_model

from sites.models import Area, Site
from sites.roles import Role
from sites.services import membership_grant


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area
        django_get_or_create = ("code",)

    level = Area.Level.COUNTY
    code = factory.Sequence(lambda n: f"{350500 + n:06d}000000")
    name = factory.Sequence(lambda n: f"测试县{n}")

    @classmethod
    def town(cls, county: Area, n: int, **kwargs) -> Area:
        return cls(code=f"{county.prefix}{n:03d}000", level=Area.Level.TOWN, parent=county, **kwargs)

    @classmethod
    def village(cls, town: Area, n: int, **kwargs) -> Area:
        return cls(code=f"{town.prefix}{n:03d}", level=Area.Level.VILLAGE, parent=town, **kwargs)


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Site

    village = None  # always given: a site belongs to a village-level area
    kind = Site.Kind.COMMUNITY
    name = factory.Sequence(lambda n: f"测试小区{n}")
    address = factory.LazyAttribute(lambda o: f"{o.village.name}{o.name}路1号")
    households = 100
    residents = 300


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Sequence(lambda n: f"测试用户{n}")
    password = factory.django.Password("Test-password-123")


def user_with_role(role: Role, *, area: Area | None = None, site: Site | None = None, **kwargs):
    user = UserFactory(**kwargs)
    membership_grant(user=user, role=role, area=area, site=site)
    return user
