"""Reads of care data, already scoped to the user: visits and the worker's queue
(`visits`), coverage (`coverage`), check-ups due (`health`), the partners' report
(`partners`). They do the aggregation so a page costs a fixed number of queries."""

from .visits import (  # noqa: F401
    can_edit_visit,
    can_visit,
    household_of,
    label_plans,
    visit_queue,
    visit_timeline,
    visits_visible_to,
)
