"""Scope-crawl registry of the sites app (see tests/scope_registry.py)."""
from sites.models import (
    AbroadCase, ApiToken, Area, ImportJob, Incident, KeyPerson, Premises, Rectification, Relative, Site, Sweep,
)  # fmt: skip
from sites.roles import Role
from tests.factories import SiteFactory, user_with_role

from .factories import (
    AbroadCaseFactory, IncidentFactory, KeyPersonFactory, PremisesFactory, RectificationFactory, RelativeFactory,
    SweepFactory, job_in_village,
)  # fmt: skip

from .factories import job_in_village

def _sweep(village):
    """A sweep over one premises of its village (as the service records them)."""
    sweep = SweepFactory(village=village)
    sweep.premises.set([PremisesFactory(village=village)])
    return sweep


OBJECT_IN_VILLAGE = {
    Site: lambda village: SiteFactory(village=village, name=f"{village.name}的单位"),
    Area: lambda village: village,
    ApiToken: lambda village: ApiToken.objects.create(
        user=user_with_role(Role.CADRE, area=village, username=f"cadre_{village.code}"),
        name="对接", prefix="abcd1234", hashed_key=f"{village.code:0>64}",
    ),
    KeyPerson: lambda village: KeyPersonFactory(village=village, name=f"{village.name}的人"),
    Relative: lambda village: RelativeFactory(person=KeyPersonFactory(village=village)),
    AbroadCase: lambda village: AbroadCaseFactory(person=KeyPersonFactory(village=village)),
    Premises: lambda village: PremisesFactory(village=village),
    Sweep: lambda village: _sweep(village),
    Rectification: lambda village: RectificationFactory(village=village),
    Incident: lambda village: IncidentFactory(site=SiteFactory(village=village)),
    ImportJob: job_in_village,
}


def _tip(village):
    from sites.models import TipOff

    return TipOff.objects.create(kind=TipOff.Kind.DEN, what=f"{village.name}的可疑出租屋", village=village)


from sites.models import TipOff  # noqa: E402

OBJECT_IN_VILLAGE[TipOff] = _tip
PUBLIC_URL_NAMES: set[str] = {"login", "sites:tipoff_create", "sites:tipoff_status"}


def _reminder(village):
    """A reminder of a cadre of that village: only its owner reaches it (issue 8)."""
    from sites.models import Reminder

    owner = user_with_role(Role.CADRE, area=village, username=f"reminded_{village.code}")
    return Reminder.objects.create(user=owner, kind=Reminder.Kind.KEYPERSON, key=f"kp:{village.code}",
                                   title=f"{village.name}的提醒", url="/")  # fmt: skip


from sites.models import Reminder  # noqa: E402

OBJECT_IN_VILLAGE[Reminder] = _reminder
