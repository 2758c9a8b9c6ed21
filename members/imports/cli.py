"""What the import commands share: exit codes 0 (every row written or skipped), 1 (rows
refused) and 2 (the file could not be read), the error file, JSON or text output."""

import json
import sys

from grids import workbooks

from ..roster.excel import error_workbook


def unreadable(command, exc: Exception, *, as_json: bool) -> None:
    if as_json:
        command.stdout.write(json.dumps({"error": str(exc)}, ensure_ascii=False))
    else:
        command.stderr.write(str(exc))
    sys.exit(2)


def finish(command, result, options: dict, summary: str) -> None:
    """Report a finished import (the error file, JSON or text) and exit 1 when rows
    were refused."""
    if result.errors and options.get("error_file"):
        workbooks.save(
            error_workbook(result, only_bad_rows=options.get("skip_invalid", False)),
            options["error_file"],
        )
    if options.get("json"):
        command.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False))
    else:
        command.stdout.write(summary)
        for issue in result.errors:
            command.stdout.write(
                f"第{issue.row}行 {issue.column}「{issue.value}」：{issue.message}"
            )
        for issue in result.warnings:
            command.stdout.write(
                f"提示 第{issue.row}行 {issue.column}「{issue.value}」：{issue.message}"
            )
    if result.errors:
        sys.exit(1)
