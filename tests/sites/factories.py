"""Factories of the sites app: key persons, premises, sweeps, incidents (synthetic IDs with valid check digits), import jobs."""
import datetime as dt
import random

import factory

from sites.idcard import make_id_number
from sites.models import (
    AbroadCase, ImportJob, Incident, KeyPerson, Measure, Premises, Rectification, Relative, Sweep, Unit,
)  # fmt: skip
from sites.roles import Role
from tests.factories import SiteFactory, UserFactory, user_with_role

_rng = random.Random(44)


def valid_id(n: int, female: bool = False) -> str:
    birth = dt.date(1970, 1, 1) + dt.timedelta(days=(n * 97) % 12000)
    return make_id_number("350521", birth, n % 500, female)


class KeyPersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KeyPerson

    village = None
    name = factory.Sequence(lambda n: f"重点{n}")
    id_number = factory.Sequence(lambda n: valid_id(n))
    gender = "male"
    phone = factory.Sequence(lambda n: f"139{n:08d}")
    household_address = factory.LazyAttribute(lambda o: f"{o.village.name}1号")
    category = KeyPerson.Category.RECORD


class RelativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Relative

    name = "亲属甲"
    relation = "母亲"
    phone = factory.Sequence(lambda n: f"137{n:08d}")


class MeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measure

    kind = Measure.Kind.VISIT
    done_on = factory.LazyFunction(dt.date.today)
    done_by = factory.SubFactory(UserFactory)
    content = "上门走访,讲解政策。"


class AbroadCaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AbroadCase

    country = "缅甸"
    since = dt.date(2021, 6, 1)


class PremisesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Premises

    village = None
    kind = Premises.Kind.RENTAL
    name = factory.Sequence(lambda n: f"出租楼{n}")
    address = factory.LazyAttribute(lambda o: f"{o.village.name}{o.name}")
    manager_phone = factory.Sequence(lambda n: f"136{n:08d}")


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    label = factory.Sequence(lambda n: f"{100 + n}")


class SweepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sweep

    village = None
    done_on = dt.date(2022, 1, 10)
    team = "网格员、民警"
    created_by = factory.SubFactory(UserFactory)


class RectificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rectification

    village = None
    source = Rectification.Source.JOINT_OFFICE
    target = factory.Sequence(lambda n: f"整治对象{n}")
    actions = "联合检查"
    opened_on = dt.date(2022, 1, 5)


class IncidentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Incident

    site = factory.SubFactory(SiteFactory)
    kind = Incident.Kind.VICTIM
    occurred_on = dt.date(2022, 1, 15)
    amount_lost = 5000
    fraud_type = Incident.FraudType.BRUSHING
    summary = "刷单返利被骗。"
    entered_by = factory.SubFactory(UserFactory)


class ImportJobFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ImportJob

    ledger = "sites"
    original_name = factory.Sequence(lambda n: f"台账{n}.xlsx")
    sha256 = factory.Sequence(lambda n: f"{n:064x}")
    status = ImportJob.Status.INVALID
    content = b"PK"


def job_in_village(village) -> ImportJob:
    """A job uploaded by a cadre of `village` (only its uploader reaches it)."""
    owner = user_with_role(Role.CADRE, area=village, username=f"uploader_{village.code}")
    return ImportJobFactory(user=owner)
