"""The to-do items of visits and care (registered with grids.todo)."""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from activities.selectors.study import study_to_deliver
from grids.selectors import can_write
from grids.todo import Todo
from members.models import CadreStatus
from members.selectors import cadres_visible_to

from .models import CareVisit, Reminder, VisitPlan
from .selectors.health import health_due


def care_todos(user, today):
    visible = cadres_visible_to(user).filter(status=CadreStatus.ACTIVE).values("pk")
    if can_write(user):
        overdue = VisitPlan.objects.filter(
            cadre__in=visible, next_due_on__lt=today
        ).count()
        yield Todo(
            "visits_overdue", _("Visits overdue"), overdue, reverse("visits:mine"), True
        )
        follow = (
            CareVisit.objects.filter(
                follow_up_done_on__isnull=True, follow_up_due__lte=today,
                visited__cadre__in=visible,
            ).values("pk").distinct().count()
        )  # fmt: skip
        yield Todo(
            "follow_ups", _("Follow-ups due"), follow, reverse("visits:mine"), True
        )
        study = len(study_to_deliver(cadres_visible_to(user), today))
        yield Todo("study", _("Study to deliver at home"), study, reverse("visits:mine"))
        checkups = health_due(user, today).count()
        yield Todo("checkups", _("Check-ups due"), checkups, reverse("health:due"))
    unread = Reminder.objects.filter(Q(recipient=user), read_at__isnull=True).count()
    yield Todo("reminders", _("Unread reminders"), unread, reverse("inbox"))
