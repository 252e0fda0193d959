"""What a ledger declares to be imported and exported: its columns, how a row becomes a record, how it is saved.

A ledger is a small class: `columns` (Chinese headers, kinds, choices, help), `natural_key`, and
three methods — `prepare` (bulk look-ups for all rows at once), `plan` (one row → a record and
whether it is created, updated or unchanged, or `RowError`s) and `save` (calls the app's service).
The engine (`engine.py`) does the rest: templates, parsing, every error in Chinese, all-or-nothing.
"""
import abc
import datetime as dt
import functools
import re
from dataclasses import dataclass, field
from typing import Any, ClassVar

from wuzha.lib import cells


PARSERS = {
    "int": cells.parse_int,
    "decimal": cells.parse_decimal,
    "date": cells.parse_date,
    "bool": cells.parse_bool,
    "phone": cells.parse_phone,
    "id_number": cells.parse_id_number,
}


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")


@functools.cache
def _choice_lookup(choices: tuple[tuple[str, str], ...]) -> dict[str, str]:
    """Label or stored value → stored value, first match winning as in `cells.parse_choice`."""
    lookup = {}
    for stored, label in choices:
        lookup.setdefault(str(label), str(stored))
        lookup.setdefault(str(stored), str(stored))
    lookup.pop("", None)
    return lookup


@dataclass(frozen=True)
class Column:
    field: str
    header: str
    kind: str = "text"  # text | int | decimal | date | choice | bool | phone | id_number
    required: bool = False
    choices: tuple[tuple[str, str], ...] = ()
    help: str = ""
    example: Any = ""
    aliases: tuple[str, ...] = ()
    max_length: int | None = None
    sensitive: bool = False  # personal data: masked in error reports (which are stored with the job)

    @property
    def is_text_format(self) -> bool:
        """Columns the template formats as text, so Excel keeps leading zeros and all 18 ID digits."""
        return self.kind in ("phone", "id_number", "text")

    def parse(self, raw):
        kind = self.kind
        if kind == "text":
            value = cells.clean_text(raw)
        elif kind == "choice":
            value = _choice_lookup(self.choices).get(cells.clean_text(raw))
            if value is None:
                value = cells.parse_choice(raw, list(self.choices))  # '' for an empty cell, else the error
        elif kind == "date" and type(raw) is str and _ISO_DATE.match(raw):
            try:
                value = dt.date.fromisoformat(raw)  # the common case, without the general parser's regexes
            except ValueError:
                value = cells.parse_date(raw)  # says which date does not exist
        else:
            value = PARSERS[kind](raw)
        if self.required and value in (None, ""):
            raise cells.CellError(f"“{self.header}”必须填写。")
        if self.max_length and isinstance(value, str) and len(value) > self.max_length:
            raise cells.CellError(f"最多 {self.max_length} 个字,现有 {len(value)} 个。")
        return value

    def parser(self):
        """`parse` specialised once for this column (the engine calls it for every cell of a file)."""
        if self.kind == "text" and not self.required and not self.max_length:
            return cells.clean_text
        if self.kind == "int" and not self.required:
            return cells.parse_int
        return self.parse

    def names(self) -> set[str]:
        return {cells.normalise_header(n) for n in (self.header, self.field, *self.aliases)}


class RowError(Exception):
    """One or more problems with a row: [(field or None, what to fix)]."""

    def __init__(self, problems: list[tuple[str | None, str]]):
        super().__init__("; ".join(p for _, p in problems))
        self.problems = problems


@dataclass
class Planned:
    """What importing one row will do."""

    row: int
    action: str  # "create" | "update" | "unchanged"
    label: Any  # what the preview shows: a string, or a callable making it (only the first rows are shown)
    obj: Any = None
    extra: dict = field(default_factory=dict)


ACTION_LABELS = {"create": "新增", "update": "更新", "unchanged": "无变化"}


class Ledger(abc.ABC):
    key: ClassVar[str]
    title: ClassVar[str]
    columns: ClassVar[tuple[Column, ...]]
    natural_key: ClassVar[tuple[str, ...]]
    instructions: ClassVar[tuple[str, ...]] = ()
    import_permission: ClassVar[str]  # the user must hold it somewhere to import at all
    export_permission: ClassVar[str]
    # The model whose personal fields (sites.masking.MASKED_FIELDS) the export carries, masked as on its page.
    masked_model: ClassVar[str | None] = None

    def prepare(self, rows: list[dict], actor) -> Any:
        """Bulk look-ups for all valid rows (a handful of queries, never one per row)."""
        return None

    @abc.abstractmethod
    def plan(self, values: dict, ctx, actor) -> Planned:
        """One row (its cells parsed) → what importing it will do, or `RowError` listing every problem."""

    @abc.abstractmethod
    def save(self, *, actor, planned: Planned) -> None:
        """Write one planned row through the app's service (a ledger may add `save_batch` for a whole chunk)."""

    @abc.abstractmethod
    def export_rows(self, user, params):
        """The rows (lists of cells in column order) of what `user` sees under the list filters `params`, streamed."""

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.field == name)


class Registry:
    """The ledgers that can be imported and exported, by key. Apps register theirs in AppConfig.ready."""

    def __init__(self):
        self._ledgers: dict[str, Ledger] = {}

    def register(self, ledger: Ledger) -> Ledger:
        self._ledgers[ledger.key] = ledger
        return ledger

    def get(self, key: str) -> Ledger | None:
        return self._ledgers.get(key)

    def all(self) -> list[Ledger]:
        return list(self._ledgers.values())


registry = Registry()
