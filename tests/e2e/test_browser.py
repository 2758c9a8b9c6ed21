"""A community worker's main flow in a real browser, on a phone and on a desk."""

import pytest

from members.models import Cadre

VIEWPORTS = {"phone": (375, 812), "desk": (1366, 768)}


@pytest.fixture
def page_for(browser, live_server):
    pages = []

    def open_page(viewport: str):
        width, height = VIEWPORTS[viewport]
        context = browser.new_context(
            viewport={"width": width, "height": height},
            locale="en-US",  # the browser asks for English; the site stays Chinese
            is_mobile=viewport == "phone",
            has_touch=viewport == "phone",
        )
        page = context.new_page()
        page.set_default_timeout(15_000)
        pages.append(context)
        return page

    yield open_page
    for context in pages:
        context.close()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("viewport", ["phone", "desk"])
def test_log_in_find_a_cadre_by_initials_and_fix_a_phone(
    page_for, live_server, cast, viewport, screenshot_dir
):
    page = page_for(viewport)
    url = live_server.url
    page.goto(f"{url}/cadres/")
    assert "/accounts/login/" in page.url
    page.fill("input[name=username]", "grid_a")
    page.fill("input[name=password]", "Test-pass-2026")
    page.click("button[type=submit]")
    page.wait_for_url(f"{url}/cadres/")
    assert page.locator("h1").inner_text() == "老干部"
    page.screenshot(path=screenshot_dir / f"{viewport}-list.png", full_page=True)

    page.fill("input[name=q]", "zsf")
    page.get_by_role("button", name="搜索").click()
    page.wait_for_load_state()
    names = page.locator("table.list a.name").all_inner_texts()
    assert names == ["张三丰"]
    assert "13812348000" not in page.content()

    page.get_by_role("link", name="张三丰").click()
    page.wait_for_url(f"{url}/cadres/{cast.cadre_a.pk}/")
    assert "138****8000" in page.content()
    page.screenshot(path=screenshot_dir / f"{viewport}-profile.png", full_page=True)

    page.get_by_role("link", name="修改").click()
    page.wait_for_url(f"{url}/cadres/{cast.cadre_a.pk}/edit/")
    page.fill("input[name=phone]", "1381234")
    page.get_by_role("button", name="保存").click()
    page.wait_for_load_state()
    error = page.locator(".field.has-error").filter(has=page.locator("input[name=phone]"))
    assert "不是有效的电话号码" in error.inner_text()
    page.screenshot(path=screenshot_dir / f"{viewport}-edit-error.png", full_page=True)
    assert Cadre.objects.get(pk=cast.cadre_a.pk).phone == "13812348000"

    page.fill("input[name=phone]", "13900001111")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(f"{url}/cadres/{cast.cadre_a.pk}/")
    assert "139****1111" in page.content()
    assert "档案已保存" in page.locator(".messages").inner_text()
    assert Cadre.objects.get(pk=cast.cadre_a.pk).phone == "13900001111"

    # Touch targets on a phone are large enough to hit.
    if viewport == "phone":
        box = page.get_by_role("link", name="修改").bounding_box()
        assert box["height"] >= 44
