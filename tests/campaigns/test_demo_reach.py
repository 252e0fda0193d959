"""Demo of issue 10: bulletins with acknowledgements, tip-offs and official install figures; idempotent."""
from campaigns import demo, demo_reach
from campaigns.models import Bulletin, BulletinReceipt, OfficialInstallFigure
from sites import demo as sites_demo
from sites.models import TipOff


def counts():
    return [Bulletin.objects.count(), BulletinReceipt.objects.count(), TipOff.objects.count(),
            OfficialInstallFigure.objects.count()]  # fmt: skip


def test_demo_reach_is_seeded_once_N3_4(db):
    sites_demo.seed()
    demo.seed()
    demo_reach.seed()
    first = counts()
    demo_reach.seed()
    assert counts() == first
    assert first[0] == 3 and first[2] == 4 and first[3] > 0
    assert BulletinReceipt.objects.filter(acknowledged_at__isnull=False).exists()
    assert BulletinReceipt.objects.filter(acknowledged_at__isnull=True).exists()
    assert TipOff.objects.filter(status=TipOff.Status.CLOSED).exists()
