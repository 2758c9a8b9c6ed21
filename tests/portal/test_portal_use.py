"""The portal's use per branch on the dashboard: who signed in this quarter (issue 23)."""

from django.urls import reverse

from portal.models import SignInMethod
from portal.selectors import Identity
from portal.services import portal_session_start


def test_the_dashboard_shows_who_signed_in_this_quarter(client, cast):
    portal_session_start(
        identity=Identity(cast.cadre_a), method=SignInMethod.CODE, address=None
    )
    portal_session_start(
        identity=Identity(cast.cadre_a), method=SignInMethod.LINK, address=None
    )
    client.force_login(cast.officer)
    page = client.get(reverse("home")).content.decode()
    section = page.split('id="portal-use"')[1].split("</section>")[0]
    assert "3 位老干部中有 1 位" in section
    assert "社区A党支部" in section and "社区B党支部" in section
    # Grid B's worker sees the cadres of their grid (李四光, and 王五常 who lives there
    # but belongs to branch A): neither signed in; 张三丰's sign-in is not theirs.
    client.force_login(cast.grid_b)
    page = client.get(reverse("home")).content.decode()
    section = page.split('id="portal-use"')[1].split("</section>")[0]
    assert "2 位老干部中有 0 位" in section
