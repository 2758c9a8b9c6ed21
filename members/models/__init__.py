"""Retired cadres and what belongs to them (DOMAIN.md, "The people")."""

# The browser imports' jobs are members' models too.
from ..imports.models import ImportJob  # noqa: E402, F401
from .cadre import (  # noqa: F401
    Cadre,
    CadreDeletionRefused,
    CadreQuerySet,
)
from .choices import (  # noqa: F401
    ArchiveReason,
    CadreStatus,
    Category,
    LivingSituation,
    LixiuPeriod,
    MaritalStatus,
    MemberStatus,
    Mobility,
    Sex,
)
from .contacts import (  # noqa: F401
    FamilyContact,
)
from .household import (  # noqa: F401
    Household,
)
from .interests import Interest  # noqa: F401
from .reference import (  # noqa: F401
    RankLevel,
)
from .relations import RECEIPT_DAYS, Direction, RelationTransfer  # noqa: F401
from .talents import (  # noqa: F401
    STANDARD_SKILLS,
    Skill,
    Talent,
)
from .transfers import (  # noqa: F401
    BranchTransfer,
)
