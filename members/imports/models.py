"""An import started in the browser: its uploaded file, its progress and its result."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from grids.models import Stamped


class ImportKind(models.TextChoices):
    ROSTER = "roster", _("Roster of cadres")
    TREE = "tree", _("Organization tree")
    PARTNERS = "partners", _("Co-building partners and pairings")
    MEETINGS = "meetings", _("Meeting records (台账)")


class ImportStatus(models.TextChoices):
    PREVIEWING = "previewing", _("Checking")
    PREVIEWED = "previewed", _("Checked, waiting for confirmation")
    CHOOSING = "choosing", _("Waiting for a choice of columns")
    IMPORTING = "importing", _("Importing")
    DONE = "done", _("Imported")
    REFUSED = "refused", _("Refused")
    FAILED = "failed", _("Could not be read")
    ABANDONED = "abandoned", _("Abandoned")


ACTIVE_STATUSES = (ImportStatus.PREVIEWING, ImportStatus.IMPORTING)
FINISHED_STATUSES = (
    ImportStatus.DONE,
    ImportStatus.REFUSED,
    ImportStatus.FAILED,
    ImportStatus.ABANDONED,
)


class ImportJob(Stamped):
    # A random id: job pages and their files are never guessed by counting.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=10, choices=ImportKind.choices)
    mode = models.CharField(_("mode"), max_length=10, default="create")
    skip_invalid = models.BooleanField(_("write the valid rows only"), default=False)
    # For rows that name no unit (rosters): the community or village, and the branch.
    default_unit = models.ForeignKey(
        "grids.OrgUnit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("default community or village"),
    )
    default_branch = models.ForeignKey(
        "grids.OrgUnit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("default branch"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="import_jobs",
        verbose_name=_("user"),
    )
    file_name = models.CharField(_("file name"), max_length=255)
    file_sha256 = models.CharField(_("file hash"), max_length=64)
    file_size = models.PositiveBigIntegerField(_("file size"))
    # Under IMPORT_FILE_DIR (outside the web root); blank once the file is deleted.
    stored_file = models.CharField(max_length=100, blank=True)
    error_file = models.CharField(max_length=100, blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ImportStatus.choices,
        default=ImportStatus.PREVIEWING,
    )
    background = models.BooleanField(_("runs in the background"), default=False)
    rows_total = models.PositiveIntegerField(_("rows (estimate)"), default=0)
    # The dry run's and the import's counts, errors and warnings (result.as_dict()).
    preview = models.JSONField(_("check result"), null=True, blank=True)
    result = models.JSONField(_("import result"), null=True, blank=True)
    message = models.TextField(_("message"), blank=True)
    # The user's choice where several columns could be one field (header as written
    # → field key, "" for not used); the check runs again with it.
    column_map = models.JSONField(_("choice of columns"), default=dict, blank=True)
    # Set while a worker runs a phase: a second delivery of the task finds it taken.
    claimed_at = models.DateTimeField(null=True, blank=True, editable=False)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        app_label = "members"
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "-created_at"], name="importjob_user")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.file_name}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED_STATUSES
