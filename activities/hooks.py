"""What organizational life asks of the apps above it (activities never imports
them): a higher app registers a check here in its AppConfig.ready().

`unable_checks`: each takes (cadre ids, a date) and returns the ids of those who
could not take part in a meeting that day — in hospital (registered by `services`)
— so the attendance proposal marks them unable (因病或住院不计入应到).
"""

import datetime
from collections.abc import Callable, Iterable

UnableCheck = Callable[[list[int], datetime.date], set[int]]
unable_checks: list[UnableCheck] = []


def register_unable_check(check: UnableCheck) -> UnableCheck:
    if check not in unable_checks:
        unable_checks.append(check)
    return check


def unable_on(cadre_ids: Iterable[int], on: datetime.date) -> set[int]:
    """The cadres among `cadre_ids` that a registered check finds unable on `on`."""
    ids = list(cadre_ids)
    unable: set[int] = set()
    for check in unable_checks:
        unable |= check(ids, on)
    return unable


# `yearly_facts`: each takes (cadre ids, year) and returns cadre id → {label: value}
# for the review sheet and the handbook (services registers the visits received).
YearlyFacts = Callable[[list[int], int], dict[int, dict[str, object]]]
yearly_facts: list[YearlyFacts] = []


def register_yearly_facts(facts: YearlyFacts) -> YearlyFacts:
    if facts not in yearly_facts:
        yearly_facts.append(facts)
    return facts


def facts_for(cadre_ids: Iterable[int], year: int) -> dict[int, dict[str, object]]:
    ids = list(cadre_ids)
    found: dict[int, dict[str, object]] = {pk: {} for pk in ids}
    for facts in yearly_facts:
        for pk, values in facts(ids, year).items():
            found.setdefault(pk, {}).update(values)
    return found


# `campaign_figures`: each takes (campaign ids, user) and returns campaign id →
# {label: number} over what the user may see — what the campaign found and did
# beyond the hours (services registers the patrols: patrols, problems found,
# findings closed) — for the campaigns page, the campaign page and their exports.
CampaignFigures = Callable[[list[int], object], dict[int, dict[str, int]]]
campaign_figures: list[CampaignFigures] = []


def register_campaign_figures(figures: CampaignFigures) -> CampaignFigures:
    if figures not in campaign_figures:
        campaign_figures.append(figures)
    return figures


def figures_for(campaign_ids: Iterable[int], user) -> tuple[list[str], dict[int, dict]]:
    """The labels in order, and campaign id → {label: number} (0 where none)."""
    ids = list(campaign_ids)
    labels: list[str] = []
    found: dict[int, dict[str, int]] = {pk: {} for pk in ids}
    for figures in campaign_figures:
        for pk, values in figures(ids, user).items():
            for label in values:
                if label not in labels:
                    labels.append(label)
            found.setdefault(pk, {}).update(values)
    for values in found.values():
        for label in labels:
            values.setdefault(label, 0)
    return labels, found


# `campaign_sections`: each takes (request, campaign) and returns None or a dict
# with "title", "template" and its context — a section of the campaign page (services
# registers the patrols per team and month and the open findings).
CampaignSection = Callable[..., dict | None]
campaign_sections: list[CampaignSection] = []


def register_campaign_section(section: CampaignSection) -> CampaignSection:
    if section not in campaign_sections:
        campaign_sections.append(section)
    return section


def campaign_sections_for(request, campaign) -> list[dict]:
    return [s for section in campaign_sections if (s := section(request, campaign))]
