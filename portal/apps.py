from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("The cadres' own pages")

    def ready(self) -> None:
        from members import profile
        from services import queue

        from .views.opinions import opinion_queue_section
        from .views.staff import portal_section

        profile.register(portal_section)
        queue.register(opinion_queue_section)
