"""Importing a roster in a real browser (issue 7): the demo's messy file, its errors,
the error file, the corrected file, the result; and a big file's progress bar."""

import datetime
import time

import pytest
from django.core.management import call_command
from django.db import connection
from openpyxl import load_workbook

from members.idnumbers import check_character
from members.imports import demo_roster, services
from members.imports.models import ImportJob
from members.models import Cadre
from tests.members.roster_files import write_roster

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(db):
    call_command("load_demo", verbosity=0)


def log_in(page, url: str, username: str = "township") -> None:
    page.goto(f"{url}/accounts/login/?next=/imports/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "Demo-2026")
    page.click("button[type=submit]")
    page.wait_for_url(f"{url}/imports/")


def upload(page, path, *, skip_invalid: bool = False) -> None:
    page.set_input_files("input[name=file]", str(path))
    if skip_invalid:
        page.check("input[name=skip_invalid]")
    page.get_by_role("button", name="上传并校验").click()
    page.wait_for_url("**/imports/*-*/")


def test_the_messy_demo_roster_then_the_corrected_one(
    browser, live_server, demo, tmp_path, screenshot_dir
):
    context = browser.new_context(
        viewport={"width": 1366, "height": 768}, accept_downloads=True
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    url = live_server.url
    log_in(page, url)
    before = Cadre.objects.count()

    messy = demo_roster.write(tmp_path / "花名册（含错误）.xlsx")
    upload(page, messy)
    errors = page.locator("#import-errors tbody tr")
    assert errors.count() >= 5
    text = page.locator("#import-errors").inner_text()
    for expected in (
        "校验位错误",
        "红光党支部",
        "转正时间不能早于入党时间",
        "重复",
        "不符",
    ):
        assert expected in text
    assert page.locator("#confirm-import").count() == 0
    page.screenshot(path=screenshot_dir / "import-preview-errors.png", full_page=True)

    with page.expect_download() as download:
        page.click("#error-file")
    saved = tmp_path / "errors.xlsx"
    download.value.save_as(saved)
    sheet = load_workbook(saved).active
    header = [c.value for c in next(sheet.iter_rows(min_row=3, max_row=3))]
    assert header[-1] == "错误信息"
    assert Cadre.objects.count() == before

    page.goto(f"{url}/imports/")
    corrected = demo_roster.write(tmp_path / "花名册（已改正）.xlsx", corrected=True)
    upload(page, corrected)
    assert page.locator("#import-errors").count() == 0
    assert "将新增" in page.locator("#import-summary").inner_text()
    page.click("#confirm-import")
    page.wait_for_load_state()
    assert "导入已完成" in page.content()
    assert "已新增" in page.locator("#import-summary").inner_text()
    page.screenshot(path=screenshot_dir / "import-done.png", full_page=True)
    assert Cadre.objects.count() == before + 10
    assert Cadre.objects.get(name="郑德明").id_number.startswith("31011519360203")
    context.close()


def _big_roster(path, rows: int):
    header = ["姓名", "身份证号", "所属支部"]
    data = []
    for n in range(rows):
        birth = datetime.date(1940, 1, 1) + datetime.timedelta(days=n % 3000)
        first17 = f"{330000 + n // 500:06d}{birth:%Y%m%d}{(n % 500) * 2 + 1:03d}"
        data.append([f"批量{n}", first17 + check_character(first17), "金桥社区党支部"])
    return write_roster(path, header, data)


def test_a_5000_row_roster_shows_its_progress_and_finishes(
    browser, live_server, demo, tmp_path, settings, monkeypatch
):
    if connection.vendor != "postgresql":
        pytest.skip("a background import beside the web requests needs PostgreSQL")
    settings.IMPORT_RUNNER = "thread"  # `make run` without a broker
    real = services.progress_report

    def slowed(job_id, counts):  # slow enough that a 1 s poll sees it move
        real(job_id, counts)
        time.sleep(0.15)

    monkeypatch.setattr(services, "progress_report", slowed)
    page = browser.new_page(viewport={"width": 375, "height": 812})
    page.set_default_timeout(60_000)
    url = live_server.url
    log_in(page, url)
    upload(page, _big_roster(tmp_path / "5000.xlsx", 5000))
    from playwright.sync_api import Error as PlaywrightError

    def watch(finished_text: str) -> list[int]:
        seen = []
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                value = page.evaluate(
                    "() => { const b = document.getElementById('import-bar'); "
                    "return b ? Number(b.value) : null; }"
                )
                if value is None and finished_text in page.content():
                    return seen
            except PlaywrightError:  # the page reloads itself when the work is done
                time.sleep(0.2)
                continue
            if value is not None:
                seen.append(value)
            time.sleep(0.2)
        raise AssertionError(f"not finished; bar values {seen}")

    seen = watch("确认导入")
    assert any(0 < v < 100 for v in seen), seen
    job = ImportJob.objects.get()
    assert job.background and job.preview["created"] == 5000
    page.click("#confirm-import")
    seen = watch("导入已完成")
    assert any(0 < v < 100 for v in seen), seen
    assert Cadre.objects.filter(name__startswith="批量").count() == 5000
    page.close()
