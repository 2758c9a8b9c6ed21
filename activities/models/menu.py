"""The activity menu (活动菜单, issue 20): open activities — of the kinds that do not
count in meeting participation — that a branch, a grid or a partner unit offers this
quarter, each marked for whom it suits and how many it takes, and the cadres a worker
signs up for them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from members.models import Cadre

from .meetings import Activity
from .suits import Suits  # noqa: F401


class SignUp(models.Model):
    """A cadre signed up for an activity on the menu (报名); whether they came is
    their attendance row, recorded after the activity."""

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="signups",
        verbose_name=_("activity"),
    )  # fmt: skip
    cadre = models.ForeignKey(
        Cadre, on_delete=models.CASCADE, related_name="signups", verbose_name=_("cadre")
    )
    created_at = models.DateTimeField(_("signed up at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("signed up by"),
    )  # fmt: skip

    class Meta:
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")
        ordering = ["activity", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "cadre"], name="signup_once",
                violation_error_message=_("This cadre is already signed up."),
            ),
        ]  # fmt: skip
        indexes = [models.Index(fields=["cadre", "activity"], name="signup_cadre")]

    def __str__(self) -> str:
        return f"{self.cadre} · {self.activity}"
