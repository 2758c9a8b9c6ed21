"""The dashboard's to-do panel (issue 18): each app registers, in its
AppConfig.ready(), a function (user, today) → its items — overdue visits, study to
deliver, meetings due, imports waiting … — and the home page shows those with
something to do, each a link to the page that does it. Later issues add their items
without touching the dashboard."""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Todo:
    key: str
    label: str
    count: int
    url: str
    urgent: bool = False  # overdue, rather than coming up


TodoSource = Callable[[object, datetime.date], Iterable[Todo]]
todo_sources: list[TodoSource] = []


def register_todo(source: TodoSource) -> TodoSource:
    if source not in todo_sources:
        todo_sources.append(source)
    return source


def todos_for(user, today: datetime.date) -> list[Todo]:
    """The items with something to do, the urgent first."""
    items = [t for source in todo_sources for t in source(user, today) if t.count]
    return sorted(items, key=lambda t: not t.urgent)
