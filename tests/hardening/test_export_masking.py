"""Exports mask like pages (issue 18): one rule (sites.masking) for pages, exports, the API and reports.

Generated: every registered ledger's export is walked, and so is every list page with `?export=xlsx`. No export
holds a plain ID number or phone; each exported column of a personal field holds exactly what the record's page
shows (and the API gives) for it.
"""
import io
import itertools

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from sites.imports import registry
from sites.masking import MASKED_FIELDS, mask, masked
from sites.models import Premises, TipOff
from tests.factories import UserFactory
from tests.sites.factories import KeyPersonFactory, RelativeFactory, valid_id
from tests.test_scope_crawl import ROUTES, url_for

SECRETS = {"id": valid_id(401), "phone": "13922220401", "alt": "13922220402", "relative": "13922220403",
           "manager": "13922220404", "tip": "13922220405"}  # fmt: skip


@pytest.fixture
def records(world):
    person = KeyPersonFactory(village=world.village_a, name="脱敏检查人", id_number=SECRETS["id"],
                              phone=SECRETS["phone"], phone_alt=SECRETS["alt"])  # fmt: skip
    RelativeFactory(person=person, phone=SECRETS["relative"])
    premises = Premises.objects.create(village=world.village_a, kind="rental", name="脱敏检查楼", address="甲村 1 号",
                                       manager_name="房东甲", manager_phone=SECRETS["manager"])  # fmt: skip
    TipOff.objects.create(kind="den", what="可疑", village=world.village_a, contact_name="钱某",
                          contact_phone=SECRETS["tip"])  # fmt: skip
    return {"sites.keyperson": person, "sites.premises": premises}


@pytest.fixture
def admin(db):
    return UserFactory(username="mask_admin", is_superuser=True, is_staff=True)


def ledger_model(ledger) -> str | None:
    """The model whose personal fields this ledger's columns carry (None: it declares none, and must hold none)."""
    label = ledger.masked_model
    if label is not None:
        assert {c.field for c in ledger.columns} & set(MASKED_FIELDS[label]), ledger.key
    return label


def export(ledger, user):
    kwargs = {"reason": "核对脱敏"} if getattr(ledger, "export_needs_reason", False) else {}
    return [["" if v is None else str(v) for v in row] for row in ledger.export_rows(user, {}, **kwargs)]


def assert_no_secret(cells, where):
    text = " ".join(cells)
    leaked = [value for value in SECRETS.values() if value in text] + [
        SECRETS["id"][6:14]] * (SECRETS["id"][6:14] in text)  # the birth date alone is personal too
    assert not leaked, f"{where} holds {leaked}"


@pytest.mark.parametrize("ledger", registry.all(), ids=lambda ledger: ledger.key)
def test_every_ledger_export_masks_like_the_page_N4_2(ledger, records, admin, client):
    rows = export(ledger, admin)
    assert_no_secret(itertools.chain.from_iterable(rows), f"the {ledger.key} export")
    label = ledger_model(ledger)
    if label is None:
        return
    obj = records[label]
    row = next(r for r in rows if obj.name in r)
    client.force_login(admin)
    page = client.get(obj.get_absolute_url()).content.decode()
    compared = 0
    for index, column in enumerate(ledger.columns):
        kind = MASKED_FIELDS[label].get(column.field)
        if kind is None or not getattr(obj, column.field):
            continue
        shown = masked(obj, column.field)
        assert row[index] == shown, f"{ledger.key}.{column.field}: export {row[index]!r}, rule {shown!r}"
        assert shown in page and getattr(obj, column.field) not in page, f"the page of {label} differs"
        compared += 1
    assert compared == len([f for f in MASKED_FIELDS[label] if getattr(obj, f)])


XLSX_LISTS = [(name, kinds) for name, pattern, kinds in ROUTES
              if not kinds and hasattr(getattr(pattern.callback, "view_class", None), "export_columns")]  # fmt: skip


@pytest.mark.parametrize("name,kinds", XLSX_LISTS, ids=[n for n, _ in XLSX_LISTS])
def test_every_list_export_holds_no_plain_personal_value_N4_2(name, kinds, records, admin, client):
    client.force_login(admin)
    response = client.get(url_for(name, kinds) + "?export=xlsx")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    assert_no_secret(["" if v is None else str(v) for row in sheet.iter_rows(values_only=True) for v in row], name)


def test_api_masks_by_the_same_rule_N4_2(records, admin, client):
    client.force_login(admin)
    person, premises = records["sites.keyperson"], records["sites.premises"]
    body = client.get(reverse("api:keyperson-detail", args=[person.pk])).json()
    for field in ("id_number", "phone", "phone_alt"):
        assert body[field] == masked(person, field)
    body = client.get(reverse("api:premises-detail", args=[premises.pk])).json()
    assert body["manager_phone"] == masked(premises, "manager_phone") == mask(SECRETS["manager"], "phone")


def test_masked_premises_export_imports_back_without_touching_the_phone_N5_1(records, world, cadre_a):
    from tests.sites.ledger_kit import dry_run, export_xlsx

    ledger = registry.get("premises")
    result = dry_run(ledger, export_xlsx(ledger, cadre_a), cadre_a)
    assert result.errors == [] and result.counts["update"] == 0
    premises = records["sites.premises"]
    premises.refresh_from_db()
    assert premises.manager_phone == SECRETS["manager"]
