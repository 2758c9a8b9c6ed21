"""Sections that higher apps add to a worker's queue (/visits/mine/): the portal's
opinions waiting for an answer (issue 23). Each takes the request and returns None
(nothing to show) or a dict with "title", "template", "count" and its context."""

from collections.abc import Callable

QueueSection = Callable[..., dict | None]
queue_sections: list[QueueSection] = []


def register(section: QueueSection) -> QueueSection:
    if section not in queue_sections:
        queue_sections.append(section)
    return section


def sections_for(request) -> list[dict]:
    return [s for section in queue_sections if (s := section(request))]
