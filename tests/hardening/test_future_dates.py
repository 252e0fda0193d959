"""Dates in the future are refused by one validator (wuzha/lib/validators.py `not_in_future`, “日期不能晚于今天”)
on every record that describes something that happened (issue 18).

Generated over every model's date fields: each is either listed as a record of something that happened (and then
carries the validator) or as a plan, a deadline or a period (and then does not).
"""
import datetime as dt

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone

from wuzha.lib.validators import FUTURE_MESSAGE, not_in_future

HAPPENED = {
    "sites.measure.done_on", "sites.persuasionattempt.done_on", "sites.abroadcase.since",
    "sites.abroadcase.returned_on", "sites.sweep.done_on", "sites.rectification.opened_on",
    "sites.rectification.closed_on", "sites.incident.occurred_on", "sites.tipoff.happened_on",
    "campaigns.activity.date", "campaigns.enrolment.applied_on", "campaigns.enterprisevisit.visited_on",
    "campaigns.villageduty.done_on", "inspections.inspection.inspected_on",
}  # fmt: skip
NOT_HAPPENED = {  # plans, deadlines, periods, statistics dates and dates asked for
    "sites.keyperson.next_followup_on", "sites.measure.next_due_on", "sites.rectification.due_on",
    "sites.reminder.due_on", "campaigns.campaign.starts_on", "campaigns.campaign.ends_on",
    "campaigns.campaign.assessment_on", "campaigns.campaign.report_issued_on", "campaigns.officialinstallfigure.as_of",
    "inspections.rectification.deadline", "inspections.assessmentrun.as_of", "inspections.inspectionplan.starts_on",
    "inspections.inspectionplan.ends_on",
}  # fmt: skip


APPS = ("sites", "campaigns", "inspections")


def date_fields():
    for model in apps.get_models():
        if model._meta.app_label not in APPS or model.__name__.startswith("Historical"):
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
                yield f"{model._meta.label_lower}.{field.name}", field


@pytest.mark.parametrize("name,field", list(date_fields()), ids=[n for n, _ in date_fields()])
def test_every_record_of_what_happened_refuses_a_future_date(name, field):
    assert name in HAPPENED | NOT_HAPPENED, f"{name}: a new date field; list it in HAPPENED or NOT_HAPPENED"
    assert (not_in_future in field.validators) == (name in HAPPENED), name


def test_the_validator_takes_today_in_china_and_refuses_tomorrow():
    today = timezone.localdate()
    not_in_future(today)
    not_in_future(None)
    with pytest.raises(ValidationError) as refused:
        not_in_future(today + dt.timedelta(days=1))
    assert refused.value.messages == [FUTURE_MESSAGE] == ["日期不能晚于今天"]


def test_measure_and_sweep_pages_refuse_tomorrow_N4_2(login, cadre_a, world):
    from sites.models import Measure, Premises, Sweep
    from tests.sites.factories import KeyPersonFactory

    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    client = login(cadre_a)
    person = KeyPersonFactory(village=world.village_a)
    body = client.post(reverse("sites:measure_create", args=[person.pk]),
                       {"kind": "visit", "done_on": tomorrow, "content": "走访"}).content.decode()  # fmt: skip
    assert FUTURE_MESSAGE in body and not Measure.objects.exists()
    premises = Premises.objects.create(village=world.village_a, kind="rental", name="未来楼", address="甲村 2 号")
    sweep = {"village": world.village_a.pk, "done_on": tomorrow, "team": "网格员陈", "premises": [premises.pk]}
    body = client.post(reverse("sites:sweep_create"), sweep).content.decode()
    assert FUTURE_MESSAGE in body and not Sweep.objects.exists()
