"""Pure rules of fraud-method bulletins (N3.4, N3.5): who a bulletin goes to, and when an
acknowledgement is overdue. Plain data in, plain data out; no database."""
import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class SiteFacts:
    id: int
    kind: str
    village_code: str
    new_hires_this_year: int | None = None
    is_active: bool = True


@dataclass(frozen=True)
class TargetRule:
    """Scope (an area-code prefix), site kinds (empty = every kind) and an optional new-hire floor.

    The new-hire floor applies to enterprises only (N3.5: 新招员工多的企业); a site of another kind is
    targeted by kind alone. An enterprise whose new-hire figure is unknown is not targeted by a floor.
    """

    area_prefix: str
    kinds: frozenset[str] = field(default_factory=frozenset)
    min_new_hires: int | None = None


def is_targeted(rule: TargetRule, site: SiteFacts) -> bool:
    if not site.is_active or not site.village_code.startswith(rule.area_prefix):
        return False
    if rule.kinds and site.kind not in rule.kinds:
        return False
    if rule.min_new_hires and site.kind == "enterprise":
        return (site.new_hires_this_year or 0) >= rule.min_new_hires
    return True


def target_site_ids(rule: TargetRule, sites) -> list[int]:
    """Ids of the sites a bulletin reaches, in the given order."""
    return [s.id for s in sites if is_targeted(rule, s)]


def due_date(published_on: dt.date, due_days: int) -> dt.date:
    return published_on + dt.timedelta(days=due_days)


def is_overdue(published_on: dt.date, due_days: int, acknowledged_on: dt.date | None, today: dt.date) -> bool:
    """Not acknowledged by the end of the due date (published + due_days)."""
    if acknowledged_on is not None:
        return False
    return today > due_date(published_on, due_days)
