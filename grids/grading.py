"""Colour grades for rates on pages (coverage, compliance, participation)."""


def grade(percent: float | None, green: float, amber: float) -> str:
    if percent is None:
        return "none"
    if percent >= green:
        return "green"
    if percent >= amber:
        return "amber"
    return "red"
