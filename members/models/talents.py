"""The silver-talent pool (银发人才库, issue 20): what each cadre can do and is willing
to do for the community, and when that was last confirmed with them."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grids.datebounds import DateBound

from .cadre import Cadre

# The skills the report's townships ask for; a township adds its own in the admin.
STANDARD_SKILLS = (
    "健康讲座", "书法", "绘画", "法律咨询", "矛盾调解", "政策宣讲", "文艺演出",
    "青少年教育", "党史宣讲", "理财防骗", "摄影", "维修手艺",
)  # fmt: skip


class Skill(models.Model):
    name = models.CharField(_("name"), max_length=30, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("skill")
        verbose_name_plural = _("skills")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class Talent(models.Model):
    """A cadre's skill, and whether they are willing to use it now."""

    cadre = models.ForeignKey(
        Cadre, on_delete=models.CASCADE, related_name="talents", verbose_name=_("cadre")
    )
    skill = models.ForeignKey(
        Skill, on_delete=models.PROTECT, related_name="talents", verbose_name=_("skill")
    )
    willing = models.BooleanField(_("willing to help"), default=True)
    note = models.CharField(_("note"), max_length=100, blank=True)
    confirmed_on = models.DateField(
        _("last confirmed"), default=timezone.localdate, validators=[DateBound("event")]
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("confirmed by"),
    )  # fmt: skip

    class Meta:
        verbose_name = _("talent")
        verbose_name_plural = _("talents")
        ordering = ["skill__sort_order", "skill__name"]
        constraints = [
            models.UniqueConstraint(fields=["cadre", "skill"], name="talent_unique"),
        ]
        indexes = [models.Index(fields=["skill", "cadre"], name="talent_skill")]

    def __str__(self) -> str:
        return f"{self.cadre} · {self.skill}"
