"""One roster row: its cells read into field values and checked in memory."""

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from grids.datebounds import date_bound_error
from grids.models import RESIDENCE_KINDS, UnitKind

from ...dates import DatePrecision
from ...models import (
    LivingSituation,
    Mobility,
)
from ...rules import dossier_complete, dossier_problems
from ...validators import PHONE_PATTERN, normalize_phone
from ..parsing import (
    CellError,
    is_blank,
    norm,
    parse_bool,
    parse_date,
    parse_id,
    parse_money,
    parse_sex,
    text,
)
from .mappings import (
    _UNSEEN,
    CATEGORY,
    FIELDS,
    LIVING,
    MARITAL,
    MEMO_SIZE,
    MOBILITY,
    PERIOD,
    STATUS,
    political_status,
)
from .result import Issue

# The family contacts a roster may carry: (relation, name column, phone column).
CONTACT_COLUMNS = (
    ("配偶", "spouse_name", "spouse_phone"),
    ("子女", "child_name", "child_phone"),
    ("紧急联系人", "emergency_name", "emergency_phone"),
)


@dataclass(slots=True)
class Row:
    number: int
    values: dict | None  # column key → cell value as read (dropped once checked)
    cells: list | None = None  # the cells as read (kept for rows with errors)
    warning: "Issue | None" = None
    data: dict = field(default_factory=dict)  # field → clean value
    errors: list[Issue] = field(default_factory=list)
    id_number: str = ""
    existing: dict | None = None
    action: str = ""
    changes: dict = field(default_factory=dict)
    death_on: datetime.date | None = None  # a death date: archived as deceased
    contacts: list = field(default_factory=list)  # (relation, name, phone): merged in


# The columns read as plain text.
TEXT_KEYS = (
    "ethnicity", "address", "original_rank", "benefit_level", "original_work_unit",
    "health_status", "requests", "native_place", "education", "medical_insurance",
    "designated_hospital", "designated_hospital2", "long_term_medicines",
)  # fmt: skip


class RowChecks:
    """Reading one row into field values (`_parse`) and completing it with the
    defaults and cross-field rules of a dossier (`_complete`), in memory."""

    def _event_date(self, raw):
        """A date of an event (入党, 转正, 离退休, 参加工作): read, and inside the
        bounds of such dates; remembered per text like every parsed cell."""
        parsed = parse_date(raw)
        if parsed and (problem := date_bound_error(parsed[0], "event", self.today)):
            raise CellError(problem)
        return parsed

    def _parse(self, row: Row, header) -> None:
        v, data = row.values, row.data

        def error(key: str, message: str) -> None:
            row.errors.append(Issue(row.number, header(key), text(v.get(key)), message))

        memo = self._memo

        def read(key: str, parser):
            raw = v.get(key)
            if raw is None:
                return None
            if raw.__class__ is str and parser is not parse_id:
                # Rosters repeat the same texts (1970.03, 是, 男) thousands of times:
                # each is read once; an ID number is unique, so never kept.
                answers = memo[parser]
                answer = answers.get(raw, _UNSEEN)
                if answer is _UNSEEN:
                    answer = _answer(parser, raw)
                    if len(answers) < MEMO_SIZE:
                        answers[raw] = answer
            else:
                answer = _answer(parser, raw)
            if answer.__class__ is CellError:
                error(key, str(answer))
                return None
            return answer

        name = text(v.get("name"))
        if not name:
            error("name", _("The name is missing."))
        data["name"] = name
        if is_blank(v.get("id_number")):
            error("id_number", _("The ID number is missing."))
            info = None
        else:
            info = read("id_number", parse_id)
        if info:
            row.id_number = info.number
            data["birth_date"], data["sex"] = info.birth_date, info.sex
            entered = read("birth_date", parse_date)
            if entered and not _same_to_precision(entered, info.birth_date):
                error("birth_date", _("The birth date %(entered)s disagrees with the ID number, which gives %(derived)s.")
                      % {"entered": text(v.get("birth_date")), "derived": info.birth_date.isoformat()})  # fmt: skip
            sex = read("sex", parse_sex)
            if sex and sex != info.sex:
                error("sex", _("The sex disagrees with the ID number, which gives %s.")
                      % ("男" if info.sex == "M" else "女"))  # fmt: skip
        for key in TEXT_KEYS:
            if key in v:
                data[key] = text(v[key])
        if "monthly_pension" in v:
            data["monthly_pension"] = read("monthly_pension", parse_money)
        for key in ("phone", "phone2"):
            if key not in v:
                continue
            raw = v[key]
            if raw.__class__ is str and raw.isascii() and raw.isdigit():
                phone = raw  # the usual 13812348000: nothing to normalize
            elif isinstance(raw, float) and raw.is_integer():
                phone = f"{raw:.0f}"  # a number cell
            else:
                phone = normalize_phone(norm(raw))
            if phone and not PHONE_PATTERN.match(phone):
                error(key, _("Not a phone number: a mobile has 11 digits, a landline 7 or "
                             "8 (its area code may be added)."))  # fmt: skip
            data[key] = phone
        for key, table, label in (("category", CATEGORY, "离休/退休"), ("lixiu_period", PERIOD, "抗日战争时期/解放战争时期"),
                                  ("member_status", STATUS, "正式/预备/失联/停止党籍"), ("living_situation", LIVING, "独居/空巢/与家人同住"),
                                  ("marital_status", MARITAL, "已婚/丧偶/离异/未婚")):  # fmt: skip
            if key in v and not is_blank(v[key]):
                value = table.get(norm(v[key]))
                if value is None:
                    error(key, _("Choose one of: %s") % label)
                data[key] = value or FIELDS[key]
            elif key in v:
                data[key] = FIELDS[key]
        if "lives_alone" in v and not is_blank(v["lives_alone"]):
            alone = read("lives_alone", parse_bool)
            if alone:
                data["living_situation"] = LivingSituation.ALONE
            elif alone is False and data.get("living_situation") == LivingSituation.ALONE:
                data["living_situation"] = LivingSituation.WITH_FAMILY
        if "mobility" in v and not is_blank(v["mobility"]):
            level = MOBILITY.get(norm(v["mobility"]))
            if level is None:
                try:
                    able = parse_bool(v["mobility"])
                except CellError:
                    error(
                        "mobility",
                        _("Choose one of: %s")
                        % "能参加集中活动/只能就近参加/只能在家（或是/否）",
                    )
                else:
                    level = Mobility.TRAVEL if able else Mobility.HOME
            data["mobility"] = level or FIELDS["mobility"]
        elif "mobility" in v:
            data["mobility"] = FIELDS["mobility"]
        for key in (
            "critically_ill",
            "disabled_or_cognitive",
            "in_hardship",
            "is_party_member",
        ):
            if key in v:
                value = read(key, parse_bool)
                data[key] = FIELDS[key] if value is None else value
        for relation, name_key, phone_key in CONTACT_COLUMNS:
            name = text(v.get(name_key)) if name_key in v else ""
            if not name:
                continue
            phone = (
                normalize_phone(norm(v.get(phone_key)))
                if not is_blank(v.get(phone_key))
                else ""
            )
            if not phone or not PHONE_PATTERN.match(phone):
                row.warning = Issue(row.number, header(phone_key), text(v.get(phone_key)),
                                    _("A family contact needs a phone number: not added."))  # fmt: skip
                continue
            row.contacts.append((relation, name[:50], phone))
        if "death_date" in v and not is_blank(v["death_date"]):
            parsed = read("death_date", parse_date)
            if parsed:
                problem = date_bound_error(parsed[0], "event", self.today)
                born = data.get("birth_date")
                if problem:
                    error("death_date", problem)
                elif born and parsed[0] < born:
                    error("death_date", _("The date of death is before the birth date."))
                else:
                    row.death_on = parsed[0]
        if "political_status" in v and not is_blank(v["political_status"]):
            found = political_status(norm(v["political_status"]))
            if found is None:
                error("political_status", _("Choose one of: %s")
                      % "中共党员/中共预备党员/群众/共青团员/民主党派/无党派人士")  # fmt: skip
            else:
                data["is_party_member"] = found[0]
                if is_blank(v.get("member_status")):
                    data["member_status"] = found[1]
        for key in (
            "joined_party_on",
            "full_member_on",
            "retirement_date",
            "work_started_on",
        ):
            if key in v:
                parsed = read(key, self._event_date)
                # parse_date gives a partial date as its first day already.
                data[key] = parsed[0] if parsed else None
                if key not in ("retirement_date", "work_started_on"):
                    data[key.replace("_on", "_precision")] = (
                        parsed[1] if parsed else DatePrecision.DAY
                    )
        for key, kinds in (
            ("branch", (UnitKind.BRANCH,)),
            ("residence_unit", RESIDENCE_KINDS),
        ):
            if key in v and not is_blank(v[key]):
                try:
                    data[f"{key}_id"] = self.units.find(text(v[key]), kinds).pk
                except ValueError as exc:
                    error(key, str(exc))
                    data[f"{key}_id"] = None
            elif key in v:
                data[f"{key}_id"] = None
        if "party_group" in v:
            # A name until the branch is known (_complete finds the group in it).
            data["party_group_id"] = text(v["party_group"]) or None
        if (
            data.get("original_rank")
            and self.ranks
            and data["original_rank"] not in self.ranks
        ):
            row.warning = Issue(row.number, header("original_rank"), data["original_rank"],
                                _("Not in the list of ranks: kept as written, please check."))  # fmt: skip

    def _place(self, row: Row, final: dict) -> None:
        """A new row that names no unit: its address's community or village (when
        exactly one in scope is named), else the defaults chosen for the import."""
        if row.errors:
            return  # a unit named but not found is an error, never replaced
        if not final["residence_unit_id"]:
            found = self.units.from_address(final.get("address") or "")
            if found is not None:
                final["residence_unit_id"] = found.pk
                self.placed[("address", found.name)] += 1
                branch = self.units.only_branch(found) if self.default_residence else None
                if branch and final["is_party_member"] and not final["branch_id"]:
                    final["branch_id"] = branch.pk  # the branch of where they live
                    self.placed[("address", branch.name)] += 1
        if not final["branch_id"] and final["is_party_member"] and self.default_branch:
            final["branch_id"] = self.default_branch.pk
            self.placed[("default_branch", self.default_branch.name)] += 1
        if (
            not final["residence_unit_id"]
            and not final["branch_id"]
            and self.default_residence is not None
        ):
            final["residence_unit_id"] = self.default_residence.pk
            self.placed[("default", self.default_residence.name)] += 1

    def _complete(self, row: Row, header) -> None:
        """The whole record as it would be stored, and the rules across fields."""
        final = dict(FIELDS)
        if row.existing is None:
            final.update(row.data)  # a new cadre: what the file says, else defaults
        else:
            final.update(row.existing)
        governed = self.governed
        for name, value in row.data.items() if row.existing is not None else ():
            if name not in FIELDS:
                continue
            if self.mode in ("update", "create"):
                if governed.get(name, True):
                    final[name] = value
            elif (
                self.mode == "fill"
                and governed.get(name, True)
                and row.existing.get(name) in ("", None)
                and value not in ("", None)
            ):
                final[name] = value
        if row.existing is None:
            # Defaults that follow from other values.
            said = [row.values.get(k) for k in ("is_party_member", "political_status")]
            if all(is_blank(value) for value in said):
                final["is_party_member"] = bool(
                    final["branch_id"] or final["joined_party_on"]
                )
            self._place(row, final)
            if not final["residence_unit_id"] and final["branch_id"]:
                final["residence_unit_id"] = self.units.units[
                    final["branch_id"]
                ].parent_id
        dossier_complete(final, self.today)  # members.rules: the form's defaults too
        row.data = final

        def error(key: str, message: str) -> None:
            row.errors.append(
                Issue(row.number, header(key), text(row.values.get(key)), message)
            )

        group = final["party_group_id"]
        if group.__class__ is str:
            try:
                final["party_group_id"] = self.units.group_of(
                    final["branch_id"], group
                ).pk
            except ValueError as exc:
                final["party_group_id"] = None
                error("party_group", str(exc))
        elif group and self.units.units[group].parent_id != final["branch_id"]:
            final["party_group_id"] = None  # moved to another branch: not its group

        # The rules across fields (members.rules), as Cadre.clean runs them; a field
        # whose cell is wrong already gets no second message.
        for name, message in dossier_problems(final):
            if not any(i.column == header(name) for i in row.errors):
                error(name, message)
        if not final["residence_unit_id"] and not any(
            i.column == header("residence_unit") for i in row.errors
        ):
            error(
                "residence_unit",
                _("The community or village of residence (居住社区/村) is missing."),
            )

    # ---- the whole file ---------------------------------------------------------


def _answer(parser, raw):
    """The parsed value of a cell (None when blank), or the CellError it raises."""
    if is_blank(raw):
        return None
    try:
        return parser(raw)
    except CellError as exc:
        return exc


def _same_to_precision(
    entered: tuple[datetime.date, str], derived: datetime.date
) -> bool:
    value, precision = entered
    if precision == DatePrecision.YEAR:
        return value.year == derived.year
    if precision == DatePrecision.MONTH:
        return (value.year, value.month) == (derived.year, derived.month)
    return value == derived
