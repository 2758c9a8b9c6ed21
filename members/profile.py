"""Sections of the cadre profile that higher apps register (visits, health, meetings).

A lower app never imports a higher one: `services` or `activities` append a function
here in their AppConfig.ready(). Each takes (request, cadre) and returns None (nothing
to show: the section is left out) or a dict with "title", "template" and its context.
"""

from collections.abc import Callable

ProfileSection = Callable[..., dict | None]
profile_sections: list[ProfileSection] = []


def register(section: ProfileSection) -> ProfileSection:
    if section not in profile_sections:
        profile_sections.append(section)
    return section


def sections_for(request, cadre) -> list[dict]:
    return [s for section in profile_sections if (s := section(request, cadre))]
