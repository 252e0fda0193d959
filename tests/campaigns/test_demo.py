"""The Dongqiao demo campaign: realistic records spread over the period; running the seed twice changes nothing."""
from datetime import date

from campaigns import demo
from campaigns.models import Activity, Campaign, Enrolment, EnterpriseVisit, SurveyResponse, VillageDuty
from campaigns.obligation_data import obligation_status
from sites import demo as sites_demo
from sites.models import Site


def counts():
    return [m.objects.count() for m in (Campaign, Enrolment, Activity, EnterpriseVisit, VillageDuty, SurveyResponse)]


def test_demo_campaign_is_dongqiao_2021_44_and_idempotent_N2(db):
    sites_demo.seed()
    campaign = demo.seed()
    first = counts()
    demo.seed()
    assert counts() == first
    assert (campaign.document_no, campaign.scope.name, campaign.starts_on, campaign.ends_on) == (
        "惠东桥政〔2021〕44号", "东桥镇", date(2021, 11, 17), date(2022, 3, 31)
    )
    dates = Activity.objects.filter(campaign=campaign).values_list("date", flat=True)
    assert len(dates) > 300 and min(dates) < date(2021, 12, 1) and max(dates) > date(2022, 3, 1)
    assert set(Activity.objects.values_list("channel", flat=True)) >= {"door", "wechat", "film", "event", "lecture"}
    assert SurveyResponse.objects.count() > 50 and not Activity.objects.filter(is_demo=False).exists()
    items = obligation_status(campaign, Site.objects.all(), date(2022, 4, 30))
    statuses = {o.status for o in items}
    assert {"done", "missing"} <= statuses  # the demo leaves some gaps to find
