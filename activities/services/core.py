"""Writes for organizational life: activities, attendance, campaigns, honours."""

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grids.models import RESIDENCE_KINDS, OrgUnit, UnitKind
from members.dates import latest_birth_date_for_age
from members.models import ArchiveReason, Cadre, CadreStatus, MemberStatus
from members.selectors import branch_members_on, cadres_in_unit

from ..models import (
    TERM_YEARS_VILLAGE_COMMUNITY,
    Activity,
    Attendance,
    AttendanceStatus,
    BranchCommittee,
    Campaign,
    CampaignRole,
    CampaignService,
    CommitteeMember,
    CommitteePost,
    Honour,
    HonourKind,
    HonourStatus,
)
from .meetings import activity_counts_refresh
from .points import points_recompute


@transaction.atomic
def activity_create(*, partners: Iterable = (), by=None, **fields: Any) -> Activity:
    """An activity of any kind without an expected list (a campaign day, a
    birthday); meetings of a branch are recorded with `meeting_record`."""
    if isinstance(fields.get("kind"), str):
        fields["kind_id"] = fields.pop("kind")
    activity = Activity(created_by=by, **fields)
    activity.full_clean()
    activity.save()
    if partners:
        activity.partners.set(partners)
    return activity


def _cadres_in_subtree(unit: OrgUnit, cadre_ids: Iterable[int]):
    return cadres_in_unit(Cadre.objects.filter(pk__in=list(cadre_ids)), unit)


@transaction.atomic
def attendance_record(
    *,
    activity: Activity,
    statuses: Mapping[int, str],
    notes: Mapping[int, str] | None = None,
) -> list[Attendance]:
    """Set the attendance of the given cadres (by id) at an activity, in one go.

    Every cadre must belong to or live in the organizing unit's subtree and be on the
    roster on the activity's date. Existing rows are updated; the rest created.
    """
    notes = notes or {}
    bad = sorted({s for s in statuses.values() if s not in AttendanceStatus.values})
    if bad:
        raise ValidationError(_("Unknown attendance status: %s") % "、".join(bad))
    day = timezone.localtime(activity.starts_at).date()
    cadres = {c.pk: c for c in _cadres_in_subtree(activity.unit, statuses)}
    outside = [pk for pk in statuses if pk not in cadres]
    if outside:
        names = Cadre.objects.filter(pk__in=outside).values_list("name", flat=True)
        raise ValidationError(
            _("These cadres do not belong to %(unit)s: %(names)s")
            % {"unit": activity.unit, "names": "、".join(names) or outside}
        )
    gone = [
        c.name
        for c in cadres.values()
        if c.status == CadreStatus.ARCHIVED and c.archived_on and c.archived_on <= day
    ]
    if gone:
        raise ValidationError(
            _("These cadres had left the roster by that date: %s") % "、".join(gone)
        )
    existing = {a.cadre_id: a for a in Attendance.objects.filter(activity=activity)}
    to_create, to_update = [], []
    for pk, status in statuses.items():
        row = existing.get(pk)
        if row is None:
            to_create.append(
                Attendance(
                    activity=activity, cadre_id=pk, status=status, note=notes.get(pk, "")
                )
            )
        else:
            row.status, row.note = status, notes.get(pk, row.note)
            to_update.append(row)
    Attendance.objects.bulk_create(to_create)
    Attendance.objects.bulk_update(to_update, ["status", "note"])
    activity_counts_refresh([activity])
    return to_create + to_update


@transaction.atomic
def campaign_create(
    *,
    name: str,
    unit: OrgUnit,
    start_on: datetime.date,
    roles: Iterable[str] = (),
    **fields,
) -> Campaign:
    campaign = Campaign(name=name, unit=unit, start_on=start_on, **fields)
    campaign.full_clean()
    campaign.save()
    for order, role in enumerate(roles):
        CampaignRole.objects.create(campaign=campaign, name=role, sort_order=order)
    return campaign


@transaction.atomic
def campaign_service_add(
    *,
    role: CampaignRole,
    cadre: Cadre,
    start_on: datetime.date,
    end_on: datetime.date | None = None,
    notes: str = "",
) -> CampaignService:
    if cadre.status != CadreStatus.ACTIVE:
        raise ValidationError(_("Only cadres on the roster can take a role."))
    service = CampaignService(
        role=role, cadre=cadre, start_on=start_on, end_on=end_on, notes=notes
    )
    service.full_clean()
    service.save()
    points_recompute([cadre.pk], start_on.year)  # campaign service may score
    return service


def party_50_eligible(cadre: Cadre, year: int) -> bool:
    """Eligible for the 50-year medal of `year`: a living member whose 党龄 reaches 50
    full years by 1 July of that year (DOMAIN.md, "Honours")."""
    if cadre.archive_reason == ArchiveReason.DECEASED:
        return False
    age = cadre.party_age(datetime.date(year, 7, 1))
    return age is not None and age >= 50


@transaction.atomic
def honour_record(
    *,
    cadre: Cadre,
    kind: str,
    year: int,
    status: str = HonourStatus.ELIGIBLE,
    awarded_on: datetime.date | None = None,
    **fields: Any,
) -> Honour:
    if kind == HonourKind.PARTY_50_YEARS and not party_50_eligible(cadre, year):
        raise ValidationError(
            _(
                "%(name)s does not reach 50 years in the party by 1 July %(year)d "
                "(full membership: %(full)s)."
            )
            % {
                "name": cadre.name,
                "year": year,
                "full": cadre.full_member_display or "—",
            }
        )
    honour = Honour(
        cadre=cadre, kind=kind, year=year, status=status, awarded_on=awarded_on, **fields
    )
    honour.full_clean()
    honour.save()
    return honour


def honours_50_prepare(*, year: int, batch_size: int = 5_000) -> int:
    """The year's 光荣在党50年 list: an ELIGIBLE Honour row for every living full
    member (on the roster) whose 党龄 reaches 50 full years by 1 July of `year` and
    who has no 50-year medal row yet (once in a lifetime; DOMAIN.md). Set-based and
    idempotent: run twice, or twice at once, it creates each row once (the unique
    `honour_one_50_year_medal` decides, with ON CONFLICT DO NOTHING). Returns the
    number of rows the list holds for `year`."""
    by = latest_birth_date_for_age(50, datetime.date(year, 7, 1))
    members = (
        Cadre.objects.filter(
            status=CadreStatus.ACTIVE,
            is_party_member=True,
            member_status=MemberStatus.FULL,
            full_member_on__lte=by,
        )
        .exclude(honours__kind=HonourKind.PARTY_50_YEARS)
        .values_list("pk", flat=True)
    )
    Honour.objects.bulk_create(
        [
            Honour(
                cadre_id=pk,
                kind=HonourKind.PARTY_50_YEARS,
                year=year,
                status=HonourStatus.ELIGIBLE,
            )
            for pk in members
        ],  # fmt: skip
        batch_size=batch_size,
        ignore_conflicts=True,
    )
    return Honour.objects.filter(kind=HonourKind.PARTY_50_YEARS, year=year).count()


@transaction.atomic
def honour_set_status(
    *, honour: Honour, status: str, awarded_on: datetime.date | None = None
) -> Honour:
    honour.status = status
    honour.awarded_on = awarded_on if status == HonourStatus.AWARDED else None
    honour.full_clean()
    honour.save(update_fields=["status", "awarded_on"])
    return honour


@transaction.atomic
def committee_elect(
    *,
    branch: OrgUnit,
    elected_on: datetime.date,
    members: Iterable[tuple[Cadre, str]],
    term_years: int | None = None,
    notes: str = "",
) -> BranchCommittee:
    """Record a branch committee's election: its members and their posts. Each member
    belonged to the branch on the election day; one secretary; the term defaults to
    five years for a village or community branch, three for others (DOMAIN.md)."""
    if branch.kind != UnitKind.BRANCH:
        raise ValidationError({"branch": _("A committee is elected by a party branch.")})
    members = list(members)
    errors: dict[str, list[str]] = {}
    posts = [post for _cadre, post in members]
    if posts.count(CommitteePost.SECRETARY) != 1:
        errors["members"] = [_("A committee has one secretary.")]
    unknown = [p for p in posts if p not in CommitteePost.values]
    if unknown:
        errors.setdefault("members", []).append(
            _("Unknown post: %s") % "、".join(unknown)
        )
    cadres = [cadre for cadre, _post in members]
    if len({c.pk for c in cadres}) != len(cadres):
        errors.setdefault("members", []).append(_("A member holds one post."))
    belonging = {c.pk for c in branch_members_on(branch, elected_on)}
    outside = [c.name for c in cadres if c.pk not in belonging]
    if outside:
        errors.setdefault("members", []).append(
            _("Not members of the branch on %(date)s: %(names)s")
            % {"date": elected_on.isoformat(), "names": "、".join(outside)}
        )
    if errors:
        raise ValidationError(errors)
    if term_years is None:
        village_or_community = branch.parent and branch.parent.kind in RESIDENCE_KINDS
        term_years = (
            TERM_YEARS_VILLAGE_COMMUNITY
            if village_or_community
            else settings.BRANCH_TERM_YEARS_OTHER
        )
    committee = BranchCommittee(
        branch=branch, elected_on=elected_on, term_years=term_years, notes=notes
    )
    committee.full_clean()
    committee.save()
    CommitteeMember.objects.bulk_create(
        CommitteeMember(committee=committee, cadre=cadre, post=post)
        for cadre, post in members
    )
    return committee
