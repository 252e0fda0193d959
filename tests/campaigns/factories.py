"""Factories of the campaigns app."""
import datetime as dt
import io
import random

import factory
from PIL import Image

from campaigns.models import Activity, Campaign, Enrolment, EnterpriseVisit, VillageDuty
from tests.factories import AreaFactory

START, END = dt.date(2021, 11, 17), dt.date(2022, 3, 31)


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign

    name = factory.Sequence(lambda n: f"无诈创建活动{n}")
    scope = factory.SubFactory(AreaFactory)
    starts_on = START
    ends_on = END
    assessment_on = END
    status = Campaign.Status.RUNNING


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment

    campaign = factory.SubFactory(CampaignFactory)
    site = None
    applied_on = START


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    campaign = factory.SubFactory(CampaignFactory)
    village = factory.LazyAttribute(lambda o: o.site.village if o.site else None)
    site = None
    date = dt.date(2021, 12, 1)
    channel = Activity.Channel.DOOR_TO_DOOR
    households_visited = 20
    title = factory.Sequence(lambda n: f"入户宣传{n}")


class EnterpriseVisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EnterpriseVisit

    campaign = factory.SubFactory(CampaignFactory)
    site = None
    visited_on = dt.date(2021, 12, 10)
    visitors = "安办 陈建国"
    methods_pushed = "刷单返利类诈骗"


class VillageDutyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VillageDuty

    campaign = factory.SubFactory(CampaignFactory)
    village = None
    kind = VillageDuty.Kind.LAUNCH
    done_on = dt.date(2021, 11, 25)


def image_bytes(fmt="JPEG", size=(64, 48), color=(200, 30, 30), pattern=0, exif_date: str | None = None) -> bytes:
    """A small generated image; `pattern` changes its content (so its perceptual hash) deterministically."""
    rng = random.Random(pattern)
    blocks = Image.new("RGB", (6, 5))
    blocks.putdata([(rng.randrange(256), rng.randrange(256), color[2]) for _ in range(30)])
    img = blocks.resize(size, Image.Resampling.BILINEAR)
    buffer = io.BytesIO()
    kwargs = {}
    if exif_date:
        exif = Image.Exif()
        exif[306] = exif_date
        exif.get_ifd(0x8769)[36867] = exif_date
        kwargs["exif"] = exif
    img.save(buffer, fmt, **kwargs)
    return buffer.getvalue()


def bulletin_in(area, **kwargs):
    """A published bulletin over `area` (a town or county) — receipts are made by the service in tests
    that need them; here a plain row for the scope crawl."""
    from campaigns.models import Bulletin

    defaults = {"title": f"{area.name}的预警通报", "fraud_type": Bulletin.FraudType.BILLING,
                "what_happened": "有人冒充客服。", "how_to_guard": "不点链接,不转账。"}  # fmt: skip
    return Bulletin.objects.create(area=area, **{**defaults, **kwargs})
