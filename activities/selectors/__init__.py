"""Reads of organizational life, already scoped to the user."""

from .core import committee_of, honours_50_list, honours_visible_to  # noqa: F401
