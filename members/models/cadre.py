"""The cadre's dossier: identity, career, party dates, residence, care flags, roster status."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grids.datebounds import DateBound
from grids.models import RESIDENCE_KINDS, OrgUnit, Stamped, UnitKind

from ..dates import DatePrecision, add_years, format_partial, truncate, whole_years
from ..idnumbers import IDNumberField, mask_id_number, mask_phone, parse_id_number
from ..pinyin import name_initials
from ..rules import dossier_complete, dossier_problems
from ..validators import normalize_phone, validate_phone
from .benefits import CadreBenefits
from .choices import (
    ArchiveReason,
    CadreStatus,
    Category,
    LivingSituation,
    LixiuPeriod,
    MaritalStatus,
    MemberStatus,
    Mobility,
    Sex,
)
from .household import Household
from .interests import CadreInterests
from .queryset import CadreDeletionRefused, CadreQuerySet  # noqa: F401
from .standing import CadreContactStanding

# The fields the cross-field rules read (members.rules).
RULE_FIELDS = (
    "is_party_member", "member_status", "branch_id", "joined_party_on",
    "joined_party_precision", "full_member_on", "full_member_precision", "category",
    "lixiu_period", "status", "archive_reason", "archived_on", "transferred_to",
)  # fmt: skip


class Cadre(CadreBenefits, CadreInterests, CadreContactStanding, Stamped):
    name = models.CharField(_("full name"), max_length=50)
    # Pinyin initials of the name, kept in step on save (search: zsf → 张三丰).
    name_initials = models.CharField(
        _("pinyin initials"), max_length=50, blank=True, editable=False
    )
    id_number = IDNumberField(
        _("ID number"),
        max_length=18,
        unique=True,
        help_text=_("18 characters; a 15-digit number is upgraded automatically"),
    )
    # Derived from the ID number; an entered value that disagrees is refused.
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    birth_date = models.DateField(
        _("birth date"), blank=True, db_index=True, validators=[DateBound("birth")]
    )
    ethnicity = models.CharField(_("ethnicity"), max_length=20, default="汉族")
    phone = models.CharField(
        _("phone"), max_length=40, blank=True, validators=[validate_phone]
    )
    # A second phone: offices send 手机 and 固话 as two columns.
    phone2 = models.CharField(
        _("landline or second phone"),
        max_length=40,
        blank=True,
        validators=[validate_phone],
    )
    address = models.CharField(_("address"), max_length=200, blank=True)

    category = models.CharField(_("category"), max_length=10, choices=Category.choices)
    lixiu_period = models.CharField(
        _("period joined the revolution"),
        max_length=16,
        choices=LixiuPeriod.choices,
        blank=True,
    )
    original_rank = models.CharField(_("original rank"), max_length=50, blank=True)
    benefit_level = models.CharField(_("benefit level"), max_length=50, blank=True)
    original_work_unit = models.CharField(
        _("original work unit"), max_length=150, blank=True
    )
    retirement_date = models.DateField(
        _("retirement date"), null=True, blank=True, validators=[DateBound("event")]
    )
    # What every office's roster carries (issue 19).
    native_place = models.CharField(_("native place"), max_length=50, blank=True)
    marital_status = models.CharField(
        _("marital status"), max_length=10, choices=MaritalStatus.choices, blank=True
    )
    education = models.CharField(_("highest education"), max_length=30, blank=True)
    work_started_on = models.DateField(
        _("started work on"), null=True, blank=True, validators=[DateBound("event")]
    )

    is_party_member = models.BooleanField(_("party member"), default=True)
    joined_party_on = models.DateField(
        _("admitted to the party (入党)"),
        null=True,
        blank=True,
        validators=[DateBound("event")],
    )
    joined_party_precision = models.CharField(
        _("admission date known to"),
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
    )
    full_member_on = models.DateField(
        _("full membership (转正)"),
        null=True,
        blank=True,
        validators=[DateBound("event")],
    )
    full_member_precision = models.CharField(
        _("full membership date known to"),
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
    )
    member_status = models.CharField(
        _("member status"), max_length=16, choices=MemberStatus.choices, blank=True
    )

    branch = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="branch_cadres",
        limit_choices_to={"kind": UnitKind.BRANCH},
        verbose_name=_("party branch"),
        db_index=False,  # cadre_branch_status leads with the branch
    )
    party_group = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="group_cadres",
        limit_choices_to={"kind": UnitKind.PARTY_GROUP},
        verbose_name=_("party group"),
        help_text=_("A party group (党小组) of the cadre's own branch."),
    )
    residence_unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        related_name="resident_cadres",
        limit_choices_to={"kind__in": RESIDENCE_KINDS},
        verbose_name=_("community or village of residence"),
    )

    living_situation = models.CharField(
        _("living situation"),
        max_length=12,
        choices=LivingSituation.choices,
        default=LivingSituation.WITH_FAMILY,
    )
    household = models.ForeignKey(
        Household,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cadres",
        verbose_name=_("household"),
        db_index=False,  # cadre_household: only the few cadres in a household
    )
    mobility = models.CharField(
        _("mobility"),
        max_length=8,
        choices=Mobility.choices,
        default=Mobility.TRAVEL,
        help_text=_(
            "At home only: meetings propose the cadre as unable and study is "
            "delivered at home."
        ),
    )
    critically_ill = models.BooleanField(_("critically ill"), default=False)
    disabled_or_cognitive = models.BooleanField(
        _("disabled or cognitively impaired"), default=False
    )
    in_hardship = models.BooleanField(_("in hardship"), default=False)
    health_status = models.CharField(_("health status"), max_length=200, blank=True)
    requests = models.TextField(_("the cadre's own requests"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=CadreStatus.choices,
        default=CadreStatus.ACTIVE,
    )
    # When the cadre came onto this roster (creation, import, a transfer in): coverage
    # expects visits only for periods that begin on or after it.
    on_roster_since = models.DateField(
        _("on the roster since"),
        default=timezone.localdate,
        help_text=_("The day the cadre came onto this township's roster; visit coverage "
                    "counts them from the next period on."),
        validators=[DateBound("event")],
    )  # fmt: skip
    archive_reason = models.CharField(
        _("archive reason"), max_length=16, choices=ArchiveReason.choices, blank=True
    )
    archived_on = models.DateField(
        _("archive date"),
        null=True,
        blank=True,
        help_text=_("Date of death, of transfer out, or of archiving"),
        validators=[DateBound("event")],
    )
    transferred_to = models.CharField(_("transferred to"), max_length=150, blank=True)
    archive_note = models.CharField(_("archive note"), max_length=200, blank=True)

    objects = CadreQuerySet.as_manager()

    class Meta:
        verbose_name = _("cadre")
        verbose_name_plural = _("cadres")
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(full_member_on__isnull=True)
                | Q(joined_party_on__isnull=True)
                | Q(full_member_on__gte=F("joined_party_on")),
                name="cadre_full_member_not_before_joining",
            ),
            models.CheckConstraint(
                condition=(
                    Q(
                        status=CadreStatus.ACTIVE,
                        archive_reason="",
                        archived_on__isnull=True,
                    )
                    | (
                        Q(status=CadreStatus.ARCHIVED, archived_on__isnull=False)
                        & ~Q(archive_reason="")
                    )
                ),
                name="cadre_archive_reason_and_date",
            ),
            models.CheckConstraint(
                condition=~Q(archive_reason=ArchiveReason.TRANSFERRED_OUT)
                | ~Q(transferred_to=""),
                name="cadre_transfer_out_destination",
            ),
            models.CheckConstraint(
                condition=Q(is_party_member=True)
                | Q(
                    branch__isnull=True,
                    member_status="",
                    joined_party_on__isnull=True,
                    full_member_on__isnull=True,
                ),
                name="cadre_non_member_no_party_data",
            ),
            models.CheckConstraint(
                condition=Q(is_party_member=False) | ~Q(member_status=""),
                name="cadre_member_has_status",
            ),
            models.CheckConstraint(
                condition=~Q(member_status=MemberStatus.PROBATIONARY)
                | Q(full_member_on__isnull=True),
                name="cadre_probationary_not_full",
            ),
            models.CheckConstraint(
                condition=Q(category=Category.LIXIU) | Q(lixiu_period=""),
                name="cadre_period_only_for_lixiu",
            ),
            models.CheckConstraint(
                condition=Q(sex__in=[Sex.MALE, Sex.FEMALE]), name="cadre_sex_known"
            ),
        ]
        # Every index is paid for on each write (an import inserts 100,000 rows), so
        # only those that queries use: the list sorts by name, searches initials by
        # prefix (pattern ops) and names by substring (no btree helps), and filters
        # by branch with status.
        indexes = [
            models.Index(fields=["branch", "status"], name="cadre_branch_status"),
            models.Index(fields=["name"], name="cadre_name"),
            models.Index(
                fields=["household"],
                name="cadre_household",
                condition=Q(household__isnull=False),
            ),
            models.Index(
                fields=["name_initials"],
                name="cadre_initials_prefix",
                opclasses=["varchar_pattern_ops"],
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name = self.name.strip()
        self.name_initials = name_initials(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "name_initials"}
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise CadreDeletionRefused(_("Cadres are archived, never deleted."))

    # ---- validation -------------------------------------------------------------

    def clean(self) -> None:
        super().clean()
        errors: dict[str, list] = {}

        def add(field: str, message) -> None:
            errors.setdefault(field, []).append(message)

        if self.id_number:
            try:
                info = parse_id_number(self.id_number)
            except ValidationError as exc:
                add("id_number", exc.messages[0])
            else:
                self.id_number = info.number
                if self.birth_date and self.birth_date != info.birth_date:
                    add(
                        "birth_date",
                        _(
                            "The birth date entered (%(entered)s) disagrees with the ID "
                            "number, which gives %(derived)s."
                        )
                        % {
                            "entered": self.birth_date.isoformat(),
                            "derived": info.birth_date.isoformat(),
                        },
                    )
                else:
                    self.birth_date = info.birth_date
                if self.sex and self.sex != info.sex:
                    add(
                        "sex",
                        _(
                            "The sex entered (%(entered)s) disagrees with the ID number, "
                            "which gives %(derived)s."
                        )
                        % {
                            "entered": Sex(self.sex).label,
                            "derived": Sex(info.sex).label,
                        },
                    )
                else:
                    self.sex = info.sex

        self.phone = normalize_phone(self.phone)
        if self.joined_party_on:
            self.joined_party_on = truncate(
                self.joined_party_on, self.joined_party_precision
            )
        if self.full_member_on:
            self.full_member_on = truncate(
                self.full_member_on, self.full_member_precision
            )

        # The rules across fields, stated once for the forms and the import.
        values = {name: getattr(self, name) for name in RULE_FIELDS}
        dossier_complete(values, timezone.localdate())
        self.member_status = values["member_status"]
        for field, message in dossier_problems(values):
            add(field, message)

        if self.branch_id and self.branch.kind != UnitKind.BRANCH:
            add(
                "branch",
                _("Choose a party branch, not a %(kind)s.")
                % {"kind": self.branch.get_kind_display()},
            )
        if self.party_group_id and (
            self.party_group.kind != UnitKind.PARTY_GROUP
            or self.party_group.parent_id != self.branch_id
        ):
            add(
                "party_group",
                _("Choose a party group of the cadre's own branch."),
            )
        if self.residence_unit_id and self.residence_unit.kind not in RESIDENCE_KINDS:
            add(
                "residence_unit",
                _("The place of residence is a community or a village."),
            )

        if self.birth_date and self.birth_date > timezone.localdate():
            add("birth_date", _("The birth date lies in the future."))
        if errors:
            raise ValidationError(errors)

    # ---- derived ----------------------------------------------------------------

    def age(self, on: datetime.date | None = None) -> int:
        """Age in whole years (周岁)."""
        return whole_years(self.birth_date, on or timezone.localdate())

    def party_age(self, on: datetime.date | None = None) -> int | None:
        """党龄: whole completed years from 转正; None for a probationary member or
        a non-member (DOMAIN.md: never from 入党 + 1 year, probation can be extended)."""
        if (
            not self.is_party_member
            or self.member_status == MemberStatus.PROBATIONARY
            or self.full_member_on is None
        ):
            return None
        on = on or timezone.localdate()
        if self.archive_reason == ArchiveReason.DECEASED and self.archived_on:
            on = min(on, self.archived_on)  # counted to the date of death
        if on < self.full_member_on:
            return None
        return whole_years(self.full_member_on, on)

    def party_50_years_on(self) -> datetime.date | None:
        """The date 50 full years of 党龄 are reached."""
        if self.party_age(datetime.date.max) is None:
            return None
        reached = add_years(self.full_member_on, 50)
        died = self.archive_reason == ArchiveReason.DECEASED and self.archived_on
        return None if died and self.archived_on < reached else reached

    def is_80_plus(self, on: datetime.date | None = None) -> bool:
        return self.age(on) >= 80

    def is_90_plus(self, on: datetime.date | None = None) -> bool:
        return self.age(on) >= 90

    @property
    def is_active(self) -> bool:
        return self.status == CadreStatus.ACTIVE

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    @property
    def joined_party_display(self) -> str:
        return format_partial(self.joined_party_on, self.joined_party_precision)

    @property
    def full_member_display(self) -> str:
        return format_partial(self.full_member_on, self.full_member_precision)
