from django.db import models
from django.utils.translation import gettext_lazy as _


class SyntheticDataset(models.Model):
    """Marks a database seeded by `seed_synthetic`, so benchmarks can reuse it."""

    seed = models.IntegerField(_("seed"))
    cadres = models.PositiveIntegerField(_("cadres"))
    anchor = models.DateField(_("anchor date"))
    seconds = models.FloatField(_("seconds to seed"))
    bench_worker = models.CharField(_("benchmark worker"), max_length=50)
    counts = models.JSONField(_("row counts"), default=dict)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("synthetic data set")
        verbose_name_plural = _("synthetic data sets")

    def __str__(self) -> str:
        return f"seed {self.seed}, {self.cadres} cadres"
