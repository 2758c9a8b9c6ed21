"""Organizational life: meeting kinds and their rules, meetings (三会一课) and other
activities, attendance, campaigns with their roles (作用发挥), honours and the branch
committee (DOMAIN.md)."""

from .campaigns import (  # noqa: F401
    SUITABLE_MOBILITY,
    Campaign,
    CampaignEntry,
    CampaignRole,
    CampaignService,
    RoleKind,
)
from .committee import (  # noqa: F401
    TERM_YEARS_OTHER,
    TERM_YEARS_VILLAGE_COMMUNITY,
    BranchCommittee,
    CommitteeMember,
    CommitteePost,
)
from .dues import (  # noqa: F401
    ChangeKind,
    Collection,
    DuesAccount,
    DuesBook,
    DuesChange,
    DuesPayment,
    DuesPolicy,
    PaidBy,
)
from .honours import Honour, HonourKind, HonourLevel, HonourStatus  # noqa: F401
from .kinds import AppliesTo, Expected, MeetingKind, MeetingRule, Per  # noqa: F401
from .meetings import (  # noqa: F401
    TAKING_PART,
    Activity,
    ActivityKind,
    Attendance,
    AttendanceStatus,
    MeetingAttachment,
    RecordStatus,
)
from .menu import SignUp, Suits  # noqa: F401
from .points import (  # noqa: F401
    AUTOMATIC_SOURCES,
    AwardStatus,
    BranchReview,
    ExemptMobility,
    Grade,
    MemberReview,
    PointsAward,
    PointsEntry,
    PointsItem,
    PointsScheme,
    PointsSource,
    ReviewStatus,
)
from .upcoming import LeaveRequest, MeetingNotice  # noqa: F401, E402
