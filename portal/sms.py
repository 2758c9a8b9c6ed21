"""Sending a sign-in code by SMS: a pluggable channel, like the reminders' channels.

`PORTAL_SMS_CHANNEL` names the class (a dotted path). The console channel, the
default, writes the message to the log — in development the code is read there — and
keeps the last messages in memory for the tests. A township plugs its provider (Aliyun,
Tencent Cloud, a government SMS gateway) by writing a subclass that calls it."""

import logging
from abc import ABC, abstractmethod
from collections import deque

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("gridparty.portal")


class SMSChannel(ABC):
    @abstractmethod
    def send(self, phone: str, text: str) -> None:
        """Send one message; raise to say it failed (the user is told to try again)."""


class ConsoleSMS(SMSChannel):
    outbox: deque = deque(maxlen=100)

    def send(self, phone: str, text: str) -> None:
        self.outbox.append((phone, text))
        logger.warning("SMS to %s: %s", phone, text)


def sms_channel() -> SMSChannel:
    return import_string(settings.PORTAL_SMS_CHANNEL)()
