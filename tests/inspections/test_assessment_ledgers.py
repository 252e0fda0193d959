"""One entry, many ledgers: five sheets from the records already entered; key persons masked; scoped."""
import io

from django.urls import reverse
from openpyxl import load_workbook

from inspections.assessment import services
from inspections.assessment.ledgers import LEDGERS, mask_name
from tests.sites.factories import KeyPersonFactory, SweepFactory

from .assessment_helpers import AS_OF, assessment_world


def test_ledgers_one_click_masked_and_scoped_N6_4(client, world, town_staff, other_town_staff):
    campaign = assessment_world(world)
    person = KeyPersonFactory(village=world.village_a, name="张三丰", id_number="350521199001011234", phone="13912345678")
    KeyPersonFactory(village=world.village_c, name="外镇人员")
    SweepFactory(village=world.village_a)
    run = services.assessment_start(actor=town_staff, campaign=campaign, scope=world.town_x, as_of=AS_OF)
    client.force_login(town_staff)
    response = client.get(reverse("inspections:assessment_ledgers", args=[run.pk]))
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == list(LEDGERS)
    cells = [str(v) for ws in wb for row in ws.iter_rows(values_only=True) for v in row if v is not None]
    text = " ".join(cells)
    assert "张三丰" not in text and "350521199001011234" not in text and "13912345678" not in text
    kp = list(wb["重点人员管控台账"].iter_rows(min_row=2, values_only=True))
    assert len(kp) == 1 and kp[0][1] == mask_name("张三丰") == "张**" and kp[0][3] == person.masked_id
    assert "外镇人员" not in text and "外" not in kp[0][1]
    acts = list(wb["宣传活动台账"].iter_rows(min_row=2, values_only=True))
    assert acts[0][0] == "甲村" and acts[0][-1] == 12  # the lecture with 12 APP installs
    assert len(list(wb["扫楼台账"].iter_rows(min_row=2))) == 1
    insp = list(wb["明察暗访情况表"].iter_rows(min_row=2, values_only=True))
    assert sorted(r[5] for r in insp) == [70.0, 90.0]
    client.force_login(other_town_staff)
    assert client.get(reverse("inspections:assessment_ledgers", args=[run.pk])).status_code == 404


def test_ledger_export_writes_the_access_log_N6_4(client, world, town_staff):
    """The masked 重点人员管控台账 is an export of key persons: one AccessLog row per person, like the other exports."""
    from sites.models import AccessLog

    campaign = assessment_world(world)
    person = KeyPersonFactory(village=world.village_a, name="张三丰")
    KeyPersonFactory(village=world.village_c, name="外镇人员")  # outside the run's scope: neither exported nor logged
    run = services.assessment_start(actor=town_staff, campaign=campaign, scope=world.town_x, as_of=AS_OF)
    client.force_login(town_staff)
    assert client.get(reverse("inspections:assessment_ledgers", args=[run.pk]), REMOTE_ADDR="10.1.2.3").status_code == 200
    logs = list(AccessLog.objects.all())
    assert [(x.user, x.person, x.action, x.village_code, x.ip) for x in logs] == [
        (town_staff, person, AccessLog.Action.EXPORT, world.village_a.code, "10.1.2.3")]
    assert "一键生成台账" in logs[0].reason and str(run.pk) in logs[0].reason


def test_ledger_without_export_permission_lists_and_logs_no_one_N6_4(world, town_staff):
    from django.contrib.auth.models import Permission

    from inspections.assessment.ledgers import build_ledgers
    from sites.models import AccessLog

    campaign = assessment_world(world)
    KeyPersonFactory(village=world.village_a, name="张三丰")
    run = services.assessment_start(actor=town_staff, campaign=campaign, scope=world.town_x, as_of=AS_OF)
    for group in town_staff.groups.all():
        group.permissions.remove(Permission.objects.get(codename="export_keyperson"))
    town_staff = type(town_staff).objects.get(pk=town_staff.pk)  # no cached permissions
    wb = load_workbook(io.BytesIO(build_ledgers(run, town_staff)))
    rows = list(wb["重点人员管控台账"].iter_rows(min_row=2, values_only=True))
    assert len(rows) == 1 and "没有导出重点人员名单的权限" in rows[0][0]
    assert not AccessLog.objects.exists()
