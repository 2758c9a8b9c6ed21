"""Care: visits and services delivered, hospitalizations, health check-ups (DOMAIN.md,
"Care and services")."""

from .funds import (  # noqa: F401
    LUNAR_NEW_YEAR,
    CareFund,
    CareGift,
    GiftKind,
    spring_festival_season,
)
from .health import (  # noqa: F401
    HealthCheck,
)
from .hospital import (  # noqa: F401
    Hospitalization,
)
from .patrols import (  # noqa: F401
    FindingKind,
    FindingStatus,
    Patrol,
    PatrolPhoto,
)
from .plans import (  # noqa: F401
    VisitPlan,
    VisitPolicy,
    VisitTier,
)
from .reminders import (  # noqa: F401
    DeliveryAttempt,
    Reminder,
    ReminderChoice,
    ReminderScan,
)
from .requests import (  # noqa: F401
    CareRequest,
    RequestKind,
    RequestStatus,
    RequestStep,
)
from .visits import (  # noqa: F401
    CareVisit,
    CareVisitKind,
    VisitedCadre,
    VisitKind,
    VisitOutcome,
    VisitPhoto,
)
