"""Organizational life per child unit for a period: the rows of the compliance and
participation pages, and of the report sent upward (one computation for all three,
so their figures cannot differ)."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings

from grids.grading import grade
from grids.models import OrgUnit, UnitKind

from .partylife import Rate, branches_in, compliance, participation_by_branch_month


def within(child: OrgUnit, branch: dict) -> bool:
    return child.tree_id == branch["tree_id"] and child.lft <= branch["lft"] <= child.rght


@dataclass
class ComplianceSummary:
    rows: list[dict]
    results: list  # per branch (partylife.compliance)
    met: int = 0
    total: int = 0


def compliance_rows(unit: OrgUnit, period, children: list[OrgUnit]) -> ComplianceSummary:
    """Branches meeting their rules, per child unit (those with branches), graded."""
    branches = branches_in(unit)
    results = compliance(branches, period)
    by_pk = {r.pk: r for r in results}
    green, amber = settings.COVERAGE_GREEN, settings.COVERAGE_AMBER
    rows = []
    for child in children:
        inside = [by_pk[b["pk"]] for b in branches if within(child, b)]
        if not inside:
            continue
        met = sum(r.compliant for r in inside)
        percent = round(met * 100 / len(inside), 1)
        rows.append({"unit": child, "branches": len(inside), "met": met,
                     "percent": percent, "grade": grade(percent, green, amber)})  # fmt: skip
    return ComplianceSummary(
        rows, results, sum(r.compliant for r in results), len(results)
    )


@dataclass
class ParticipationSummary:
    months: list
    rows: list[dict]
    total: Rate = field(default_factory=Rate)


def participation_rows(
    unit: OrgUnit, period, children: list[OrgUnit]
) -> ParticipationSummary:
    """Members who took part ÷ members expected, per child unit and month."""
    branches = branches_in(unit)
    months = [w.start for w in period.months()] or [period.start.replace(day=1)]
    by_branch = participation_by_branch_month([b["pk"] for b in branches], period)
    threshold = settings.PARTICIPATION_THRESHOLD
    targets = children if unit.kind != UnitKind.BRANCH else [unit]
    rows, total = [], Rate()
    for child in targets:
        cells = defaultdict(Rate)
        for b in branches:
            if within(child, b):
                for month in months:
                    rate = by_branch.get((b["pk"], month))
                    if rate:
                        cells[month].add(rate.expected, rate.took_part)
        whole = Rate()
        for rate in cells.values():
            whole.add(rate.expected, rate.took_part)
        total.add(whole.expected, whole.took_part)
        rows.append({
            "unit": child, "whole": whole,
            "low": whole.rate is not None and whole.rate * 100 < threshold,
            "cells": [(cells.get(m, Rate()), cells.get(m) is not None and
                       cells[m].rate is not None and cells[m].rate * 100 < threshold)
                      for m in months],
        })  # fmt: skip
    return ParticipationSummary(months, rows, total)
