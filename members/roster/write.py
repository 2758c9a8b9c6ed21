"""Set-based writes for the roster import: a fixed number of statements per import.

PostgreSQL: COPY the rows into a temporary table, then one INSERT … SELECT … RETURNING
and one UPDATE … FROM. Elsewhere (SQLite in tests): bulk_create / bulk_update.
"""

from django.db import connection

from grids.bulk import columns, load_rows

from ..models import Cadre

CREATE_FIELDS = [
    "name", "name_initials", "id_number", "sex", "birth_date", "ethnicity", "phone", "address",
    "category", "lixiu_period", "original_rank", "benefit_level", "original_work_unit",
    "retirement_date", "is_party_member", "joined_party_on", "joined_party_precision",
    "full_member_on", "full_member_precision", "member_status", "branch_id",
    "residence_unit_id", "living_situation", "can_attend", "critically_ill",
    "disabled_or_cognitive", "in_hardship", "health_status", "requests", "status",
    "archive_reason", "transferred_to", "archive_note", "created_at", "updated_at",
]  # fmt: skip
UPDATE_FIELDS = [f for f in CREATE_FIELDS if f not in (
    "id_number", "status", "archive_reason", "transferred_to", "archive_note", "created_at",
)]  # fmt: skip
DEFAULTS = {"archive_reason": "", "transferred_to": "", "archive_note": ""}


def _temp_table(name: str, cols: list[str], extra: str) -> None:
    table = Cadre._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {name}")
        cursor.execute(
            f"CREATE TEMP TABLE {name} ON COMMIT DROP AS "
            f"SELECT {', '.join(cols)} FROM {table} WITH NO DATA"
        )
        cursor.execute(f"ALTER TABLE {name} ADD COLUMN {extra}")


def write_creates(records: list[dict]) -> list[int]:
    """Insert the cadres; return their ids in the order given."""
    if not records:
        return []
    if connection.vendor != "postgresql":
        objects = Cadre.objects.bulk_create(
            [
                Cadre(
                    **{
                        **DEFAULTS,
                        **{k: r.get(k, DEFAULTS.get(k)) for k in CREATE_FIELDS},
                    }
                )
                for r in records
            ],
            batch_size=2_000,
        )
        return [o.pk for o in objects]
    cols = columns(Cadre, CREATE_FIELDS)
    _temp_table("roster_new", cols, "ord integer")
    load_rows(
        "roster_new",
        [*cols, "ord"],
        (
            (*(r.get(k, DEFAULTS.get(k)) for k in CREATE_FIELDS), i)
            for i, r in enumerate(records)
        ),
    )
    col_list = ", ".join(cols)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {Cadre._meta.db_table} ({col_list}) "
            f"SELECT {col_list} FROM roster_new ORDER BY ord RETURNING id, id_number"
        )
        ids = {number: pk for pk, number in cursor.fetchall()}
    return [ids[r["id_number"]] for r in records]


def write_updates(records: list[dict]) -> None:
    """Overwrite the given fields of existing cadres (records carry their pk)."""
    if not records:
        return
    if connection.vendor != "postgresql":
        objects = [Cadre(pk=r["pk"], **{k: r[k] for k in UPDATE_FIELDS}) for r in records]
        Cadre.objects.bulk_update(objects, UPDATE_FIELDS, batch_size=2_000)
        return
    cols = columns(Cadre, UPDATE_FIELDS)
    _temp_table("roster_changed", cols, "target bigint")
    load_rows(
        "roster_changed",
        [*cols, "target"],
        ((*(r[k] for k in UPDATE_FIELDS), r["pk"]) for r in records),
    )
    assignments = ", ".join(f"{c} = t.{c}" for c in cols)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Cadre._meta.db_table} AS c SET {assignments} "
            f"FROM roster_changed AS t WHERE c.id = t.target"
        )
