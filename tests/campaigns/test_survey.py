"""Public satisfaction survey (N6.2): no login, CSRF, flood limit per client, no personal data; poster with QR."""
import datetime

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from campaigns.models import Campaign, SurveyResponse
from campaigns.services import enrolment_apply
from campaigns.views.survey import FLOOD_LIMIT

from .factories import CampaignFactory

ANSWER = {"satisfaction": "5", "knows_app": "1", "knows_hotline": "0", "comment": "宣传很到位"}


@pytest.fixture
def enrolment(world):
    cache.clear()
    return enrolment_apply(actor=None, campaign=CampaignFactory(scope=world.town_x), site=world.site_a)


def url(enrolment):
    return f"/campaigns/survey/?t={enrolment.survey_token}"


def test_survey_opens_without_login_on_a_phone_N6_2(client, enrolment):
    page = client.get(url(enrolment))
    assert page.status_code == 200
    body = page.content.decode()
    assert "甲村幸福小区" in body and "满意" in body and 'name="viewport"' in body
    assert "身份证" not in body and 'name="phone"' not in body


def test_answer_is_stored_without_personal_data_N6_2(client, enrolment):
    response = client.post(url(enrolment), ANSWER)
    assert response.status_code == 302 and "done=1" in response.url
    answer = SurveyResponse.objects.get()
    assert (answer.satisfaction, answer.knows_app, answer.knows_hotline) == (5, True, False)
    fields = {f.name for f in SurveyResponse._meta.get_fields()}
    assert not fields & {"ip", "ip_address", "phone", "name", "user", "user_agent"}


def test_survey_requires_csrf_N6_2(enrolment):
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(url(enrolment), ANSWER).status_code == 403
    assert not SurveyResponse.objects.exists()


def test_flood_limit_per_client_N6_2(client, enrolment):
    for _ in range(FLOOD_LIMIT):
        assert client.post(url(enrolment), ANSWER).status_code == 302
    blocked = client.post(url(enrolment), ANSWER)
    assert blocked.status_code == 429 and "提交过于频繁" in blocked.content.decode()
    assert SurveyResponse.objects.count() == FLOOD_LIMIT
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert other.post(url(enrolment), ANSWER).status_code == 302


def test_invalid_answer_and_unknown_code_N6_2(client, enrolment):
    assert client.post(url(enrolment), {**ANSWER, "satisfaction": "9"}).status_code == 400
    assert "扫描创建单位张贴的海报" in client.get("/campaigns/survey/?t=not-a-token").content.decode()
    assert client.post("/campaigns/survey/?t=00000000-0000-0000-0000-000000000000", ANSWER).status_code == 404


def test_closed_campaign_takes_no_answers_N6_2(client, enrolment):
    Campaign.objects.filter(pk=enrolment.campaign_id).update(status=Campaign.Status.CLOSED)
    assert "已结束" in client.post(url(enrolment), ANSWER).content.decode()
    assert not SurveyResponse.objects.exists()


def test_poster_has_an_inline_served_qr_N6_2(enrolment, town_staff, cadre_b, login):
    client = login(town_staff)
    poster = client.get(f"/campaigns/enrolments/{enrolment.pk}/poster/").content.decode()
    assert "size: A4" not in poster and f"/campaigns/enrolments/{enrolment.pk}/qr.svg" in poster
    svg = client.get(f"/campaigns/enrolments/{enrolment.pk}/qr.svg")
    assert svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content and b"<path" in svg.content
    assert login(cadre_b).get(f"/campaigns/enrolments/{enrolment.pk}/qr.svg").status_code == 404


def test_satisfaction_rate_per_village_N6_2(client, enrolment, town_staff, login):
    for score in ("5", "4", "2", "5"):
        cache.clear()
        client.post(url(enrolment), {**ANSWER, "satisfaction": score})
    # Answers count up to the page's date (issue 16): those given today are after 2022-01-10.
    page = login(town_staff).get(f"/campaigns/missing/?campaign={enrolment.campaign_id}&as_of=2022-01-10")
    row = [r for r in page.context["by_village"] if r[1] == "甲村"][0]
    assert (row[3]["n"], row[3]["ok"]) == (0, 0)
    SurveyResponse.objects.update(answered_at=timezone.make_aware(datetime.datetime(2022, 1, 9, 10)))
    page = login(town_staff).get(f"/campaigns/missing/?campaign={enrolment.campaign_id}&as_of=2022-01-10")
    row = [r for r in page.context["by_village"] if r[1] == "甲村"][0]
    assert (row[3]["n"], row[3]["ok"]) == (4, 3)
    assert "75.00%(4份)" in page.content.decode()
