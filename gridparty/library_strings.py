"""Words that libraries show our users (django-auditlog's change history and admin,
django-axes' lockout admin) and whose catalogs have no Chinese: named here so that
makemessages puts them into our catalog, which Django reads before the libraries'."""

from django.utils.translation import gettext_noop

LIBRARY_STRINGS = [
    # django-auditlog: the actions in a history, its admin's sections and columns.
    gettext_noop("create"), gettext_noop("update"), gettext_noop("delete"),
    gettext_noop("access"), gettext_noop("log entry"), gettext_noop("log entries"),
    gettext_noop("Audit log"), gettext_noop("Audit log: %s"), gettext_noop("Changes"),
    gettext_noop("Created"), gettext_noop("Resource"), gettext_noop("Resource Type"),
    gettext_noop("User"), gettext_noop("View"), gettext_noop("Correlation ID"),
    gettext_noop("Click to filter by records with this correlation id"),
    gettext_noop("content type"), gettext_noop("object pk"), gettext_noop("object id"),
    gettext_noop("object representation"), gettext_noop("change message"),
    gettext_noop("actor"), gettext_noop("remote address"), gettext_noop("remote port"),
    gettext_noop("timestamp"), gettext_noop("additional data"), gettext_noop("actor email"),
    # django-axes: the lockout records in the admin.
    gettext_noop("Access Attempt"), gettext_noop("Access lock out"),
    gettext_noop("Attempt Remaining"), gettext_noop("Attempt Time"),
    gettext_noop("Clean up expired attempts"), gettext_noop("Expires At"),
    gettext_noop("Failed Logins"), gettext_noop("Form Data"), gettext_noop("GET Data"),
    gettext_noop("HTTP Accept"), gettext_noop("IP Address"), gettext_noop("Locked Out"),
    gettext_noop("Logout Time"), gettext_noop("Meta Data"), gettext_noop("Not set"),
    gettext_noop("POST Data"), gettext_noop("Path"),
    gettext_noop("Session key hash (sha256)"),
    gettext_noop("The time when access attempt expires and is no longer valid."),
    gettext_noop("User Agent"), gettext_noop("Username"), gettext_noop("access attempt"),
    gettext_noop("access attempts"), gettext_noop("access attempt expiration"),
    gettext_noop("access attempt expirations"), gettext_noop("access failure"),
    gettext_noop("access failures"), gettext_noop("access logs"),
]  # fmt: skip
