"""Issue 18: the dashboard's charts drawn by the vendored ECharts on a phone and at a
desk, with no console error (the strict CSP stays as it is)."""

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("width", [375, 1366])
def test_the_dashboard_draws_its_charts(browser, live_server, width, screenshot_dir):
    call_command("load_demo", verbosity=0)
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "township")
    page.fill("input[name=password]", "Demo-2026")
    page.click("button[type=submit]")
    page.wait_for_selector("#chart-ages svg")
    for chart in ("visits", "ages", "participation", "partners", "checkups"):
        assert page.locator(f"#chart-{chart} svg").count() == 1, chart
    assert page.locator("#todo").count() == 1
    page.screenshot(path=screenshot_dir / f"dashboard-{width}.png", full_page=True)
    csp = page.request.get(f"{live_server.url}/").headers["content-security-policy"]
    assert "unsafe-inline" not in csp and "script-src 'self'" in csp
    context.close()
    assert errors == []
