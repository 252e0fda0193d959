"""Property: no generated ID number ever shows its digits 7–14 (the birth date), and no full ID or phone
shows at all, on any page or export a role can reach — except the audited full view (N4.2)."""
import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from sites.idcard import make_id_number
from sites.models import AccessLog, KeyPerson

from .factories import AbroadCaseFactory, MeasureFactory, PremisesFactory, RelativeFactory

ids = st.builds(
    make_id_number,
    st.sampled_from(["350521", "350583", "110105"]),
    st.dates(dt.date(1940, 1, 1), dt.date(2008, 12, 31)),
    st.integers(0, 499),
    st.booleans(),
)
phones = st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True)


def pages(person, case, premises, relative):
    pk = person.pk
    gets = [reverse("home"), reverse("sites:keyperson_list"), reverse("sites:keyperson_list") + "?overdue=true",
            reverse("sites:keyperson_home_panel"), person.get_absolute_url(),
            reverse("sites:keyperson_update", args=[pk]), reverse("sites:keyperson_full", args=[pk]),
            reverse("sites:keyperson_close", args=[pk]), reverse("sites:keyperson_annul", args=[pk]),
            reverse("sites:relative_create", args=[pk]), reverse("sites:relative_update", args=[relative.pk]),
            reverse("sites:measure_create", args=[pk]),
            reverse("sites:abroad_edit", args=[pk]), reverse("sites:attempt_create", args=[case.pk]),
            reverse("sites:abroad_list"), reverse("sites:keyperson_export"),
            premises.get_absolute_url(), reverse("sites:premises_list"),
            reverse("sites:premises_update", args=[premises.pk])]  # fmt: skip
    return gets


def admin_pages(person):
    return [reverse("admin:sites_keyperson_changelist"), reverse("admin:sites_keyperson_change", args=[person.pk]),
            reverse("admin:sites_relative_changelist"), reverse("admin:sites_accesslog_changelist"),
            reverse("admin:sites_premises_changelist")]  # fmt: skip


def assert_hidden(body: str, number: str, phone_numbers: list[str], where: str):
    assert number[6:14] not in body, f"{where} shows the birth date digits of {number}"
    assert number not in body and number.lower() not in body, f"{where} shows the full ID"
    for phone in phone_numbers:
        assert phone not in body, f"{where} shows the full phone {phone}"


@pytest.mark.django_db
@settings(
    max_examples=5, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate],  # a failure shows as is
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(number=ids, phone=phones, relative_phone=phones)
def test_no_page_or_export_shows_id_digits_7_to_14_N4_2(
    client, world, cadre_a, town_staff, admin_user, number, phone, relative_phone
):
    # The cadre also holds the full-view right: the masked pages must stay masked for them too.
    cadre_a.user_permissions.add(Permission.objects.get(codename="view_full_pii"))
    with transaction.atomic():
        person = KeyPerson(village=world.village_a, name="性质测试", id_number=number, phone=phone, phone_alt=phone,
                           household_address="甲村", category="abroad", cadre=cadre_a, is_demo=True)  # fmt: skip
        person.gender = "male" if int(number[16]) % 2 else "female"
        person.save()
        relative = RelativeFactory(person=person, phone=relative_phone)
        MeasureFactory(person=person, next_due_on=dt.date.today() - dt.timedelta(days=1), done_on=dt.date(2020, 1, 1))
        KeyPerson.objects.filter(pk=person.pk).update(next_followup_on=dt.date(2020, 1, 2))
        case = AbroadCaseFactory(person=person)
        premises = PremisesFactory(village=world.village_a, manager_phone=relative_phone)
        secrets = [phone, relative_phone]
        for user in (cadre_a, town_staff):
            client.force_login(type(user).objects.get(pk=user.pk))
            urls = pages(person, case, premises, relative)
            if user is town_staff:  # staff read the access log; they lack the full-view right (403 there)
                urls.append(reverse("sites:accesslog_list"))
                urls.remove(reverse("sites:keyperson_full", args=[person.pk]))
            for url in urls:
                response = client.get(url)
                assert response.status_code == 200, url
                assert_hidden(response.content.decode(), number, secrets, f"{url} as {user}")
            export = client.post(reverse("sites:keyperson_export"), {"reason": "性质测试导出"})
            assert_hidden(export.content.decode("utf-8-sig"), number, secrets, f"export as {user}")
            # the lookup redirect and the list it leads to
            found = client.post(reverse("sites:keyperson_lookup"), {"number": number}, follow=True)
            assert "性质测试" in found.content.decode()
            assert_hidden(found.content.decode() + found.redirect_chain[-1][0], number, secrets, "lookup")
        client.force_login(admin_user)
        for url in admin_pages(person):
            response = client.get(url)
            assert response.status_code == 200, url
            assert_hidden(response.content.decode(), number, secrets, f"admin {url}")
        # The audited full view is the one place the number shows, and it leaves a log row.
        client.force_login(type(cadre_a).objects.get(pk=cadre_a.pk))
        before = AccessLog.objects.filter(action="full_view").count()
        full = client.post(reverse("sites:keyperson_full", args=[person.pk]), {"reason": "性质测试核对"})
        assert number in full.content.decode()
        assert AccessLog.objects.filter(action="full_view").count() == before + 1
        transaction.set_rollback(True)
