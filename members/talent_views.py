"""/cadres/talents/ (issue 20): the silver-talent pool — search by skill inside one's
scope — and a cadre's talents, set by someone who may change the dossier."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from grids.models import RESIDENCE_KINDS
from grids.params import int_from
from grids.selectors import scope_of, units_visible_to

from .models import Skill
from .selectors import can_edit_cadre, get_cadre_for_user
from .services import talents_set
from .talents import stale_before, talents_search


@login_required
def talent_pool(request):
    if scope_of(request.user).is_empty:
        raise PermissionDenied
    skills = list(Skill.objects.filter(is_active=True))
    places = (
        units_visible_to(request.user)
        .filter(kind__in=RESIDENCE_KINDS)
        .order_by("tree_id", "lft")
    )
    skill_id = int_from(request.GET.get("skill"), default=0)
    place_id = int_from(request.GET.get("place"), default=0)
    skill = next((s for s in skills if s.pk == skill_id), None)
    place = places.filter(pk=place_id).first() if place_id else None
    everyone = request.GET.get("all") == "1"
    found = list(talents_search(request.user, skill=skill, place=place,
                                willing_only=not everyone)[:500])  # fmt: skip
    return render(request, "members/talent_pool.html", {
        "skills": skills, "places": places, "skill": skill, "place": place,
        "everyone": everyone, "found": found, "stale_before": stale_before(),
        "nav": "campaigns",
    })  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def cadre_talents(request, pk):
    cadre = get_cadre_for_user(request.user, pk, write=True)
    skills = list(Skill.objects.filter(is_active=True))
    current = {t.skill_id: t for t in cadre.talents.all()}
    if request.method == "POST":
        chosen = {}
        for skill in skills:
            if request.POST.get(f"skill-{skill.pk}"):
                chosen[skill.pk] = (
                    request.POST.get(f"willing-{skill.pk}") == "on",
                    request.POST.get(f"note-{skill.pk}", "").strip(),
                )
        talents_set(by=request.user, cadre=cadre, chosen=chosen)
        messages.success(request, _("The talents are saved and confirmed today."))
        return redirect("members:cadre_detail", pk=cadre.pk)
    rows = [(s, current.get(s.pk)) for s in skills]
    return render(request, "members/cadre_talents.html", {
        "cadre": cadre, "rows": rows, "nav": "cadres",
        "can_edit": can_edit_cadre(request.user, cadre),
    })  # fmt: skip
