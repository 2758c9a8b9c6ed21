"""The cadres' own pages (issue 23): signing in without a password.

A cadre — or a family contact registered to act for them — signs in by a one-time
code sent to a mobile number, or by a printed single-use link. What is stored of a
code or a link is its hash; a portal session is its own cookie and row, never a staff
login, and a worker can end it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from members.models import Cadre, FamilyContact


class SignInMethod(models.TextChoices):
    CODE = "code", _("Code by SMS")
    LINK = "link", _("Printed sign-in link")


class PortalCode(models.Model):
    """One code asked for a number (a row also when the number is not registered, so
    that the limits count every request; then nothing is sent)."""

    phone = models.CharField(_("mobile number"), max_length=11, db_index=True)
    code_hash = models.CharField(max_length=64, blank=True)
    sent = models.BooleanField(default=False)
    address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(_("asked at"), db_index=True)
    expires_at = models.DateTimeField()
    tries = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("sign-in code")
        verbose_name_plural = _("sign-in codes")
        indexes = [
            models.Index(fields=["address", "created_at"], name="portalcode_address")
        ]

    def __str__(self) -> str:
        return f"{self.phone[:3]}****{self.phone[-4:]} {self.created_at:%Y-%m-%d %H:%M}"


class PortalLink(models.Model):
    """A printed sign-in link (and its QR code) for one cadre: single use, valid
    PORTAL_LINK_DAYS, revocable from the profile."""

    cadre = models.ForeignKey(
        Cadre, on_delete=models.CASCADE, related_name="portal_links"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")  # fmt: skip
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")  # fmt: skip

    class Meta:
        verbose_name = _("sign-in link")
        verbose_name_plural = _("sign-in links")

    def __str__(self) -> str:
        return f"{self.cadre} {self.created_at:%Y-%m-%d}"


class PortalSession(models.Model):
    """A signed-in phone: its own cookie (path /my/), PORTAL_SESSION_DAYS long unless
    signed out or ended by a worker."""

    cadre = models.ForeignKey(
        Cadre, on_delete=models.CASCADE, related_name="portal_sessions"
    )
    # Set when a family contact signed in to act for the cadre.
    contact = models.ForeignKey(FamilyContact, on_delete=models.SET_NULL, null=True,
                                blank=True, related_name="+")  # fmt: skip
    key_hash = models.CharField(max_length=64, unique=True)
    method = models.CharField(max_length=8, choices=SignInMethod.choices)
    created_at = models.DateTimeField()
    last_seen_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 null=True, blank=True, related_name="+")  # fmt: skip

    class Meta:
        verbose_name = _("portal session")
        verbose_name_plural = _("portal sessions")

    def __str__(self) -> str:
        return f"{self.cadre} {self.created_at:%Y-%m-%d}"


class PortalSignIn(models.Model):
    """Every sign-in, kept: who, for whom, how, when, from where."""

    cadre = models.ForeignKey(
        Cadre, on_delete=models.CASCADE, related_name="portal_sign_ins"
    )
    contact = models.ForeignKey(FamilyContact, on_delete=models.SET_NULL, null=True,
                                blank=True, related_name="+")  # fmt: skip
    contact_name = models.CharField(max_length=50, blank=True)
    method = models.CharField(max_length=8, choices=SignInMethod.choices)
    at = models.DateTimeField(db_index=True)
    address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        verbose_name = _("portal sign-in")
        verbose_name_plural = _("portal sign-ins")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.cadre} {self.at:%Y-%m-%d %H:%M}"


class NoticeKind(models.TextChoices):
    NOTICE = "notice", _("Notice")
    STUDY = "study", _("Study material")


class Notice(models.Model):
    """A notice or study material that staff publish to a unit and everything under
    it: every cadre whose branch or residence lies in that subtree receives it."""

    unit = models.ForeignKey("grids.OrgUnit", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("published to"))  # fmt: skip
    kind = models.CharField(_("kind"), max_length=8, choices=NoticeKind.choices,
                            default=NoticeKind.NOTICE)  # fmt: skip
    title = models.CharField(_("title"), max_length=100)
    body = models.TextField(_("text"), max_length=10_000)
    link = models.URLField(_("link (an article or a video)"), blank=True)
    # Study material: minutes of study a reading counts for, where the township counts
    # reading on the cadres' own pages as study (PORTAL_STUDY_COUNTS).
    study_minutes = models.PositiveSmallIntegerField(
        _("study minutes it counts for"), null=True, blank=True
    )
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+")  # fmt: skip
    published_at = models.DateTimeField(_("published at"), db_index=True)

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-published_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class NoticeFile(models.Model):
    """A photo or a PDF attached to a notice: checked by content, stored outside the
    web root (PORTAL_FILE_DIR), served only to whom the notice reaches and to staff
    who see it."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="files")
    stored_file = models.CharField(max_length=100, unique=True)
    content_type = models.CharField(max_length=30)
    original_name = models.CharField(_("file name"), max_length=150, blank=True)
    size = models.PositiveIntegerField(_("size"))

    class Meta:
        verbose_name = _("notice attachment")
        verbose_name_plural = _("notice attachments")
        ordering = ["notice", "pk"]

    def __str__(self) -> str:
        return self.original_name or self.stored_file


class NoticeRead(models.Model):
    """A read receipt: the cadre (or whoever acts for them) opened the notice."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="reads")
    cadre = models.ForeignKey(Cadre, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField()

    class Meta:
        verbose_name = _("read receipt")
        verbose_name_plural = _("read receipts")
        constraints = [
            models.UniqueConstraint(fields=["notice", "cadre"], name="noticeread_once")
        ]

    def __str__(self) -> str:
        return f"{self.notice} · {self.cadre}"


class Opinion(models.Model):
    """我有话说 (社情民意): what a cadre says, for their community's workers, and the
    answer that returns to them."""

    cadre = models.ForeignKey(Cadre, on_delete=models.CASCADE, related_name="opinions")
    contact = models.ForeignKey(FamilyContact, on_delete=models.SET_NULL, null=True,
                                blank=True, related_name="+")  # fmt: skip
    # The cadre's community (or village) when it was sent: whose workers answer.
    unit = models.ForeignKey("grids.OrgUnit", on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("what I want to say"), max_length=2000)
    sent_at = models.DateTimeField(_("sent at"), db_index=True)
    client_key = models.UUIDField(null=True, blank=True, unique=True)
    answer = models.TextField(_("answer"), max_length=2000, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")  # fmt: skip
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("opinion")
        verbose_name_plural = _("opinions")
        ordering = ["-sent_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.cadre} {self.sent_at:%Y-%m-%d}"
