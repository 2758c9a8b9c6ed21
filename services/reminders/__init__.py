"""Reminders (issue 10): rules find what is due with set-based queries over stored
dates, the engine turns each into one row per recipient (unique: a second scan makes
nothing), and delivery claims rows atomically so nothing is sent twice.

Adding a rule is adding a Rule subclass to RULES; the engine does not change.
Recipients: the community or village workers of the cadre's residence; where there
are none, the grid's workers; where none, the township officers. Township-wide lists
go to the township officers. Never for archived cadres; nothing is triggered by an
import (only the scan makes reminders)."""

from .delivery import (  # noqa: F401
    CHANNELS,
    Channel,
    InboxChannel,
    reminders_deliver,
    retry_failed,
)
from .digest import (  # noqa: F401
    digests_send,
)
from .recipients import (  # noqa: F401
    Recipients,
)
from .rules import (  # noqa: F401
    _PLACEHOLDER,
    INSERT_BATCH,
    MAX_ATTEMPTS,
    RULES,
    BirthdayRule,
    CheckupOverdueRule,
    CheckupRule,
    CollectiveBirthdayRule,
    Due,
    FollowUpRule,
    MilestoneRule,
    Party50Rule,
    Rule,
    VisitOverdueRule,
    _active,
    _birthday_in,
    _days_q,
    enabled_rules,
    milestone,
    url_for,
)
from .scan import (  # noqa: F401
    _COLUMNS,
    _insert_new,
    reminders_scan,
)
