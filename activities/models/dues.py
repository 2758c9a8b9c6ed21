"""Party dues of retired members (党费, issue 21): a township's local narrowing of the
base, each branch's book for a year (monthly, or quarterly with the branch's
approval), each member's account with the monthly amount fixed when the year is
opened, recorded changes (a hardship reduction studied by the branch and approved by
the next-level committee, or an adjustment), and the payments month by month."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from grids.datebounds import DateBound
from grids.models import OrgUnit
from members.models import Cadre

MONTH = [MinValueValidator(1), MaxValueValidator(12)]


class DuesPolicy(models.Model):
    """A township's local rule narrowing the base: yuan of the pension not counted."""

    unit = models.OneToOneField(
        OrgUnit, on_delete=models.CASCADE, related_name="dues_policy",
        verbose_name=_("township"),
    )  # fmt: skip
    base_deduction = models.DecimalField(
        _("not counted in the base (yuan a month)"), max_digits=8, decimal_places=2,
        default=0, validators=[MinValueValidator(0)],
    )  # fmt: skip
    note = models.CharField(_("the local rule"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("dues policy")
        verbose_name_plural = _("dues policies")

    def __str__(self) -> str:
        return f"{self.unit} · {self.base_deduction}"


class Collection(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly (approved by the branch)")


class DuesBook(models.Model):
    """A branch's dues for a year: opened once, when the amounts are fixed."""

    branch = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="dues_books",
        verbose_name=_("party branch"),
    )  # fmt: skip
    year = models.PositiveSmallIntegerField(_("year"))
    collection = models.CharField(
        _("collected"),
        max_length=10,
        choices=Collection.choices,
        default=Collection.MONTHLY,
    )
    quarterly_approved_on = models.DateField(
        _("quarterly collection approved by the branch on"), null=True, blank=True,
        validators=[DateBound("event")],
    )  # fmt: skip
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)

    class Meta:
        verbose_name = _("dues book")
        verbose_name_plural = _("dues books")
        constraints = [
            models.UniqueConstraint(fields=["branch", "year"], name="duesbook_once"),
            models.CheckConstraint(
                condition=~Q(collection="quarterly") | Q(quarterly_approved_on__isnull=False),
                name="duesbook_quarterly_approved",
                violation_error_message=_(
                    "Quarterly collection needs the date the branch approved it."
                ),
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.branch} {self.year}"


class DuesAccount(models.Model):
    """A member's dues for a year: the base and the monthly amount fixed at opening
    (a pension change applies next year, or through a recorded change)."""

    book = models.ForeignKey(
        DuesBook,
        on_delete=models.CASCADE,
        related_name="accounts",
        verbose_name=_("book"),
    )
    cadre = models.ForeignKey(
        Cadre,
        on_delete=models.PROTECT,
        related_name="dues_accounts",
        verbose_name=_("member"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    base = models.DecimalField(
        _("base (yuan)"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    monthly_due = models.DecimalField(
        _("monthly dues (yuan)"), max_digits=8, decimal_places=2, null=True, blank=True,
        help_text=_("Blank: no pension recorded when the year was opened."),
    )  # fmt: skip
    first_month = models.PositiveSmallIntegerField(
        _("from month"), default=1, validators=MONTH
    )
    last_month = models.PositiveSmallIntegerField(
        _("to month"), null=True, blank=True, validators=MONTH,
        help_text=_("Set when the member leaves (died, transferred out)."),
    )  # fmt: skip
    arrears_reason = models.CharField(
        _("reason for arrears"), max_length=200, blank=True,
        help_text=_("Recorded by the secretary: the member is then not listed as in arrears."),
    )  # fmt: skip

    class Meta:
        verbose_name = _("dues account")
        verbose_name_plural = _("dues accounts")
        constraints = [
            models.UniqueConstraint(fields=["cadre", "year"], name="duesaccount_once"),
        ]
        indexes = [models.Index(fields=["book", "cadre"], name="duesaccount_book")]

    def __str__(self) -> str:
        return f"{self.cadre} {self.year}"


class ChangeKind(models.TextChoices):
    HARDSHIP = (
        "hardship",
        _("Hardship: less or nothing (branch studied, committee approved)"),
    )
    ADJUSTMENT = "adjustment", _("Adjustment (e.g. the pension changed)")


class DuesChange(models.Model):
    """From a month on, the member pays another monthly amount."""

    account = models.ForeignKey(
        DuesAccount, on_delete=models.CASCADE, related_name="changes",
        verbose_name=_("account"),
    )  # fmt: skip
    kind = models.CharField(_("kind"), max_length=10, choices=ChangeKind.choices)
    from_month = models.PositiveSmallIntegerField(_("from month"), validators=MONTH)
    monthly_due = models.DecimalField(
        _("monthly dues (yuan)"), max_digits=8, decimal_places=2,
        validators=[MinValueValidator(0)],
    )  # fmt: skip
    reason = models.CharField(_("reason"), max_length=200)
    studied_on = models.DateField(
        _("studied by the branch on"),
        null=True,
        blank=True,
        validators=[DateBound("event")],
    )
    approved_on = models.DateField(
        _("approved by the next-level committee on"), null=True, blank=True,
        validators=[DateBound("event")],
    )  # fmt: skip
    approved_by = models.CharField(_("approving committee"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("recorded by"),
    )  # fmt: skip
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("dues change")
        verbose_name_plural = _("dues changes")
        ordering = ["account", "from_month", "pk"]

    def __str__(self) -> str:
        return f"{self.account} {self.from_month}: {self.monthly_due}"


class PaidBy(models.TextChoices):
    CASH = "cash", _("Cash")
    TRANSFER = "transfer", _("Bank or mobile transfer")
    COLLECTED = "collected", _("Collected at home by the worker")


class DuesPayment(models.Model):
    """One month paid; months paid together share a receipt number."""

    account = models.ForeignKey(
        DuesAccount, on_delete=models.PROTECT, related_name="payments",
        verbose_name=_("account"),
    )  # fmt: skip
    month = models.PositiveSmallIntegerField(_("month"), validators=MONTH)
    amount = models.DecimalField(
        _("amount (yuan)"),
        max_digits=8,
        decimal_places=2,
        validators=[MinValueValidator(0)],
    )
    paid_on = models.DateField(_("paid on"), validators=[DateBound("event")])
    paid_by = models.CharField(_("how"), max_length=10, choices=PaidBy.choices)
    receipt = models.CharField(_("receipt number"), max_length=24, db_index=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("recorded by"),
    )  # fmt: skip
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("dues payment")
        verbose_name_plural = _("dues payments")
        ordering = ["account", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "month"], name="duespayment_once",
                violation_error_message=_("This month is already paid."),
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.account} {self.month}: {self.amount}"
