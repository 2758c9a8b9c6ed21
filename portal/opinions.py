"""Opinions (我有话说, 社情民意): what reaches a cadre's own list and a worker's inbox
(reads; the writes are in portal.services)."""

from django.db.models import QuerySet

from grids.selectors import scope_of, units_visible_to

from .models import Opinion


def opinions_of(cadre) -> QuerySet[Opinion]:
    return Opinion.objects.filter(cadre=cadre).select_related("contact")


def opinions_visible_to(user) -> QuerySet[Opinion]:
    """Staff: the opinions sent from a community or village inside the scope."""
    return Opinion.objects.filter(unit__in=units_visible_to(user)).select_related(
        "cadre", "contact", "unit", "answered_by"
    )


def opinions_waiting_on(user) -> QuerySet[Opinion]:
    """Opinions not yet answered that the user may answer (the writable scope)."""
    scope = scope_of(user).writable()
    if scope.is_empty:
        return Opinion.objects.none()
    return (
        Opinion.objects.filter(scope.q("unit__"), answered_at__isnull=True)
        .select_related("cadre", "contact", "unit")
        .order_by("sent_at", "pk")
    )


def may_answer(user, opinion: Opinion) -> bool:
    return scope_of(user).writable().contains(opinion.unit)
