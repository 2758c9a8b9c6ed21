"""The cadres' own pages' writes: signing in (codes by SMS, printed links, sessions),
publishing notices and their read receipts.

The limits (issue 23): a code has six digits, lives PORTAL_CODE_MINUTES (5) and allows
five tries; a number gets at most one code a minute and five an hour, an address twenty
an hour. A number that is not registered is answered exactly as one that is (nothing is
sent), so that the form does not tell who is on the roster."""

import datetime
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from activities.services.upcoming import leave_request_record
from grids.models import OrgUnit
from grids.selectors import scope_of
from grids.uploads import check_size, is_image, is_pdf, store_image, store_pdf
from members.models import Cadre, CadreStatus
from members.selectors import can_edit_cadre
from services.models import Reminder
from services.reminders.recipients import Recipients

from .models import (
    Notice,
    NoticeFile,
    NoticeKind,
    NoticeRead,
    Opinion,
    PortalCode,
    PortalLink,
    PortalSession,
    PortalSignIn,
)
from .selectors import Identity, digest, identities_for, mobile
from .sms import sms_channel

CODE_TRIES = 5
CODES_PER_HOUR = 5
CODES_PER_ADDRESS_HOUR = 20


class PortalRefused(Exception):
    """A step the person may not take now; the message says why, in Chinese."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _number(phone: str) -> str:
    number = mobile(phone)
    if not number:
        raise PortalRefused(
            _("Enter the 11 digits of a mobile number (e.g. 13812348000): a code "
              "cannot be sent to a landline.")
        )  # fmt: skip
    return number


def portal_code_send(*, phone: str, address: str | None, now=None) -> None:
    """Ask for a code for a number: sent when the number may sign in, refused with a
    reason when a limit is reached."""
    number = _number(phone)
    now = now or timezone.now()
    hour = now - datetime.timedelta(hours=1)
    codes = PortalCode.objects.filter(created_at__gt=hour)
    if codes.filter(
        phone=number, created_at__gt=now - datetime.timedelta(minutes=1)
    ).exists():
        raise PortalRefused(_("A code was sent to this number less than a minute ago. "
                              "Please wait a minute before asking again."))  # fmt: skip
    if codes.filter(phone=number).count() >= CODES_PER_HOUR:
        raise PortalRefused(_("Five codes were asked for this number in the last hour. "
                              "Please try again later, or ask your community worker for "
                              "a printed sign-in link."))  # fmt: skip
    if address and codes.filter(address=address).count() >= CODES_PER_ADDRESS_HOUR:
        raise PortalRefused(_("Too many codes were asked from this network in the last "
                              "hour. Please try again later."))  # fmt: skip
    known = bool(identities_for(number))
    code = f"{secrets.randbelow(10**6):06d}"
    PortalCode.objects.create(
        phone=number, code_hash=digest("code", f"{number}:{code}") if known else "",
        sent=known, address=address or None, created_at=now,
        expires_at=now + datetime.timedelta(minutes=settings.PORTAL_CODE_MINUTES),
    )  # fmt: skip
    if known:
        text = _("Your sign-in code for %(site)s is %(code)s, valid for %(minutes)d "
                 "minutes. Do not tell it to anyone, not even staff.") % {
            "site": settings.PORTAL_SITE_NAME, "code": code,
            "minutes": settings.PORTAL_CODE_MINUTES}  # fmt: skip
        try:
            sms_channel().send(number, text)
        except Exception as exc:
            raise PortalRefused(
                _("The message could not be sent just now. Please try again in a "
                  "minute.")
            ) from exc  # fmt: skip


def portal_code_check(*, phone: str, code: str, now=None) -> list[Identity]:
    """The people this number may sign in as, once its latest code is right. A
    wrong code uses one of five tries; a used or expired code never works again."""
    number = _number(phone)
    now = now or timezone.now()
    code = "".join(ch for ch in code if ch.isdigit())
    with transaction.atomic():
        row = (
            PortalCode.objects.select_for_update()
            .filter(phone=number, sent=True, used_at__isnull=True)
            .order_by("-created_at")
            .first()
        )
        if row is None or row.expires_at <= now:
            refused = _("This code has expired or was not asked for. Please ask for a "
                        "new one.")  # fmt: skip
        elif row.tries >= CODE_TRIES:
            refused = _("The code was entered wrongly five times and no longer works. "
                        "Please ask for a new one.")  # fmt: skip
        elif not constant_time_compare(digest("code", f"{number}:{code}"), row.code_hash):
            row.tries += 1
            row.save(update_fields=["tries"])
            left = CODE_TRIES - row.tries
            refused = (
                _("The code is not right. %(left)d tries left.") % {"left": left}
                if left
                else _("The code was entered wrongly five times and no longer works. "
                       "Please ask for a new one.")
            )  # fmt: skip
        else:
            row.used_at = now
            row.save(update_fields=["used_at"])
            refused = ""
    if refused:
        raise PortalRefused(refused)
    found = identities_for(number)
    if not found:
        raise PortalRefused(_("This number is not registered for signing in. Please ask "
                              "your community worker."))  # fmt: skip
    return found


@transaction.atomic
def portal_session_start(*, identity: Identity, method: str, address: str | None,
                         now=None) -> str:  # fmt: skip
    """A new portal session; returns the key for the cookie (stored only hashed).
    Every sign-in is recorded."""
    now = now or timezone.now()
    key = secrets.token_urlsafe(32)
    PortalSession.objects.create(
        cadre=identity.cadre, contact=identity.contact, key_hash=digest("session", key),
        method=method, created_at=now, last_seen_at=now,
        expires_at=now + datetime.timedelta(days=settings.PORTAL_SESSION_DAYS),
    )  # fmt: skip
    PortalSignIn.objects.create(
        cadre=identity.cadre, contact=identity.contact,
        contact_name=identity.contact.name if identity.contact else "",
        method=method, at=now, address=address or None,
    )  # fmt: skip
    return key


def portal_session_seen(session: PortalSession, now=None) -> None:
    """Note the session's use (at most once an hour: no write on every page)."""
    now = now or timezone.now()
    if now - session.last_seen_at > datetime.timedelta(hours=1):
        PortalSession.objects.filter(pk=session.pk).update(last_seen_at=now)


def portal_session_end(*, session: PortalSession, by=None, now=None) -> None:
    """Sign out (by=None) or end a cadre's session from their profile (by a worker
    who may change the cadre)."""
    if by is not None and not can_edit_cadre(by, session.cadre):
        raise PermissionDenied
    PortalSession.objects.filter(pk=session.pk, ended_at__isnull=True).update(
        ended_at=now or timezone.now(), ended_by=by
    )


def portal_link_create(*, cadre, by, now=None) -> str:
    """A printed sign-in link for a cadre; returns its token (stored only hashed).
    The caller records the print in the access log."""
    if not can_edit_cadre(by, cadre):
        raise PermissionDenied
    now = now or timezone.now()
    token = secrets.token_urlsafe(24)
    PortalLink.objects.create(
        cadre=cadre, token_hash=digest("link", token), created_by=by, created_at=now,
        expires_at=now + datetime.timedelta(days=settings.PORTAL_LINK_DAYS),
    )  # fmt: skip
    return token


def portal_link_use(*, token: str, now=None) -> Identity:
    """Sign in by a printed link: once only, while valid and not revoked."""
    now = now or timezone.now()
    with transaction.atomic():
        link = (
            PortalLink.objects.select_for_update()
            .filter(token_hash=digest("link", token))
            .select_related("cadre")
            .first()
        )
        usable = (
            link is not None and link.used_at is None and link.revoked_at is None
            and link.expires_at > now and link.cadre.status == CadreStatus.ACTIVE
        )  # fmt: skip
        if usable:
            link.used_at = now
            link.save(update_fields=["used_at"])
    if not usable:
        raise PortalRefused(_("This sign-in link has been used, has expired or was "
                              "withdrawn. Please ask your community worker for a new "
                              "one, or sign in with your mobile number."))  # fmt: skip
    return Identity(link.cadre)


def portal_link_revoke(*, link: PortalLink, by, now=None) -> None:
    if not can_edit_cadre(by, link.cadre):
        raise PermissionDenied
    PortalLink.objects.filter(pk=link.pk, revoked_at__isnull=True).update(
        revoked_at=now or timezone.now(), revoked_by=by
    )


@transaction.atomic
def notice_publish(*, by, unit: OrgUnit, kind: str, title: str, body: str, link: str = "",
                   study_minutes: int | None = None, attachment=None) -> Notice:  # fmt: skip
    """Publish to a unit and everything under it (the writable part of one's scope),
    with a photo or a PDF attached if given (checked by content before anything is
    kept). Study minutes belong to study material only."""
    if not scope_of(by).writable().contains(unit):
        raise PermissionDenied
    if attachment is not None:
        check_size(attachment, settings.MEETING_FILE_MAX_BYTES)
        if not (is_image(attachment) or is_pdf(attachment)):
            raise ValidationError({"attachment": _(
                "“%s” is neither a photo nor a PDF: only those can be attached."
            ) % (attachment.name or "")[:60]})  # fmt: skip
    if study_minutes and kind != NoticeKind.STUDY:
        raise ValidationError(
            {"study_minutes": _("Only study material counts as study.")}
        )
    notice = Notice(unit=unit, kind=kind, title=title.strip(), body=body.strip(), link=link,
                    study_minutes=study_minutes or None, published_by=by,
                    published_at=timezone.now())  # fmt: skip
    notice.full_clean()
    if not notice.title or not notice.body:
        raise ValidationError(_("A notice needs a title and a text."))
    notice.save()
    if attachment is not None:
        store = store_image if is_image(attachment) else store_pdf
        stored = store(attachment, settings.PORTAL_FILE_DIR)
        NoticeFile.objects.create(
            notice=notice, stored_file=stored.name, content_type=stored.content_type,
            original_name=(attachment.name or "")[:150], size=stored.size,
        )  # fmt: skip
    return notice


def notice_read(*, notice: Notice, cadre: Cadre) -> None:
    """Record that the cadre opened the notice (once)."""
    if not NoticeRead.objects.filter(notice=notice, cadre=cadre).exists():
        try:
            with transaction.atomic():
                NoticeRead.objects.create(
                    notice=notice, cadre=cadre, read_at=timezone.now()
                )
        except IntegrityError:
            pass  # opened twice at once: one receipt


@transaction.atomic
def opinion_send(
    *, session: PortalSession, text: str, client_key=None, now=None
) -> Opinion:
    """A cadre's opinion, to their community's workers; sent twice with the same
    key (a phone resending), it is stored once."""
    if client_key:
        existing = Opinion.objects.filter(
            client_key=client_key, cadre=session.cadre
        ).first()
        if existing is not None:
            return existing
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Please write what you want to say.")})
    unit = session.cadre.residence_unit
    if unit is None:
        raise ValidationError(_("Your community is not recorded: please tell your "
                                "community worker in person."))  # fmt: skip
    opinion = Opinion(cadre=session.cadre, contact=session.contact, unit=unit, text=text,
                      sent_at=now or timezone.now(), client_key=client_key or None)  # fmt: skip
    opinion.full_clean()
    opinion.save()
    return opinion


@transaction.atomic
def opinion_answer(*, by, opinion: Opinion, answer: str, now=None) -> Opinion:
    """A worker of the cadre's community (or above) answers; the answer shows on the
    cadre's own page."""
    if not scope_of(by).writable().contains(opinion.unit):
        raise PermissionDenied
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": _("Write the answer first.")})
    opinion.answer, opinion.answered_by = answer, by
    opinion.answered_at = now or timezone.now()
    opinion.full_clean()
    opinion.save(update_fields=["answer", "answered_by", "answered_at"])
    return opinion


LEAVE_RULE = "leave_request"


@transaction.atomic
def portal_leave_ask(*, session: PortalSession, notice, reason: str):
    """请假 from the cadre's own pages: recorded for the announced meeting (proposed as
    "on leave" when it is recorded) and put in the branch secretary's reminders."""
    contact = session.contact
    asked_by = f"{contact.name}（{contact.relation}）" if contact else ""
    leave = leave_request_record(notice=notice, cadre=session.cadre, reason=reason,
                                 asked_by=asked_by)  # fmt: skip
    text = _("%(name)s asks for leave from %(meeting)s on %(day)s: %(reason)s") % {
        "name": session.cadre.name, "meeting": notice.kind.name,
        "day": timezone.localtime(notice.starts_at).strftime("%Y-%m-%d %H:%M"),
        "reason": leave.reason,
    }  # fmt: skip
    Reminder.objects.bulk_create(
        [
            Reminder(
                rule=LEAVE_RULE,
                subject_type="cadre",
                subject_id=session.cadre.pk,
                due_on=timezone.localtime(notice.starts_at).date(),
                recipient_id=user,
                text=text[:300],
                link=reverse("meetings:upcoming"),
            )  # fmt: skip
            for user in Recipients().of(notice.branch_id)
        ],
        ignore_conflicts=True,
    )
    return leave
