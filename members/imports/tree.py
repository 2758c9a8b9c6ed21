"""Importing the organization tree: units with their kind, parent and code, written
through the tree service (one lock, full_clean: the rules of DOMAIN.md's tree).

A row's parent is an existing unit (code, name path or unique name) or a unit on an
earlier row of the same file, so a whole township can be listed top-down. Each row
is checked against ALLOWED_PARENT_KINDS: a branch under a township is refused on its
row, with the reason. All-or-nothing unless skip_invalid (then a row whose parent row
was refused is refused too)."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from grids.audit import bulk_change
from grids.models import (
    ALLOWED_PARENT_KINDS,
    OrgUnit,
    UnitKind,
    allowed_parent_labels,
    kind_label,
)
from grids.selectors import scope_of
from grids.services import orgunit_create

from ..roster.columns import Column, normalize_header
from ..roster.importer import ImportResult, Issue
from ..roster.parsing import norm, text
from ..roster.units import UnitLookup
from .sheets import sheet_rows

TREE_COLUMNS: tuple[Column, ...] = (
    Column("name", "名称", ("单位名称", "组织名称", "单位", "组织"), note="必填"),
    Column("kind", "类型", ("单位类型", "组织类型", "层级", "级别"), "choice",
           "镇/网格/社区/村/党支部/党小组", ("镇", "网格", "社区", "村", "党支部", "党小组")),
    Column("parent", "上级", ("上级单位", "上级组织", "所属上级", "上级名称"), "unit",
           "上级的代码、路径（XX镇/第一网格）或名称；可以是本表前面的行"),
    Column("code", "代码", ("单位代码", "统一代码", "组织代码", "编码"), note="选填：统一代码，不能重复"),
)  # fmt: skip
TREE_INDEX = {
    normalize_header(n): c for c in TREE_COLUMNS for n in (c.header, *c.synonyms)
}
KIND_WORDS = {
    "区": UnitKind.DISTRICT, "县": UnitKind.DISTRICT, "区县": UnitKind.DISTRICT,
    "镇": UnitKind.TOWNSHIP, "乡": UnitKind.TOWNSHIP, "街道": UnitKind.TOWNSHIP,
    "乡镇": UnitKind.TOWNSHIP, "镇街": UnitKind.TOWNSHIP,
    "网格": UnitKind.GRID,
    "社区": UnitKind.COMMUNITY, "居委": UnitKind.COMMUNITY, "居委会": UnitKind.COMMUNITY,
    "村": UnitKind.VILLAGE, "村委": UnitKind.VILLAGE, "村委会": UnitKind.VILLAGE,
    "党支部": UnitKind.BRANCH, "支部": UnitKind.BRANCH,
    "党小组": UnitKind.PARTY_GROUP, "小组": UnitKind.PARTY_GROUP,
    **{k.value: k.value for k in UnitKind},
}  # fmt: skip
PROGRESS_EVERY = 50


class _Refused(Exception):
    """The database refused a row: roll the whole file back."""


@dataclass
class _Planned:
    """A unit as it will be: existing (pk) or to be created by a row (number)."""

    kind: str
    path: str
    pk: int | None = None
    number: int | None = None  # the row that creates it
    refused: bool = False


class TreeImport:
    modes = ("create",)

    def __init__(self, *, user, progress=None):
        self.user = user
        self.progress = progress
        self.units = UnitLookup(scope=scope_of(user))

    def run(
        self, source, *, dry_run=False, skip_invalid=False, file_name=""
    ) -> ImportResult:
        result, rows = sheet_rows(
            source, TREE_INDEX, ("name", "kind"), progress=self.progress
        )
        planned: dict[str, _Planned] = {}  # path → unit
        by_name: dict[str, list[_Planned]] = {}
        by_code: dict[str, _Planned] = {}
        creates: list[tuple[int, str, str, _Planned, str | None, str | None]] = []
        for row in rows:
            number, values, errors, error = row.number, row.values, row.errors, row.error
            name = text(values.get("name"))
            if not name:
                error("name", _("The unit's name is missing."))
            kind = KIND_WORDS.get(norm(values.get("kind")))
            if kind is None:
                error("kind", _("Choose one of: %s") % "镇/网格/社区/村/党支部/党小组")
            code = text(values.get("code")) or None
            parent = self._parent(
                text(values.get("parent")), planned, by_name, by_code, error
            )
            path = f"{parent.path}/{name}" if parent else name
            existing = self.units.by_path.get(path)
            if kind and parent is not False:
                parent_kind = parent.kind if parent else None
                if parent_kind not in ALLOWED_PARENT_KINDS[kind]:
                    error("parent", _(
                        "A %(kind)s cannot sit under %(parent)s: a %(kind)s belongs under %(allowed)s."
                    ) % {"kind": kind_label(kind),
                         "parent": f"{kind_label(parent_kind)}「{parent.path}」" if parent else kind_label(None),
                         "allowed": allowed_parent_labels(kind)})  # fmt: skip
                elif parent is None and not self.units.scope.writable().everything:
                    error(
                        "parent",
                        _(
                            "Give the parent unit: only an administrator adds a new top of the tree."
                        ),
                    )
            if path in planned and planned[path].number:
                error(
                    "name",
                    _("The same unit is already on row %d of this file.")
                    % planned[path].number,
                )
            if code:
                in_file, stored = by_code.get(code), self.units.by_code.get(code)
                used_by = None
                if in_file is not None:
                    used_by = in_file.path
                elif stored is not None and (
                    existing is None or stored.pk != existing.pk
                ):
                    used_by = self.units.paths[stored.pk]
                if used_by:
                    error("code", _("The code %(code)s is already used by %(unit)s.")
                          % {"code": code, "unit": used_by})  # fmt: skip
            unit = _Planned(kind or "", path, number=number, refused=bool(errors))
            if existing is not None and not errors:
                if existing.kind != kind:
                    error("kind", _("%(path)s exists already as a %(kind)s.")
                          % {"path": path, "kind": kind_label(existing.kind)})  # fmt: skip
                else:
                    result.skipped += 1  # already there: nothing to do
                    unit = _Planned(existing.kind, path, pk=existing.pk)
            if not errors and existing is None:
                creates.append((number, name, kind, unit, code, parent))
                result.created += 1
            if errors:
                unit.refused = True  # the loop keeps the row's issues with the result
            planned.setdefault(path, unit)
            if name:
                by_name.setdefault(name, []).append(unit)
            if code and not errors:
                by_code[code] = unit
        if dry_run or (result.errors and not skip_invalid):
            return result
        try:
            self._write(creates, result, file_name)
        except _Refused:
            return result
        result.written = True
        return result

    def _write(self, creates, result: ImportResult, file_name: str) -> None:
        with (
            transaction.atomic(),
            bulk_change(
                kind="tree_import", actor=self.user, description=file_name
            ) as bulk,
        ):
            made: dict[str, OrgUnit] = {}
            for number, name, kind, unit, code, parent in creates:
                parent_unit = None
                if parent is not None:
                    parent_unit = made.get(parent.path) or OrgUnit.objects.get(
                        pk=parent.pk
                    )
                try:
                    created = orgunit_create(
                        name=name, kind=kind, parent=parent_unit, code=code
                    )
                except ValidationError as exc:
                    # A rule the checks above did not restate: the row says which, and
                    # nothing of the file is kept.
                    result.errors.append(Issue(number, "", name, "；".join(exc.messages)))
                    result.created = 0
                    raise _Refused from None
                made[unit.path] = created
                bulk.add(object_type="orgunit", object_id=created.pk, action="create",
                         changes={"name": name, "kind": kind, "code": code or "",
                                  "parent_id": parent_unit.pk if parent_unit else None})  # fmt: skip
                result.rows_written += 1
                if self.progress and result.rows_written % PROGRESS_EVERY == 0:
                    self.progress(result.progress())

    def _parent(self, reference, planned, by_name, by_code, error):
        """The parent as a _Planned, None for the top of the tree, False if it cannot
        be found (the row has its error)."""
        if not reference:
            return None
        reference = reference.replace("／", "/").strip("/")
        found = by_code.get(reference) or planned.get(reference)
        if found is None and "/" not in reference:
            named = by_name.get(reference, [])
            found = named[0] if len(named) == 1 else None
        if found is not None:
            if found.refused:
                error("parent", _("The parent unit (row %d) has errors.") % found.number)
                return False
            return found
        try:
            unit = self.units.find(reference, tuple(UnitKind.values))
        except ValueError as exc:
            error("parent", str(exc))
            return False
        return _Planned(unit.kind, self.units.paths[unit.pk], pk=unit.pk)


def import_tree(source, *, user, mode="create", dry_run=False, skip_invalid=False,
                file_name="", progress=None, unit=None) -> ImportResult:  # fmt: skip
    return TreeImport(user=user, progress=progress).run(
        source, dry_run=dry_run, skip_invalid=skip_invalid, file_name=file_name
    )
