"""Roster import and export (花名册): messy real Excel files read exactly, validated
in memory against pre-loaded lookups, written set-based; exports that round-trip."""
