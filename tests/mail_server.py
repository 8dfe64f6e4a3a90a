"""Test doubles of the mail server (the one service the tests do not run):
Django's in-memory backend, taught to refuse a mailbox as SMTP servers do."""

from django.core.mail.backends.locmem import EmailBackend

REFUSED = "nobody@refused.example"


class RefusingBackend(EmailBackend):
    """Refuses one address, as an SMTP server refuses a mailbox that does not exist, and takes the rest."""

    def send_messages(self, messages):
        for message in messages:
            if REFUSED in message.recipients():
                raise OSError(f"550 5.1.1 <{REFUSED}>: Recipient address rejected")
        return super().send_messages(messages)
