"""The 三无 rule (N1): a site holds 三无 over a period when no current incident of any of the three
kinds falls inside it. Pure function over plain data; versioned so old results stay explainable.

- N1.a no telecom-fraud victim case   (kind "victim")
- N1.b no telecom-fraud suspect       (kind "suspect")
- N1.c no fraud den                   (kind "den")
Annulled incidents never count; the period includes both ends.
"""
import datetime as dt
from dataclasses import dataclass, field

RULE_VERSION = "sanwu-2022.1"

CRITERIA = {"victim": ("N1.a", "无电诈被骗案件"), "suspect": ("N1.b", "无电诈犯罪嫌疑人"), "den": ("N1.c", "无电诈窝点")}


@dataclass(frozen=True)
class IncidentFact:
    id: int
    kind: str
    occurred_on: dt.date
    annulled: bool = False
    label: str = ""


@dataclass(frozen=True)
class Criterion:
    code: str
    label: str
    holds: bool
    deciding: tuple[IncidentFact, ...]


@dataclass(frozen=True)
class SanwuResult:
    holds: bool
    criteria: tuple[Criterion, ...]
    version: str = RULE_VERSION
    deciding: tuple[IncidentFact, ...] = field(default=())

    @property
    def broken_codes(self) -> list[str]:
        return [c.code for c in self.criteria if not c.holds]


# What every site without incidents gets (immutable, so shared): most sites of a county, 6,000 per compile.
NO_INCIDENTS = SanwuResult(holds=True, criteria=tuple(Criterion(code, label, True, ()) for code, label in CRITERIA.values()))


def evaluate(incidents, starts_on: dt.date, ends_on: dt.date) -> SanwuResult:
    """三无 status of one site over [starts_on, ends_on], with the incidents that decided it."""
    if not incidents:
        return NO_INCIDENTS
    counted = [
        i for i in incidents if not i.annulled and starts_on <= i.occurred_on <= ends_on and i.kind in CRITERIA
    ]
    criteria = []
    for kind, (code, label) in CRITERIA.items():
        deciding = tuple(sorted((i for i in counted if i.kind == kind), key=lambda i: (i.occurred_on, i.id)))
        criteria.append(Criterion(code=code, label=label, holds=not deciding, deciding=deciding))
    deciding = tuple(i for c in criteria for i in c.deciding)
    return SanwuResult(holds=not deciding, criteria=tuple(criteria), deciding=deciding)
