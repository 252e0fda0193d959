"""The 16–60 population of a site (the install-rate base a campaign may choose, N3.3): entered on the site form,
carried by the site ledger's import and export and by the API, kept only for villages and communities."""
from django.urls import reverse

from sites.imports import registry
from sites.models import Site
from sites.resources import SiteResource

from .import_files import xlsx
from .ledger_kit import export_xlsx, import_file, read_export

SITES = registry.get("sites")
HEADER = "16–60岁常住人口"


def test_site_form_round_trips_the_16_60_population_N3_3(login, town_staff, world):
    client = login(town_staff)
    response = client.post(reverse("sites:site_create"), {
        "village": world.village_a.pk, "kind": "village", "name": "甲村村委会", "households": 400, "residents": 1300,
        "residents_16_60": 820,
    })  # fmt: skip
    site = Site.objects.get(name="甲村村委会")
    assert response.status_code == 302 and site.residents_16_60 == 820
    form = client.get(reverse("sites:site_update", args=[site.pk]))
    assert form.context["form"]["residents_16_60"].value() == 820
    assert HEADER in form.content.decode()
    assert HEADER in client.get(site.get_absolute_url()).content.decode()
    response = client.post(reverse("sites:site_update", args=[site.pk]), {
        "village": world.village_a.pk, "kind": "village", "name": "甲村村委会", "residents_16_60": 790,
        "version": site.version,
    })  # fmt: skip
    site.refresh_from_db()
    assert response.status_code == 302 and site.residents_16_60 == 790
    # Not a size of an enterprise: dropped like the other fields of other kinds.
    client.post(reverse("sites:site_create"), {"village": world.village_a.pk, "kind": "enterprise", "name": "甲村厂",
                                                "employees": 50, "residents_16_60": 40})  # fmt: skip
    assert Site.objects.get(name="甲村厂").residents_16_60 is None


def test_site_ledger_imports_and_exports_the_16_60_population_N3_3(world, town_staff):
    data = xlsx([["所属村/社区", "名称", "类型", "常住人口", HEADER], ["甲村", "甲村二期", "小区", 900, 610]])
    import_file(SITES, data, town_staff)
    assert Site.objects.get(name="甲村二期").residents_16_60 == 610
    exported = read_export(export_xlsx(SITES, town_staff))
    column = exported[0].index(HEADER)
    assert {r[exported[0].index("名称")]: r[column] for r in exported[1:]}["甲村二期"] == 610
    # The export imports back unchanged; a hand-made sheet may spell the header with a hyphen.
    import_file(SITES, export_xlsx(SITES, town_staff), town_staff)
    assert Site.objects.get(name="甲村二期").residents_16_60 == 610
    import_file(SITES, xlsx([["所属村/社区", "名称", "类型", "16-60岁常住人口"], ["甲村", "甲村二期", "小区", 640]]),
                town_staff)  # fmt: skip
    assert Site.objects.get(name="甲村二期").residents_16_60 == 640
    # The admin's export (django-import-export) has the same column.
    dataset = SiteResource().export()
    row = dict(zip(dataset.headers, next(r for r in dataset if "甲村二期" in r)))
    assert row[HEADER] == "640"  # cells are escaped as text


def test_site_api_reads_and_writes_the_16_60_population_N3_3(world, town_staff):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(town_staff)
    response = api.post(reverse("api:site-list"), {"kind": "community", "name": "甲村三期", "residents": 500,
                                                   "residents_16_60": 330, "village": world.village_a.pk}, format="json")  # fmt: skip
    assert response.status_code == 201, response.content
    assert response.json()["residents_16_60"] == 330 and Site.objects.get(name="甲村三期").residents_16_60 == 330
