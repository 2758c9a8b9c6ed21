"""Writes for organizational life: activities and meetings, attendance, campaigns,
honours, the branch committee."""

from .attachments import check_attachment, meeting_attach  # noqa: F401
from .core import (  # noqa: F401
    activity_create,
    attendance_record,
    campaign_create,
    campaign_service_add,
    committee_elect,
    honour_record,
    honour_set_status,
    honours_50_prepare,
    party_50_eligible,
)
from .honours import honour_move, honour_moves_for  # noqa: F401
from .meetings import (  # noqa: F401
    activity_counts_refresh,
    activity_counts_refresh_all,
    attendance_proposal,
    expected_members,
    meeting_record,
    meeting_update,
    study_delivered,
)
from .points import (  # noqa: F401
    POINT_SOURCES,
    award_decide,
    award_propose,
    may_decide,
    points_recompute,
    schemes_for,
)
from .reviews import (  # noqa: F401
    grades_in_use,
    review_members_update,
    review_start,
    review_submit,
    review_unlock,
)
