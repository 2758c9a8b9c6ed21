"""Issue 18: pages that are printed — the report upward and the 50-year honours list —
printed to PDF by the browser with the print stylesheet: their content, charts
included, and no menu, buttons or filters."""

import io
import re

import pytest
from django.core.management import call_command
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)

MENU = ["退出", "我的账户", "组织架构", "提醒", "打印或另存为PDF", "下载Excel工作簿"]


def _text(pdf: bytes) -> str:
    from pypdf import PdfReader

    text = "".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages)
    return re.sub(r"\s+", "", text)  # the extraction spaces Latin from Chinese


def test_two_pages_print_without_the_menu(browser, live_server, screenshot_dir):
    call_command("load_demo", verbosity=0)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "township")
    page.fill("input[name=password]", "Demo-2026")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")

    page.goto(f"{live_server.url}/reports/upward/")
    page.wait_for_selector("#chart-age svg")
    assert page.locator(".topbar").is_visible()  # on the screen, the menu is there
    report = page.pdf(format="A4", print_background=True)
    (screenshot_dir / "report-upward.pdf").write_bytes(report)
    text = _text(report)
    assert "XX镇" in text and "人员构成" in text and "走访慰问与覆盖率" in text
    for word in MENU:
        assert word not in text, word

    page.goto(f"{live_server.url}/visits/honours/{timezone.localdate().year}/")
    honours = page.pdf(format="A4")
    (screenshot_dir / "honours.pdf").write_bytes(honours)
    text = _text(honours)
    assert "光荣在党50年" in text
    for word in MENU:
        assert word not in text, word
    context.close()
