from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from grids.models import OrgUnit
from members.imports.cli import finish, unreadable
from members.roster.columns import BY_KEY, HEADER_INDEX, normalize_header
from members.roster.importer import MODES, import_roster
from members.roster.reader import ColumnsAmbiguous, RosterUnreadable

NOT_USED = {"-", "无", "不用", "忽略"}


class MapNeeded(Exception):
    """The ambiguity's message, with how to answer it on the command line."""

    def __init__(self, exc: ColumnsAmbiguous):
        key, headers = next(iter(exc.choices.items()))
        super().__init__(
            f"{exc}\n请用 --map 列名=字段 指明，如 --map {headers[-1]}={exc.fields[key]}"
            f"（其余列不读）；不读某列：--map 列名=-"
        )


def column_map(pairs: list[str]) -> dict[str, str]:
    """`--map 列名=字段` pairs as the import's column_map (header → field key)."""
    found = {}
    for pair in pairs:
        column, sep, target = pair.partition("=")
        column, target = column.strip(), target.strip()
        if not sep or not column or not target:
            raise CommandError(f"--map 的写法是 列名=字段，而不是“{pair}”")
        if target in NOT_USED:
            found[column] = ""
            continue
        field = BY_KEY.get(target) or HEADER_INDEX.get(normalize_header(target))
        if field is None:
            raise CommandError(f"--map {pair}：不认识字段“{target}”，请写模板中的列名")
        found[column] = field.key
    return found


def acting_user(username: str | None):
    User = get_user_model()
    if username:
        try:
            return User.objects.get(username=username)
        except User.DoesNotExist:
            raise CommandError(f"no user named {username}") from None
    user = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
    if user is None:
        raise CommandError("no superuser to act as: pass --user USERNAME")
    return user


def scope_unit(code: str | None):
    if not code:
        return None
    unit = (
        OrgUnit.objects.filter(code=code).first()
        or (OrgUnit.objects.filter(pk=int(code)).first() if code.isdigit() else None)
        or OrgUnit.objects.filter(name=code).first()
    )
    if unit is None:
        raise CommandError(f"no unit with code {code}")
    return unit


class Command(BaseCommand):
    help = (
        "Import a roster (.xlsx). Exit 0: every row written or skipped; 1: rows refused; "
        "2: the file could not be read."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument("--mode", choices=MODES, default="create")
        parser.add_argument("--skip-invalid", action="store_true")
        parser.add_argument(
            "--unit", help="official code (or unique name) of the subtree"
        )
        parser.add_argument(
            "--default-unit",
            help="ID, code or name of the community or village for rows that name none "
            "(its branch, if it has only one, for party members without a branch)",
        )
        parser.add_argument("--default-branch", help="ID, code or name of that branch")
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="列名=字段",
            help="read this column as this field (its template header or key; - for "
            "not used), where several columns could be one field; repeatable",
        )
        parser.add_argument("--user", help="acting user (scope and history)")
        parser.add_argument("--error-file", help="where to write the rows with errors")
        parser.add_argument(
            "--json", action="store_true", help="one line of JSON on stdout"
        )

    def handle(self, *args, **options):
        user = acting_user(options["user"])
        unit = scope_unit(options["unit"])
        try:
            result = import_roster(
                options["file"],
                user=user,
                mode=options["mode"],
                dry_run=options["dry_run"],
                skip_invalid=options["skip_invalid"],
                unit=unit,
                default_unit=scope_unit(options.get("default_unit")),
                default_branch=scope_unit(options.get("default_branch")),
                column_map=column_map(options.get("map") or []),
            )
        except ValueError as exc:  # a default unit outside the user's scope
            raise CommandError(str(exc)) from None
        except ColumnsAmbiguous as exc:
            unreadable(self, MapNeeded(exc), as_json=options["json"])
        except (RosterUnreadable, OSError) as exc:
            unreadable(self, exc, as_json=options["json"])
        verb = "would be" if options["dry_run"] else "were"
        finish(self, result, options,
               f"{result.created} created, {result.updated} updated, {result.unchanged} "
               f"unchanged, {result.skipped} skipped {verb} ({result.rows_read} rows read)")  # fmt: skip
