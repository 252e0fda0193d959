"""Sweep coverage (N5.3): pure arithmetic over each unit's latest sweep status; no database.

A unit counts as covered when its latest status is visited or vacant (the team knows who lives
there, or that nobody does). "Nobody home" units go on the revisit list; refused ones are reached
but not covered; units never swept are open.
"""
from dataclasses import dataclass

VISITED, NOBODY, REFUSED, VACANT = "visited", "nobody", "refused", "vacant"


@dataclass(frozen=True)
class Coverage:
    units: int
    visited: int
    vacant: int
    refused: int
    nobody: int
    never: int

    @property
    def covered(self) -> int:
        return self.visited + self.vacant

    @property
    def percent(self) -> int | None:
        """Covered units as a whole percentage, rounded down (so 100 % means every unit)."""
        return None if not self.units else self.covered * 100 // self.units

    def __add__(self, other: "Coverage") -> "Coverage":
        return Coverage(*(getattr(self, f) + getattr(other, f) for f in self.__dataclass_fields__))


EMPTY = Coverage(0, 0, 0, 0, 0, 0)


def coverage(latest_statuses: list[str | None]) -> Coverage:
    """`latest_statuses`: one entry per unit, its latest sweep status or None if never swept."""
    count = {s: 0 for s in (VISITED, NOBODY, REFUSED, VACANT, None)}
    for status in latest_statuses:
        count[status] += 1
    return Coverage(
        units=len(latest_statuses), visited=count[VISITED], vacant=count[VACANT], refused=count[REFUSED],
        nobody=count[NOBODY], never=count[None],
    )  # fmt: skip
