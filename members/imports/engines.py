"""The import engines the browser offers (a higher app adds its own in its
AppConfig.ready(): activities registers the meeting records), each with the same interface as the roster
import: run(source, *, user, mode, dry_run, skip_invalid, file_name, progress) →
a result with counts, errors and warnings; its template; its error file."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from ..roster.excel import error_workbook, template_workbook
from ..roster.importer import MODES, import_roster
from ..roster.reader import ColumnsAmbiguous, RosterUnreadable
from .models import ImportKind
from .partners import PARTNER_COLUMNS, PartnerImport, import_partners
from .tree import TREE_COLUMNS, TreeImport, import_tree

Unreadable = RosterUnreadable
Ambiguous = ColumnsAmbiguous


@dataclass(frozen=True)
class Engine:
    kind: str
    run: Callable
    template: Callable
    error_workbook: Callable
    modes: tuple[str, ...]
    template_name: str
    options: tuple[str, ...] = ()  # the job's fields its run() takes too


ENGINES: dict[str, Engine] = {
    ImportKind.ROSTER: Engine(
        ImportKind.ROSTER,
        import_roster,
        template_workbook,
        error_workbook,
        MODES,
        _("roster template.xlsx"),
        ("default_unit", "default_branch", "column_map"),
    ),
    ImportKind.TREE: Engine(
        ImportKind.TREE,
        import_tree,
        lambda: template_workbook(TREE_COLUMNS, "组织架构"),
        error_workbook,
        TreeImport.modes,
        _("organization tree template.xlsx"),
    ),
    ImportKind.PARTNERS: Engine(
        ImportKind.PARTNERS,
        import_partners,
        lambda: template_workbook(PARTNER_COLUMNS, "共建单位"),
        error_workbook,
        PartnerImport.modes,
        _("partners template.xlsx"),
    ),
}
