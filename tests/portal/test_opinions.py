"""我有话说: an opinion from the portal reaches the worker's queue and its answer
returns (issue 23)."""

import re
import uuid

from django.urls import reverse

from portal.models import Opinion
from portal.sms import ConsoleSMS


def _portal_client(client_class, phone):
    client = client_class()
    ConsoleSMS.outbox.clear()
    client.post(reverse("portal:signin"), {"phone": phone})
    code = re.search(r"(\d{6})", ConsoleSMS.outbox[-1][1]).group(1)
    client.post(reverse("portal:code"), {"code": code})
    return client


def test_an_opinion_reaches_the_queue_and_the_answer_returns(client, cast):
    phone = _portal_client(
        client.__class__, "13912345678"
    )  # 李四光, lives in community B
    key = str(uuid.uuid4())
    for _ in range(2):  # sent twice by a phone: stored once
        response = phone.post(reverse("portal:opinions"),
                              {"text": "楼道灯坏了，晚上出门不方便。", "client_key": key})  # fmt: skip
        assert response.status_code == 302
    opinion = Opinion.objects.get()
    assert opinion.unit == cast.tree["community_B"] and opinion.cadre == cast.cadre_b
    # The community's worker finds it in their queue.
    client.force_login(cast.community_b)
    queue = client.get(reverse("visits:mine")).content.decode()
    assert 'id="queue-opinions"' in queue and "楼道灯坏了" in queue
    # Another grid's worker neither sees it in the queue nor may answer it.
    other = client.__class__()
    other.force_login(cast.grid_a)
    assert "楼道灯坏了" not in other.get(reverse("visits:mine")).content.decode()
    assert other.post(reverse("portal_staff:answer", args=[opinion.pk]),
                      {"answer": "越权"}).status_code == 404  # fmt: skip
    # The leader (reads only) sees it, with no form, and cannot answer.
    other.force_login(cast.leader)
    page = other.get(reverse("portal_staff:opinions")).content.decode()
    assert "楼道灯坏了" in page and 'name="answer"' not in page
    assert other.post(reverse("portal_staff:answer", args=[opinion.pk]),
                      {"answer": "越权"}).status_code == 403  # fmt: skip
    # The worker answers; the cadre sees the answer; the queue is empty again.
    response = client.post(reverse("portal_staff:answer", args=[opinion.pk]),
                           {"answer": "已报物业，明天修好。"})  # fmt: skip
    assert response.status_code == 302
    assert (
        "已报物业，明天修好。" in phone.get(reverse("portal:opinions")).content.decode()
    )
    assert (
        'id="queue-opinions"' not in client.get(reverse("visits:mine")).content.decode()
    )


def test_an_empty_opinion_is_a_message_and_others_opinions_are_not_shown(client, cast):
    phone = _portal_client(client.__class__, "13912345678")
    response = phone.post(reverse("portal:opinions"), {"text": "   "})
    assert response.status_code == 200 and not Opinion.objects.exists()
    other = _portal_client(client.__class__, "13812348000")  # 张三丰
    phone.post(reverse("portal:opinions"), {"text": "李四光的话"})
    assert "李四光的话" not in other.get(reverse("portal:opinions")).content.decode()
