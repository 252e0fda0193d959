"""N4.1: villages own their key persons: the village's cadres control, educate and help them; no other village can."""
import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from sites.models import Measure

from .factories import KeyPersonFactory

MEASURES = [("visit", "走访:了解近况,落实管控"), ("talk", "谈话:敲打提醒,不得出租出借两卡"),
            ("education", "教育转化:法治教育,观看警示片"), ("help", "帮扶:协调公益岗位,解决生活困难")]  # fmt: skip


def record(client, person, kind, content):
    day = dt.date.today() - dt.timedelta(days=3)
    return client.post(reverse("sites:measure_create", args=[person.pk]),
                       {"kind": kind, "done_on": day, "content": content, "next_due_on": day + dt.timedelta(days=30)})  # fmt: skip


@pytest.mark.parametrize("kind,content", MEASURES, ids=[k for k, _ in MEASURES])
def test_village_cadre_controls_educates_and_helps_own_key_person_N4_1(login, cadre_a, world, kind, content):
    person = KeyPersonFactory(village=world.village_a, cadre=cadre_a, name="甲村重点人员")
    response = record(login(cadre_a), person, kind, content)
    assert response.status_code == 302
    measure = Measure.objects.get(person=person)
    assert (measure.kind, measure.content, measure.done_by) == (kind, content, cadre_a)
    page = login(cadre_a).get(reverse("sites:keyperson_detail", args=[person.pk])).content.decode()
    assert content in page and Measure.Kind(kind).label in page


@pytest.mark.parametrize("kind,content", MEASURES, ids=[k for k, _ in MEASURES])
def test_other_village_cannot_take_measures_on_a_key_person_N4_1(cadre_a, cadre_b, world, kind, content):
    person = KeyPersonFactory(village=world.village_a, cadre=cadre_a, name="甲村重点人员")
    other = Client()
    other.force_login(cadre_b)
    assert other.get(reverse("sites:keyperson_detail", args=[person.pk])).status_code == 404
    assert record(other, person, kind, content).status_code == 404
    assert not Measure.objects.filter(person=person).exists()


def test_each_village_lists_only_its_own_key_persons_N4_1(login, cadre_a, cadre_b, world):
    KeyPersonFactory(village=world.village_a, cadre=cadre_a, name="甲村的人")
    KeyPersonFactory(village=world.village_b, cadre=cadre_b, name="乙村的人")
    page_a = login(cadre_a).get(reverse("sites:keyperson_list")).content.decode()
    assert "甲村的人" in page_a and "乙村的人" not in page_a
    page_b = login(cadre_b).get(reverse("sites:keyperson_list")).content.decode()
    assert "乙村的人" in page_b and "甲村的人" not in page_b
