"""The branch committee (issue 16, "Who belongs to what"): members and posts, the
election date and the term."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from activities.models import CommitteePost
from activities.selectors import committee_of
from activities.services import committee_elect
from members.services import cadre_transfer
from tests.factories import make_cadre

D = datetime.date


def test_a_committee_of_branch_members_with_one_secretary_and_a_five_year_term(cast):
    a = cast.tree["branch_A"]
    deputy = make_cadre(branch=a, name="副书记")
    committee = committee_elect(
        branch=a, elected_on=D(2024, 6, 1),
        members=[(cast.cadre_a, CommitteePost.SECRETARY), (deputy, CommitteePost.DEPUTY),
                 (cast.cross, CommitteePost.ORGANIZATION)],
    )  # fmt: skip
    assert committee.term_years == 5 and committee.term_ends_on == D(2029, 6, 1)
    current = committee_of(a, D(2026, 12, 1))
    assert current == committee
    assert {(m.cadre.name, m.post) for m in current.members.all()} == {
        ("张三丰", "secretary"), ("副书记", "deputy"), ("王五常", "organization"),
    }  # fmt: skip
    assert committee_of(a, D(2029, 6, 1)) is None  # the term is over: elect again
    assert committee_of(a, D(2024, 5, 31)) is None


def test_the_election_refuses_what_the_rules_refuse(cast):
    a = cast.tree["branch_A"]
    came_later = make_cadre(branch=cast.tree["branch_B"], name="后转入")
    cadre_transfer(cadre=came_later, to_branch=a, on=D(2026, 9, 1))
    cases = [
        ([(cast.cadre_a, CommitteePost.DEPUTY)], "一名书记"),
        ([(cast.cadre_a, CommitteePost.SECRETARY), (cast.cadre_a, CommitteePost.MEMBER)],
         "只能担任一个职务"),
        ([(cast.cadre_a, CommitteePost.SECRETARY), (came_later, CommitteePost.MEMBER)],
         "后转入"),
        ([(cast.cadre_a, CommitteePost.SECRETARY), (cast.cadre_b, CommitteePost.MEMBER)],
         "李四光"),
    ]  # fmt: skip
    for members, message in cases:
        with pytest.raises(ValidationError) as refused:
            committee_elect(branch=a, elected_on=D(2026, 6, 1), members=members)
        assert message in " ".join(refused.value.messages), message
    with pytest.raises(ValidationError):
        committee_elect(branch=cast.tree["community_A"], elected_on=D(2026, 6, 1),
                        members=[(cast.cadre_a, CommitteePost.SECRETARY)])  # fmt: skip


def test_the_committee_admin_is_scoped(client, cast):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission

    from grids.models import StaffAssignment, StaffRole

    committee_elect(branch=cast.tree["branch_B"], elected_on=D(2025, 1, 1),
                    members=[(cast.cadre_b, CommitteePost.SECRETARY)])  # fmt: skip
    staff = get_user_model().objects.create_user("admin_a", password="x-Pass-2026",
                                                 is_staff=True)  # fmt: skip
    staff.user_permissions.add(
        *Permission.objects.filter(codename="view_branchcommittee")
    )
    StaffAssignment.objects.create(user=staff, unit=cast.tree["grid_A"],
                                   role=StaffRole.ADMINISTRATOR)  # fmt: skip
    client.force_login(staff)
    listing = client.get(reverse("admin:activities_branchcommittee_changelist"))
    assert listing.status_code == 200 and list(listing.context["cl"].queryset) == []
