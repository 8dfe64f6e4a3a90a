"""The emails the introduction workflow promises, and sending them once.

Services call `promise()` inside the transaction of a transition: it renders
the message in each recipient's language and stores it under a key that
names the promise ("introduction 12 approved, to firm 7"), so a transition
retried or a task delivered twice never makes a second email. After commit a
task sends it; sending claims the row first.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from directory.services import supported_language

from .models import OutgoingEmail

logger = logging.getLogger(__name__)
# Emails are written once and translated in the project's catalogues.
TEMPLATE_LANGUAGES = tuple(code for code, _ in settings.LANGUAGES)


def language_for(business):
    """The firm's language for email: its owner's preference, else the
    language it writes its profile in, else English."""
    preferred = business.owner.preferred_language if business.owner_id else ""
    for tag in (preferred, business.description_language):
        language = supported_language(tag, default=None)
        if language:
            return language
    return settings.LANGUAGE_CODE


def recipients_of(business):
    """Where a firm's mail goes: its owner and members, else the profile's contact."""
    addresses = [user.email for user in [business.owner, *business.members.all()] if user is not None and user.email]
    return list(dict.fromkeys(addresses)) or ([business.contact_email] if business.contact_email else [])


def promise(*, key, introduction, kind, to, language, cc=(), context=None):
    """Store an email to send after commit; a second promise with the same key is the first."""
    if not to:
        return None
    context = {"introduction": introduction, "site": settings.SITE_URL, "language": language, **(context or {})}
    with translation.override(language):
        rendered = render_to_string(f"matching/email/{kind}.txt", context)
    subject, _, body = rendered.strip().partition("\n")
    email, created = OutgoingEmail.objects.get_or_create(
        key=key,
        defaults={"introduction": introduction, "to": list(to), "cc": list(cc), "subject": subject.strip(),
                  "body": body.strip() + "\n", "language": language},
    )
    if created:
        transaction.on_commit(lambda: _queue(email.pk), robust=True)
    return email


def _queue(email_id):
    from .tasks import send_email

    try:
        send_email.delay(email_id)
    except Exception:  # the broker is away: the beat sweep sends it later
        logger.warning("Could not queue email %s; it will be sent by the next sweep.", email_id, exc_info=True)


def send(email_id):
    """Send one stored email unless it was sent already. Returns True if sent now."""
    claimed = OutgoingEmail.objects.filter(pk=email_id, sent_at__isnull=True).update(sent_at=timezone.now())
    if not claimed:
        return False
    email = OutgoingEmail.objects.get(pk=email_id)
    try:
        EmailMessage(email.subject, email.body, settings.DEFAULT_FROM_EMAIL, email.to, cc=email.cc).send()
    except Exception:
        OutgoingEmail.objects.filter(pk=email_id).update(sent_at=None)  # let the retry have it
        raise
    return True


def unsent():
    return OutgoingEmail.objects.filter(sent_at__isnull=True).values_list("pk", flat=True)
