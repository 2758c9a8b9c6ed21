"""Importing co-building partners (共建单位) with their pairings and promised services.

One row per partner: its name, kind and contacts, the grids / communities / villages
it pairs with (several, separated by 、 or ；), when the pairing began, and the
services it promises (送医上门（每月）、送学上门（每季度）). Units are found as in the
roster import (code, path or unique name, inside the user's scope). Modes: `create`
(a partner whose name exists is skipped) and `update` (its details are overwritten
and missing pairings added). All-or-nothing unless skip_invalid."""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from grids.datebounds import date_bound_error
from grids.models import (
    PAIRING_UNIT_KINDS,
    Frequency,
    Pairing,
    PartnerKind,
    PartnerUnit,
    ServiceKind,
)
from grids.selectors import scope_of
from grids.services import pairing_create, partner_save

from ..roster.columns import Column, normalize_header
from ..roster.importer import ImportResult
from ..roster.parsing import CellError, norm, parse_date, text
from ..roster.units import UnitLookup
from .sheets import sheet_rows, write_plans

PARTNER_COLUMNS: tuple[Column, ...] = (
    Column("name", "单位名称", ("共建单位", "名称", "共建单位名称"), note="必填，不能重复"),
    Column("kind", "类型", ("单位类型", "共建类型"), "choice", "驻区单位/区域单位/村社结对/两新组织",
           ("驻区单位", "区域单位", "村社结对", "两新组织")),
    Column("contact_person", "联系人", ()),
    Column("phone", "联系电话", ("电话", "手机")),
    Column("address", "地址", ("单位地址",)),
    Column("description", "可提供服务", ("服务内容", "资源", "简介")),
    Column("units", "结对网格/社区/村", ("结对单位", "结对社区", "结对村居", "结对对象"), "unit",
           "网格、社区或村的代码、路径或名称；多个用“、”分隔"),
    Column("start_on", "结对开始日期", ("开始日期", "结对日期", "结对时间"), "date", "不填为今天"),
    Column("services", "承诺服务", ("服务项目", "承诺事项"), note="如：送医上门（每月）、送学上门（每季度）"),
)  # fmt: skip
PARTNER_INDEX = {
    normalize_header(n): c for c in PARTNER_COLUMNS for n in (c.header, *c.synonyms)
}
KIND_WORDS = {
    "驻区单位": PartnerKind.INSTITUTIONAL, "驻地单位": PartnerKind.INSTITUTIONAL,
    "机关": PartnerKind.INSTITUTIONAL, "机关事业单位": PartnerKind.INSTITUTIONAL,
    "区域单位": PartnerKind.REGIONAL, "区域化党建单位": PartnerKind.REGIONAL,
    "村社结对": PartnerKind.VILLAGE_COMMUNITY, "村居结对": PartnerKind.VILLAGE_COMMUNITY,
    "两新组织": PartnerKind.NEW_ORGANIZATION, "新经济组织": PartnerKind.NEW_ORGANIZATION,
    "新社会组织": PartnerKind.NEW_ORGANIZATION, "企业": PartnerKind.NEW_ORGANIZATION,
    "社会组织": PartnerKind.NEW_ORGANIZATION,
    **{k.value: k.value for k in PartnerKind},
}  # fmt: skip
SERVICE_WORDS = {
    "送医": ServiceKind.MEDICAL, "送医上门": ServiceKind.MEDICAL, "体检": ServiceKind.MEDICAL,
    "送药": ServiceKind.MEDICINE, "送药上门": ServiceKind.MEDICINE,
    "送祝福": ServiceKind.GREETINGS, "生日祝福": ServiceKind.GREETINGS,
    "送服务": ServiceKind.SERVICE, "送服务上门": ServiceKind.SERVICE,
    "送学": ServiceKind.STUDY, "送学上门": ServiceKind.STUDY,
    "家庭医生": ServiceKind.HOME_ROUNDS, "巡诊": ServiceKind.HOME_ROUNDS,
    "居家安全": ServiceKind.HOME_SAFETY, "安全检查": ServiceKind.HOME_SAFETY,
    "结对关爱": ServiceKind.CARE_PAIRING, "一对一结对": ServiceKind.CARE_PAIRING,
    "康复培训": ServiceKind.TRAINING, "护理培训": ServiceKind.TRAINING,
    "联合活动": ServiceKind.JOINT_ACTIVITY, "共建活动": ServiceKind.JOINT_ACTIVITY,
    "其他": ServiceKind.OTHER,
}  # fmt: skip
FREQUENCY_WORDS = {
    "每周": Frequency.WEEKLY, "每月": Frequency.MONTHLY, "每季度": Frequency.QUARTERLY,
    "每季": Frequency.QUARTERLY, "每半年": Frequency.HALF_YEARLY, "每年": Frequency.YEARLY,
    "按需": Frequency.ON_DEMAND, "随时": Frequency.ON_DEMAND, "一次": Frequency.ONCE,
}  # fmt: skip
_LIST = re.compile(r"[、，,；;\n]+")
_SERVICE = re.compile(r"^(?P<kind>[^（(]+?)\s*(?:[（(](?P<freq>[^）)]+)[）)])?$")
PROGRESS_EVERY = 50


class PartnerImport:
    modes = ("create", "update")

    def __init__(self, *, user, mode="create", progress=None):
        if mode not in self.modes:
            raise ValueError(f"mode must be one of {self.modes}")
        self.user = user
        self.mode = mode
        self.progress = progress
        self.units = UnitLookup(scope=scope_of(user))
        self.today = timezone.localdate()

    def run(
        self, source, *, dry_run=False, skip_invalid=False, file_name=""
    ) -> ImportResult:
        result, rows = sheet_rows(
            source, PARTNER_INDEX, ("name",), progress=self.progress
        )
        existing = {p.name: p for p in PartnerUnit.objects.all()}
        paired = set(
            Pairing.objects.filter(end_on__isnull=True).values_list(
                "partner_id", "unit_id"
            )
        )
        seen: dict[str, int] = {}
        plans = []
        for row in rows:
            plan = self._check(row.values, row.error, existing, seen, row.number)
            if row.errors:
                pass  # kept with the result by the loop
            elif plan["action"] == "skip":
                result.skipped += 1
            else:
                stored = existing.get(plan["name"])
                plan["new_units"] = [
                    u for u in plan["units"] if not stored or (stored.pk, u) not in paired
                ]
                changed = (
                    stored is None
                    or plan["new_units"]
                    or any(getattr(stored, k) != v for k, v in plan["fields"].items())
                )
                if stored is None:
                    result.created += 1
                elif changed:
                    result.updated += 1
                else:
                    result.unchanged += 1
                if changed:
                    plans.append(plan)
        if dry_run or (result.errors and not skip_invalid):
            return result
        write_plans(result, plans, kind="partner_import", user=self.user,
                    file_name=file_name,
                    write=lambda plan, bulk: self._write(plan, existing, bulk))  # fmt: skip
        return result

    def _check(self, values, error, existing, seen, number) -> dict:
        name = text(values.get("name"))
        if not name:
            error("name", _("The unit's name is missing."))
        elif len(name) > PartnerUnit._meta.get_field("name").max_length:
            error("name", _("The name is too long."))
        elif name in seen:
            error(
                "name",
                _("The same partner is already on row %d of this file.") % seen[name],
            )
        else:
            seen[name] = number
        plan = {
            "name": name,
            "number": number,
            "action": "write",
            "units": [],
            "services": [],
        }
        if name in existing and self.mode == "create":
            plan["action"] = "skip"  # create: an existing partner is left as it is
        kind = KIND_WORDS.get(norm(values.get("kind")))
        if kind is None and (values.get("kind") or name not in existing):
            error("kind", _("Choose one of: %s") % "驻区单位/区域单位/村社结对/两新组织")
        fields = {"kind": kind} if kind else {}
        for key in ("contact_person", "phone", "address", "description"):
            if key in values:
                fields[key] = text(values.get(key))
        plan["fields"] = fields
        for part in _LIST.split(text(values.get("units"))):
            if not part.strip():
                continue
            try:
                plan["units"].append(self.units.find(part.strip(), PAIRING_UNIT_KINDS).pk)
            except ValueError as exc:
                error("units", str(exc))
        try:
            parsed = parse_date(values.get("start_on"))
        except CellError as exc:
            error("start_on", str(exc))
            parsed = None
        plan["start_on"] = parsed[0] if parsed else self.today
        if problem := date_bound_error(plan["start_on"], "planned", self.today):
            error("start_on", problem)
            plan["start_on"] = self.today
        for part in _LIST.split(text(values.get("services"))):
            if not part.strip():
                continue
            match = _SERVICE.match(norm(part))
            kind_word = match and match.group("kind").strip()
            service = SERVICE_WORDS.get(kind_word) if kind_word else None
            frequency = (
                FREQUENCY_WORDS.get((match.group("freq") or "按需").strip())
                if match
                else None
            )
            if service is None or frequency is None:
                error("services", _("Not a promised service: “%(value)s” (write e.g. %(example)s).")
                      % {"value": part.strip(), "example": "送医上门（每月）"})  # fmt: skip
            else:
                plan["services"].append((service, frequency))
        if plan["services"] and not plan["units"]:
            error("units", _("Promised services need the units the partner pairs with."))
        if plan["start_on"] > self.today + datetime.timedelta(days=366):
            error("start_on", _("The pairing cannot begin more than a year from now."))
        return plan

    def _write(self, plan, existing, bulk) -> None:
        partner = existing.get(plan["name"])
        created = partner is None
        try:
            partner = partner_save(partner=partner, name=plan["name"], **plan["fields"])
        except ValidationError as exc:
            raise ValidationError(
                f"第{plan['number']}行：" + "；".join(exc.messages)
            ) from None
        existing[partner.name] = partner
        for unit_id in plan["new_units"]:
            pairing_create(partner=partner, unit=unit_id, start_on=plan["start_on"],
                           services=plan["services"])  # fmt: skip
        bulk.add(object_type="partnerunit", object_id=partner.pk,
                 action="create" if created else "update",
                 changes={**plan["fields"], "pairings": plan["new_units"],
                          "services": [f"{s}/{f}" for s, f in plan["services"]]})  # fmt: skip


def import_partners(source, *, user, mode="create", dry_run=False, skip_invalid=False,
                    file_name="", progress=None, unit=None) -> ImportResult:  # fmt: skip
    return PartnerImport(user=user, mode=mode, progress=progress).run(
        source, dry_run=dry_run, skip_invalid=skip_invalid, file_name=file_name
    )
