"""Assessment runs and village figures through the API: staff see runs; village roles see published results only."""
import pytest

from inspections.models import AssessmentVillageResult
from tests.inspections.scope import _run


@pytest.fixture
def results(world):
    unpublished = AssessmentVillageResult.objects.create(
        run=_run(world.village_a, published=False), village=world.village_a, score=70, rank=2, data={})
    published = AssessmentVillageResult.objects.create(
        run=_run(world.village_a, published=True), village=world.village_a, score=88, rank=1, data={})
    return unpublished, published


def ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_cadre_reads_only_published_results_of_own_village_N6_4(client, cadre_a, cadre_b, results):
    unpublished, published = results
    client.force_login(cadre_a)
    assert ids(client.get("/api/v1/assessment-results/")) == {published.pk}
    assert client.get(f"/api/v1/assessment-results/{unpublished.pk}/").status_code == 404
    assert client.get("/api/v1/assessment-runs/").status_code == 403  # runs are for staff with the right
    client.force_login(cadre_b)
    assert ids(client.get("/api/v1/assessment-results/")) == set()


def test_town_staff_read_runs_and_every_result_in_scope_N6_4(client, town_staff, other_town_staff, results):
    client.force_login(town_staff)
    assert ids(client.get("/api/v1/assessment-results/")) == {r.pk for r in results}
    assert {r.run_id for r in results} <= ids(client.get("/api/v1/assessment-runs/"))
    client.force_login(other_town_staff)
    assert ids(client.get("/api/v1/assessment-results/")) == set()


def test_run_tells_whether_its_pdf_is_ready_N6_4(client, town_staff, results):
    """The PDF follows the run in its own task; API clients poll `pdf_status` before fetching it."""
    run = results[1].run
    run.pdf_status = "pending"
    run.save(update_fields=["pdf_status"])
    client.force_login(town_staff)
    row = client.get(f"/api/v1/assessment-runs/{run.pk}/").json()
    assert row["pdf_status"] == "pending"
