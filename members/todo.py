"""The to-do items of the roster (registered with grids.todo)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from grids.todo import Todo

from .imports.models import ImportJob, ImportStatus


def roster_todos(user, today):
    waiting = ImportJob.objects.filter(user=user, status=ImportStatus.PREVIEWED).count()
    yield Todo("imports", _("Imports waiting for your confirmation"), waiting,
               reverse("imports:home"), True)  # fmt: skip
