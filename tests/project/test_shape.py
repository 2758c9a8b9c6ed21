"""The house keeps its shape (issue 15): modules a newcomer can live in."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ("grids", "members", "activities", "services", "gridparty")
MAX_LINES = 450


def test_no_module_outside_migrations_and_tests_is_over_450_lines():
    long = {
        str(path.relative_to(ROOT)): n
        for app in APPS
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts
        and (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}, f"split these along their seams: {long}"


def test_the_chinese_fixture_lives_only_in_the_conftest():
    copies = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "tests").rglob("*.py")
        if "def chinese" + "(" in path.read_text(encoding="utf-8")
        and path.name != "conftest.py"
    ]
    assert copies == []
