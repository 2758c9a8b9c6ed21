"""Retired cadres and what belongs to them (DOMAIN.md, "The people")."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grids.datebounds import DateBound
from grids.models import RESIDENCE_KINDS, OrgUnit, UnitKind

from .dates import DatePrecision, add_years, format_partial, truncate, whole_years
from .idnumbers import IDNumberField, mask_id_number, mask_phone, parse_id_number
from .pinyin import name_initials
from .validators import normalize_phone, validate_phone


class CadreDeletionRefused(Exception):
    """Cadres are never hard-deleted: they are archived and their history stays."""


class RankLevel(models.Model):
    """Reference list of ranks and benefit levels (configurable by the township)."""

    name = models.CharField(_("name"), max_length=50, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("rank or benefit level")
        verbose_name_plural = _("ranks and benefit levels")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class Household(models.Model):
    """Cadres sharing one home (a couple, say): visited together."""

    address = models.CharField(_("address"), max_length=200, blank=True)
    notes = models.CharField(_("notes"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")

    def __str__(self) -> str:
        return self.address or str(_("Household %(pk)s") % {"pk": self.pk})


class Sex(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class Category(models.TextChoices):
    LIXIU = "lixiu", _("Lixiu (veteran cadre, joined by 1949-09-30)")
    TUIXIU = "tuixiu", _("Retired cadre")


class LixiuPeriod(models.TextChoices):
    # Benefits depend on the period they joined the revolution in (DOMAIN.md).
    ANTI_JAPANESE_WAR = "anti_japanese", _("Anti-Japanese War period")
    LIBERATION_WAR = "liberation", _("Liberation War period")


class MemberStatus(models.TextChoices):
    FULL = "full", _("Full member")
    PROBATIONARY = "probationary", _("Probationary member")
    OUT_OF_CONTACT = "out_of_contact", _("Out of contact")
    SUSPENDED = "suspended", _("Membership suspended")


class LivingSituation(models.TextChoices):
    ALONE = "alone", _("Living alone")
    EMPTY_NEST = "empty_nest", _("Empty nest")
    WITH_FAMILY = "with_family", _("With family")


class CadreStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    ARCHIVED = "archived", _("Archived")


class ArchiveReason(models.TextChoices):
    DECEASED = "deceased", _("Deceased")
    TRANSFERRED_OUT = "transferred_out", _("Organization relation transferred out")
    OTHER = "other", _("Other")


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


class Cadre(models.Model):
    name = models.CharField(_("name"), max_length=50)
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
    can_attend = models.BooleanField(
        _("can travel to activities"),
        default=True,
        help_text=_("Untick for cadres who are bedridden or cannot leave home."),
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

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

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

        if self.is_party_member:
            if not self.member_status:
                add("member_status", _("Choose the member status of a party member."))
            if self.member_status == MemberStatus.PROBATIONARY and self.full_member_on:
                add(
                    "full_member_on",
                    _("A probationary member has no full-membership date yet."),
                )
            if (
                self.joined_party_on
                and self.full_member_on
                and self.full_member_on < self.joined_party_on
            ):
                add(
                    "full_member_on",
                    _("Full membership (转正) cannot come before admission (入党)."),
                )
            if self.branch_id is None and self.status == CadreStatus.ACTIVE:
                add("branch", _("An active party member belongs to a party branch."))
        else:
            for field in ("branch", "joined_party_on", "full_member_on"):
                if getattr(self, field + ("_id" if field == "branch" else "")):
                    add(field, _("Only party members have party data; clear this field."))
            self.member_status = ""

        if self.branch_id and self.branch.kind != UnitKind.BRANCH:
            add(
                "branch",
                _("Choose a party branch, not a %(kind)s.")
                % {"kind": self.branch.get_kind_display()},
            )
        if self.residence_unit_id and self.residence_unit.kind not in RESIDENCE_KINDS:
            add(
                "residence_unit",
                _("The place of residence is a community or a village."),
            )

        if self.category != Category.LIXIU and self.lixiu_period:
            add("lixiu_period", _("Only lixiu cadres have a revolution period."))

        if self.status == CadreStatus.ARCHIVED:
            if not self.archive_reason:
                add("archive_reason", _("Say why the cadre is archived."))
            if not self.archived_on:
                add("archived_on", _("Give the date of the archiving."))
            if (
                self.archive_reason == ArchiveReason.TRANSFERRED_OUT
                and not self.transferred_to.strip()
            ):
                add("transferred_to", _("Say where the cadre was transferred to."))
        else:
            if self.archive_reason or self.archived_on:
                add("status", _("An active cadre has no archive reason or date."))

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
        if on < self.full_member_on:
            return None
        return whole_years(self.full_member_on, on)

    def party_50_years_on(self) -> datetime.date | None:
        """The date 50 full years of 党龄 are reached."""
        if self.party_age(datetime.date.max) is None:
            return None
        return add_years(self.full_member_on, 50)

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


class FamilyContact(models.Model):
    """Up to four family contacts per cadre (position 1–4, enforced in SQL)."""

    MAX_PER_CADRE = 4

    cadre = models.ForeignKey(
        Cadre,
        on_delete=models.PROTECT,
        related_name="family_contacts",
        verbose_name=_("cadre"),
    )
    position = models.PositiveSmallIntegerField(_("order"), default=1)
    relation = models.CharField(_("relation"), max_length=20)
    name = models.CharField(_("name"), max_length=50)
    phone = models.CharField(_("phone"), max_length=40, validators=[validate_phone])
    phone2 = models.CharField(
        _("second phone"), max_length=40, blank=True, validators=[validate_phone]
    )

    class Meta:
        verbose_name = _("family contact")
        verbose_name_plural = _("family contacts")
        ordering = ["cadre", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["cadre", "position"], name="familycontact_unique_position"
            ),
            models.CheckConstraint(
                condition=Q(position__gte=1, position__lte=4),
                name="familycontact_at_most_four",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.relation} {self.name}"

    def get_additional_data(self) -> dict:
        # Lets the cadre's history find its contacts' entries, deleted ones too.
        return {"cadre_id": self.cadre_id}


class BranchTransfer(models.Model):
    """History of a cadre's branch changes, written by members.services.cadre_transfer."""

    cadre = models.ForeignKey(
        Cadre,
        on_delete=models.PROTECT,
        related_name="transfers",
        verbose_name=_("cadre"),
    )
    from_branch = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("from branch"),
    )
    to_branch = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("to branch"),
    )
    on = models.DateField(_("date"), validators=[DateBound("event")])
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("branch transfer")
        verbose_name_plural = _("branch transfers")
        ordering = ["-on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_branch=F("to_branch")) | Q(from_branch__isnull=True),
                name="branchtransfer_changes_branch",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cadre}: {self.from_branch or '—'} → {self.to_branch} ({self.on})"


from .imports.models import ImportJob  # noqa: E402, F401  (the browser imports)
