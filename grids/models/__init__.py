"""The organization tree, co-building partners, staff scopes and the access log."""

from .audit import (  # noqa: F401
    AccessAction,
    AccessLog,
    AccessLogQuerySet,
    BulkChange,
    BulkChangeRow,
    PasswordRecord,
)
from .base import (  # noqa: F401
    Created,
    RecordedBy,
    Stamped,
)
from .partners import (  # noqa: F401
    PAIRING_UNIT_KINDS,
    Frequency,
    Pairing,
    PairingService,
    PartnerKind,
    PartnerUnit,
    ServiceKind,
)
from .staff import (  # noqa: F401
    GRANTABLE_ROLES,
    READ_ONLY_ROLES,
    StaffAssignment,
    StaffProfile,
    StaffRole,
)
from .tree import (  # noqa: F401
    ALLOWED_PARENT_KINDS,
    RESIDENCE_KINDS,
    OrgUnit,
    UnitKind,
    allowed_parent_labels,
    kind_label,
)
