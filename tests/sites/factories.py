"""Factories of the sites app's import jobs."""
import factory

from sites.models import ImportJob
from sites.roles import Role
from tests.factories import user_with_role


class ImportJobFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ImportJob

    ledger = "sites"
    original_name = factory.Sequence(lambda n: f"台账{n}.xlsx")
    sha256 = factory.Sequence(lambda n: f"{n:064x}")
    status = ImportJob.Status.INVALID
    content = b"PK"


def job_in_village(village) -> ImportJob:
    """A job uploaded by a cadre of `village` (only its uploader reaches it)."""
    owner = user_with_role(Role.CADRE, area=village, username=f"uploader_{village.code}")
    return ImportJobFactory(user=owner)
