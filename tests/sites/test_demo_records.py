"""Demo key persons, premises, sweeps and incidents: idempotent, synthetic and valid."""
from sites import demo, demo_records
from sites.idcard import parse_id_number
from sites.models import AbroadCase, Incident, KeyPerson, Premises, Sweep, UnitVisit


def test_demo_records_are_idempotent_valid_and_flagged(db):
    demo.seed()
    demo_records.seed()
    counts = [m.objects.count() for m in (KeyPerson, AbroadCase, Premises, Sweep, UnitVisit, Incident)]
    demo_records.seed()
    assert counts == [m.objects.count() for m in (KeyPerson, AbroadCase, Premises, Sweep, UnitVisit, Incident)]
    assert counts[0] >= 80 and counts[1] >= 5 and counts[2] >= 20 and counts[4] >= 200
    assert not KeyPerson.objects.filter(is_demo=False).exists()
    for person in KeyPerson.objects.all()[:40]:
        parse_id_number(person.id_number)
    assert KeyPerson.objects.filter(next_followup_on__isnull=False).exists()
    assert Incident.objects.current().count() >= 5 and Incident.objects.filter(annulled_at__isnull=False).count() == 1
