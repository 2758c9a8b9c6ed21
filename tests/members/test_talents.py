"""Issue 20, the silver-talent pool (银发人才库): talents searched by skill inside the
user's scope only; set by someone who may change the dossier, confirmed that day."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from members.models import Skill, Talent
from members.services import talents_set
from members.talents import talents_search


@pytest.fixture
def pool(cast):
    lecture, mediation = (
        Skill.objects.get(name="健康讲座"),
        Skill.objects.get(name="矛盾调解"),
    )
    talents_set(
        by=cast.officer, cadre=cast.cadre_a, chosen={lecture.pk: (True, "心血管")}
    )
    talents_set(by=cast.officer, cadre=cast.cadre_b,
                chosen={lecture.pk: (True, ""), mediation.pk: (False, "腿脚不便")})  # fmt: skip
    talents_set(by=cast.officer, cadre=cast.cross, chosen={mediation.pk: (True, "")})
    return lecture, mediation


def _names(found) -> set[str]:
    return {t.cadre.name for t in found}


def test_search_by_skill_stays_inside_the_scope(cast, pool):
    lecture, mediation = pool
    assert _names(talents_search(cast.officer, skill=lecture)) == {"张三丰", "李四光"}
    assert _names(talents_search(cast.grid_a, skill=lecture)) == {"张三丰"}
    assert _names(talents_search(cast.grid_b, skill=lecture)) == {"李四光"}
    # Willing only by default; 李四光 is not willing to mediate now.
    assert _names(talents_search(cast.grid_b, skill=mediation)) == {"王五常"}
    assert _names(talents_search(cast.grid_b, skill=mediation, willing_only=False)) == {
        "王五常", "李四光"}  # fmt: skip
    assert _names(talents_search(cast.outsider, skill=lecture)) == set()


def test_the_pool_page_shows_only_the_scope_and_the_cast_is_refused(client, cast, pool):
    lecture, _mediation = pool
    url = reverse("members:talent_pool")
    client.force_login(cast.grid_a)
    page = client.get(url, {"skill": lecture.pk}).content.decode()
    assert "张三丰" in page and "李四光" not in page
    client.force_login(cast.leader)  # reads the whole township
    page = client.get(url, {"skill": lecture.pk}).content.decode()
    assert "张三丰" in page and "李四光" in page
    client.force_login(cast.outsider)
    assert client.get(url).status_code == 403


def test_talents_are_set_by_who_may_change_the_dossier(client, cast, pool):
    lecture, mediation = pool
    with pytest.raises(PermissionDenied):
        talents_set(by=cast.grid_b, cadre=cast.cadre_a, chosen={})
    with pytest.raises(PermissionDenied):
        talents_set(by=cast.leader, cadre=cast.cadre_a, chosen={})
    client.force_login(cast.leader)
    assert (
        client.get(reverse("members:cadre_talents", args=[cast.cadre_a.pk])).status_code
        == 403
    )
    client.force_login(cast.grid_b)
    assert (
        client.get(reverse("members:cadre_talents", args=[cast.cadre_a.pk])).status_code
        == 404
    )
    # The grid's worker confirms 张三丰's talents today: mediation added, lecture kept.
    Talent.objects.filter(cadre=cast.cadre_a).update(
        confirmed_on=timezone.localdate() - datetime.timedelta(days=400)
    )
    client.force_login(cast.grid_a)
    url = reverse("members:cadre_talents", args=[cast.cadre_a.pk])
    client.post(url, {f"skill-{lecture.pk}": "on", f"willing-{lecture.pk}": "on",
                      f"skill-{mediation.pk}": "on", f"note-{mediation.pk}": "邻里纠纷"})  # fmt: skip
    talents = {t.skill.name: t for t in Talent.objects.filter(cadre=cast.cadre_a)}
    assert set(talents) == {"健康讲座", "矛盾调解"}
    assert not talents["矛盾调解"].willing and talents["矛盾调解"].note == "邻里纠纷"
    assert all(t.confirmed_on == timezone.localdate() for t in talents.values())
    page = client.get(
        reverse("members:cadre_detail", args=[cast.cadre_a.pk])
    ).content.decode()
    assert "健康讲座" in page and "登记特长" in page
