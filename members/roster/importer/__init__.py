"""The roster import: read, validate in memory against pre-loaded lookups, write
set-based, and record one history event. All-or-nothing unless asked otherwise.

`mappings` (what the cells mean), `result` (issues and counts, shared with the other
engines), `rows` (a row read and checked), `writer` (the writer thread), `pipeline`
(the run: batches, lookups, modes)."""

from .mappings import FIELDS, GOVERNED_BY, MODES  # noqa: F401
from .pipeline import RosterImport, import_roster  # noqa: F401
from .result import ImportResult, Issue  # noqa: F401
from .rows import Row  # noqa: F401
