"""Membership of a branch at a date (issue 16, "Who belongs to what"): from the
transfer history and the archive dates, not from today's branch."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from members.models import ArchiveReason, MemberStatus
from members.selectors import branch_members_on
from members.services import cadre_archive, cadre_transfer
from tests.factories import make_cadre

D = datetime.date


def names(branch, on) -> set[str]:
    return {c.name for c in branch_members_on(branch, on)}


def test_members_on_a_past_date_follow_transfers_and_archive_dates(cast):
    tree = cast.tree
    a, b = tree["branch_A"], tree["branch_B"]
    came = make_cadre(branch=b, name="九月转入")
    cadre_transfer(cadre=came, to_branch=a, on=D(2026, 9, 10))
    left = make_cadre(branch=a, name="九月转出")
    cadre_transfer(cadre=left, to_branch=tree["village_branch_A"], on=D(2026, 9, 1))
    died = make_cadre(branch=a, name="十月去世")
    cadre_archive(cadre=died, reason=ArchiveReason.DECEASED, on=D(2026, 10, 5))
    make_cadre(branch=a, name="八月入党", joined_party_on=D(2026, 8, 1), full_member_on=None,
               member_status=MemberStatus.PROBATIONARY)  # fmt: skip
    july = D(2026, 7, 15)
    # The cast's 张三丰 and 王五常 belong to branch A throughout.
    assert names(a, july) == {"张三丰", "王五常", "九月转出", "十月去世"}
    assert names(b, july) == {"李四光", "九月转入"}
    assert names(a, D(2026, 11, 1)) == {"张三丰", "王五常", "九月转入", "八月入党"}
    assert names(tree["village_branch_A"], july) == set()
    assert names(tree["village_branch_A"], D(2026, 11, 1)) == {"九月转出"}


def test_membership_costs_two_queries_whatever_the_history(cast):
    for n in range(12):
        cadre = make_cadre(branch=cast.tree["branch_B"], name=f"转{n}")
        cadre_transfer(cadre=cadre, to_branch=cast.tree["branch_A"], on=D(2026, 3, 1))
        cadre_transfer(cadre=cadre, to_branch=cast.tree["branch_B"], on=D(2026, 6, 1))
    with CaptureQueriesContext(connection) as queries:
        members = branch_members_on(cast.tree["branch_A"], D(2026, 4, 1))
    assert len(members) == 2 + 12 and len(queries) == 2
