"""Finding the village a row names (by name, with the town to tell same-named villages apart, or by code)."""
from collections import defaultdict

from django.db.models import Q

from ..models import Area
from .base import RowError


class VillageLookup:
    """All villages named in a file, loaded in one query, plus those where the actor holds `perm`."""

    def __init__(self, rows: list[dict], actor, perm: str, *, field: str = "village"):
        names = {r[field] for r in rows if r.get(field)}
        codes = {n for n in names if n.isdigit() and len(n) == 12}
        villages = Area.objects.villages().filter(Q(name__in=names) | Q(code__in=codes)).select_related("parent")
        self.by_code = {}
        self.by_name = defaultdict(list)
        for village in villages:
            self.by_code[village.code] = village
            self.by_name[village.name].append(village)
        self.allowed = set(
            Area.objects.where_user_may(actor, perm).filter(pk__in=[v.pk for v in self.by_code.values()])
            .values_list("pk", flat=True)
        ) if actor is not None else {v.pk for v in self.by_code.values()}  # fmt: skip
        self.field = field

    def find(self, values: dict, *, town_field: str = "town") -> Area:
        name = values.get(self.field, "")
        town = values.get(town_field, "")
        candidates = [self.by_code[name]] if name in self.by_code else self.by_name.get(name, [])
        if town:
            candidates = [v for v in candidates if town in (v.parent.name, v.parent.code)]
        if len(candidates) == 1 and candidates[0].pk in self.allowed:
            return candidates[0]
        if len(candidates) > 1:
            raise RowError([(self.field, f"有多个名为“{name}”的村/社区,请同时填写“镇/街道”,或改填 12 位区划代码。")])
        # Out of scope and unknown read the same, so a file cannot probe other villages.
        raise RowError([(self.field, f"“{name}”不是您负责的村/社区(或名称有误)。请填写您负责的村/社区的全称或 12 位区划代码。")])
