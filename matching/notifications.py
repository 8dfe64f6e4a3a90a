"""The emails the workflows promise, and sending each of them once.

Services call `promise()` inside the transaction of a change: it renders the
message in the recipient's language and stores it under a key that names the
promise ("introduction 12 approved, to firm 7"), so a change retried or a
task delivered twice never makes a second email. After commit a task sends
it; the beat sweep sends whatever that task did not.

Every email is sent on its own: one address the mail server refuses is
recorded on its row (attempts, last error) and tried again later, and gives
up after `MAX_ATTEMPTS`, where staff see it in the admin. The rest go out.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Q
from django.template import Context
from django.template.loader import get_template
from django.utils import timezone, translation

from directory.services import supported_language

from .models import OutgoingEmail

logger = logging.getLogger(__name__)
# Emails are written once and translated in the project's catalogues.
TEMPLATE_LANGUAGES = tuple(code for code, _ in settings.LANGUAGES)
# Longer than any mail server takes to answer: a sender still holding the row
# after this long died between claiming and sending, and the row is free again.
LEASE = timedelta(minutes=10)
# A refused email is tried again after 5, 10, 20, 40 and 80 minutes, then given
# up: long enough to ride out a mail server's restart, short enough that staff
# hear of a bad address the same day.
MAX_ATTEMPTS = 6
FIRST_RETRY_AFTER = timedelta(minutes=5)


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


def render_plain_text(template_name, context):
    """Render a .txt template as plain text. The HTML engine would escape
    "Smith & Sons" to "Smith &amp; Sons", which a mail reader shows as is."""
    return get_template(template_name).template.render(Context(context, autoescape=False))


def promise(*, key, kind=None, template=None, to, language, introduction=None, cc=(), context=None, headers=None):
    """Store an email to send after commit; a second promise with the same key is the first.

    The template (`matching/email/<kind>.txt` unless named) holds the
    subject on its first line and the body below it. `headers` are added to
    the message as they are (List-Unsubscribe, say).
    """
    if not to:
        return None
    context = {"introduction": introduction, "site": settings.SITE_URL, "language": language, **(context or {})}
    with translation.override(language):
        rendered = render_plain_text(template or f"matching/email/{kind}.txt", context)
    subject, _, body = rendered.strip().partition("\n")
    email, created = OutgoingEmail.objects.get_or_create(
        key=key,
        defaults={"introduction": introduction, "to": list(to), "cc": list(cc), "subject": subject.strip(),
                  "body": body.strip() + "\n", "language": language, "headers": dict(headers or {})},
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


def _due(now):
    return Q(sent_at__isnull=True, failed_at__isnull=True) & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))


def send(email_id, *, now=None):
    """Send one stored email if it is due. Returns True if the mail server
    accepted it now; False if it was sent already, another sender holds it,
    it waits after a failure, or it failed now (recorded on the row)."""
    now = now or timezone.now()
    # The claim: one sender wins the row for the length of the lease.
    claimed = OutgoingEmail.objects.filter(_due(now), pk=email_id).update(
        attempts=F("attempts") + 1, next_attempt_at=now + LEASE
    )
    if not claimed:
        return False
    email = OutgoingEmail.objects.get(pk=email_id)
    try:
        EmailMessage(email.subject, email.body, settings.DEFAULT_FROM_EMAIL, email.to, cc=email.cc,
                     headers=email.headers or None).send()
    except Exception as error:
        _record_failure(email, error, now=now)
        return False
    OutgoingEmail.objects.filter(pk=email_id).update(sent_at=timezone.now(), next_attempt_at=None, last_error="")
    return True


def _record_failure(email, error, *, now):
    logger.warning("Email %s (%s) failed on attempt %s: %s", email.pk, email.key, email.attempts, error)
    given_up = email.attempts >= MAX_ATTEMPTS
    OutgoingEmail.objects.filter(pk=email.pk).update(
        last_error=f"{type(error).__name__}: {error}"[:2000],
        next_attempt_at=None if given_up else now + FIRST_RETRY_AFTER * 2 ** (email.attempts - 1),
        failed_at=now if given_up else None,
    )


def unsent(*, now=None):
    """The emails due to be sent: never sent, not given up, not held by a sender, not waiting."""
    return OutgoingEmail.objects.filter(_due(now or timezone.now())).order_by("pk").values_list("pk", flat=True)


def send_unsent(*, now=None):
    """Send every due email, each on its own. Returns how many went out."""
    return sum(1 for email_id in list(unsent(now=now)) if send(email_id, now=now))


def send_again(*, email_ids):
    """Staff fixed an address or the mail server: give emails that were given up fresh attempts."""
    return OutgoingEmail.objects.filter(pk__in=email_ids, sent_at__isnull=True).update(
        failed_at=None, attempts=0, next_attempt_at=None
    )
