"""The cadres' queryset: nothing is hard-deleted; rank flags against the reference list."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import CadreStatus
from .reference import RankLevel


class CadreDeletionRefused(Exception):
    """Cadres are never hard-deleted: they are archived and their history stays."""


class CadreQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=CadreStatus.ACTIVE)

    def archived(self):
        return self.filter(status=CadreStatus.ARCHIVED)

    def delete(self):
        raise CadreDeletionRefused(_("Cadres are archived, never deleted."))

    def with_rank_flags(self):
        """Annotate whether the rank and benefit level are in the reference list."""
        listed = RankLevel.objects.filter(is_active=True)
        return self.annotate(
            original_rank_listed=models.Exists(
                listed.filter(name=models.OuterRef("original_rank"))
            )
            | Q(original_rank=""),
            benefit_level_listed=models.Exists(
                listed.filter(name=models.OuterRef("benefit_level"))
            )
            | Q(benefit_level=""),
        )
