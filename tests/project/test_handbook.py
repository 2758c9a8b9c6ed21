"""Issue 17: the member's handbook — a printable page and a PDF (its text extracts as
Chinese), masked as the viewer's role requires, each opening in the access log."""

import datetime
import io

from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from activities.models import AttendanceStatus as S
from activities.services import meeting_record
from grids.models import AccessAction, AccessLog

YEAR = timezone.localdate().year


def test_the_handbook_page_and_pdf(client, cast, pdf_engine):
    meeting_record(branch=cast.tree["branch_A"], kind="themed_party_day",
                   starts_at=timezone.now() - datetime.timedelta(days=1), topic="重温入党誓词",
                   statuses={cast.cadre_a.pk: S.PRESENT})  # fmt: skip
    client.force_login(cast.secretary)
    url = reverse("handbook", args=[cast.cadre_a.pk, YEAR])
    page = client.get(url).content.decode()
    assert "张三丰" in page and "重温入党誓词" in page
    assert "13812348000" not in page and "138****8000" in page  # masked on paper
    response = client.get(url, {"format": "pdf"})
    assert response["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "张三丰" in text and "党员手册" in text
    actions = set(
        AccessLog.objects.filter(object_type="handbook").values_list("action", flat=True)
    )
    assert actions == {AccessAction.VIEW, AccessAction.PRINT}


def test_the_handbook_stays_inside_the_scope(client, cast):
    url = reverse("handbook", args=[cast.cadre_a.pk, YEAR])
    for user in (cast.grid_b, cast.outsider):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.get(url, {"format": "pdf"}).status_code == 404
    assert not AccessLog.objects.filter(object_type="handbook").exists()


def test_the_handbook_shows_health_only_to_the_roles_that_may_see_it(
    client, cast, pdf_engine
):
    from members.services import cadre_update

    cadre_update(cadre=cast.cadre_a, health_status="高血压二级")
    url = reverse("handbook", args=[cast.cadre_a.pk, YEAR])
    client.force_login(cast.secretary)
    assert "高血压二级" in client.get(url).content.decode()
    client.force_login(cast.grid_a)  # a grid worker sees the handbook, not the health
    page = client.get(url).content.decode()
    assert "张三丰" in page and "高血压二级" not in page
    text = (
        PdfReader(io.BytesIO(client.get(url, {"format": "pdf"}).content))
        .pages[0]
        .extract_text()
    )
    assert "高血压二级" not in text
