"""Evidence photos: real image type, size limit, extension vs content, EXIF kept, thumbnail, duplicate flag."""
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from wuzha.lib import photos
from campaigns.models import Activity
from campaigns.photos import dhash, hamming, inspect_upload
from campaigns.services import activity_record

from .factories import ActivityFactory, CampaignFactory, image_bytes


def upload(name, data, content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def test_non_image_is_refused_in_chinese_N3_1():
    with pytest.raises(ValidationError, match="不是有效的图片文件"):
        inspect_upload(upload("evil.jpg", b"%PDF-1.4 not a photo"))


def test_truncated_image_is_refused_N3_1():
    with pytest.raises(ValidationError, match="不是有效的图片文件"):
        inspect_upload(upload("cut.jpg", image_bytes()[:200]))


def test_oversized_file_is_refused_N3_1(monkeypatch):
    monkeypatch.setattr(photos, "MAX_BYTES", 1000)
    with pytest.raises(ValidationError, match="超过"):
        inspect_upload(upload("big.png", image_bytes("PNG", size=(200, 200), pattern=3), "image/png"))


def test_wrong_extension_is_refused_N3_1():
    with pytest.raises(ValidationError, match="扩展名与内容不符"):
        inspect_upload(upload("photo.jpg", image_bytes("PNG"), "image/png"))


def test_unsupported_format_is_refused_N3_1():
    import io

    buffer = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, "GIF")
    with pytest.raises(ValidationError, match="不支持"):
        inspect_upload(upload("a.gif", buffer.getvalue(), "image/gif"))


def test_exif_time_is_kept_and_thumbnail_made_N3_1():
    info = inspect_upload(upload("ok.jpeg", image_bytes(size=(800, 600), exif_date="2021:12:01 10:30:00")))
    assert info.taken_at.isoformat() == "2021-12-01T10:30:00"
    assert (info.width, info.height) == (800, 600)
    thumb = Image.open(__import__("io").BytesIO(info.thumbnail))
    assert max(thumb.size) <= 320


def test_dhash_is_stable_under_resizing_and_differs_between_photos():
    a = Image.open(__import__("io").BytesIO(image_bytes("PNG", size=(90, 80), pattern=1)))
    b = a.resize((300, 260))
    c = Image.open(__import__("io").BytesIO(image_bytes("PNG", size=(90, 80), pattern=5)))
    assert len(dhash(a)) == 16
    assert hamming(dhash(a), dhash(b)) <= 3
    assert hamming(dhash(a), dhash(c)) > 3


@pytest.fixture
def campaign(world):
    return CampaignFactory(scope=world.town_x)


def test_photo_reused_on_another_record_is_flagged_N3_1(world, campaign, cadre_a):
    data = image_bytes(size=(120, 90), pattern=2)
    first = ActivityFactory(campaign=campaign, site=world.site_a)
    activity_record(actor=cadre_a, activity=first, photos=[upload("a.jpg", data)])
    assert not Activity.objects.get(pk=first.pk).flag_duplicate_photo
    second = ActivityFactory.build(campaign=campaign, site=world.site_a, village=world.village_a, date=date(2021, 12, 5))
    activity_record(actor=cadre_a, activity=second, photos=[upload("b.jpg", data)])
    second.refresh_from_db()
    assert second.flag_duplicate_photo
    assert second.photos.get().duplicate_of.activity_id == first.pk
    third = ActivityFactory.build(campaign=campaign, site=world.site_a, village=world.village_a, date=date(2021, 12, 6))
    activity_record(actor=cadre_a, activity=third, photos=[upload("c.jpg", image_bytes(size=(120, 90), pattern=6))])
    assert not Activity.objects.get(pk=third.pk).flag_duplicate_photo


def test_photo_taken_far_from_the_activity_date_is_flagged_N3_1(world, campaign, cadre_a):
    activity = ActivityFactory.build(campaign=campaign, site=world.site_a, village=world.village_a, date=date(2021, 12, 1))
    activity_record(actor=cadre_a, activity=activity, photos=[upload("x.jpg", image_bytes(exif_date="2021:08:01 09:00:00"))])
    activity.refresh_from_db()
    assert activity.flag_exif_mismatch and activity.photos.get().taken_at is not None


def test_entry_long_after_the_activity_is_flagged_not_blocked_N3_1(world, campaign, cadre_a):
    activity = ActivityFactory.build(campaign=campaign, site=world.site_a, village=world.village_a, date=date(2021, 11, 20))
    activity_record(actor=cadre_a, activity=activity)  # today is years after 2021
    assert Activity.objects.get(pk=activity.pk).flag_late_entry


def test_burst_of_entries_is_flagged_N3_1(world, campaign, cadre_a):
    for i in range(10):
        a = ActivityFactory.build(campaign=campaign, site=world.site_a, village=world.village_a, date=date(2021, 12, 1 + i))
        activity_record(actor=cadre_a, activity=a)
    flags = list(Activity.objects.order_by("pk").values_list("flag_burst", flat=True))
    assert flags[:9] == [False] * 9 and flags[9] is True
