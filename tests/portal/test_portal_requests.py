"""我要办事 from the cadre's own pages: the request waits to be assigned like any other,
each step is kept, and the cadre follows it (issue 23)."""

import re

from django.urls import reverse

from members.models import FamilyContact
from portal.sms import ConsoleSMS
from services.models import CareRequest, RequestStatus
from services.services.requests import request_move


def _portal_client(client_class, phone):
    client = client_class()
    ConsoleSMS.outbox.clear()
    client.post(reverse("portal:signin"), {"phone": phone})
    code = re.search(r"(\d{6})", ConsoleSMS.outbox[-1][1]).group(1)
    client.post(reverse("portal:code"), {"code": code})
    return client


def test_a_request_from_the_phone_is_assigned_and_followed(client, cast):
    FamilyContact.objects.create(cadre=cast.cadre_a, relation="女儿", name="张小红",
                                 phone="13900002222", may_act=True)  # fmt: skip
    phone = _portal_client(client.__class__, "13900002222")  # the daughter, for 张三丰
    assert (
        phone.post(reverse("portal:requests"), {"kind": "ride", "need": ""}).status_code
        == 200
    )
    assert (
        phone.post(
            reverse("portal:requests"), {"kind": "lecture", "need": "x"}
        ).status_code
        == 200
    )
    assert not CareRequest.objects.exists()
    response = phone.post(
        reverse("portal:requests"), {"kind": "ride", "need": "周三去医院复查"}
    )
    assert response.status_code == 302
    need = CareRequest.objects.get()
    assert (need.cadre, need.unit, need.requested_by) == (
        cast.cadre_a,
        cast.tree["community_A"],
        None,
    )
    step = need.steps.get()
    assert step.by is None and "张小红" in step.note
    # The grid's worker finds it waiting on them, and assigns it.
    client.force_login(cast.grid_a)
    assert "周三去医院复查" in client.get(reverse("visits:mine")).content.decode()
    detail = client.get(reverse("requests:detail", args=[need.pk])).content.decode()
    assert "周三去医院复查" in detail
    request_move(
        by=cast.grid_a, request=need, status=RequestStatus.ASSIGNED, user=cast.grid_a
    )
    page = phone.get(reverse("portal:requests")).content.decode()
    assert "派单" in page and "在居家端提出（张小红（女儿））" in page
    # Another cadre does not see it.
    other = _portal_client(client.__class__, "13912345678")
    assert "周三去医院复查" not in other.get(reverse("portal:requests")).content.decode()
