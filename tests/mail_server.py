"""Mail servers for the tests: Django's in-memory backend, taught to refuse a
mailbox as SMTP servers do, and a small real SMTP server on a local port, for
a worker in another process to send to over the network."""

import email
import email.policy
import socketserver
import threading

from django.core.mail.backends.locmem import EmailBackend

REFUSED = "nobody@refused.example"


class RefusingBackend(EmailBackend):
    """Refuses one address, as an SMTP server refuses a mailbox that does not exist, and takes the rest."""

    def send_messages(self, messages):
        for message in messages:
            if REFUSED in message.recipients():
                raise OSError(f"550 5.1.1 <{REFUSED}>: Recipient address rejected")
        return super().send_messages(messages)


class SMTPServer:
    """A real SMTP server (RFC 5321, the part smtplib speaks without TLS or
    authentication) listening on 127.0.0.1 in a thread of the test. Every
    message it accepts is parsed and kept in `messages`. Use as a context
    manager; `port` is where to send."""

    def __init__(self):
        self.messages = []
        self._lock = threading.Lock()
        server = self

        class Session(socketserver.StreamRequestHandler):
            def handle(self):
                self.reply("220 localhost test SMTP server")
                sender, recipients = None, []
                while line := self.rfile.readline():
                    command = line.decode("utf-8", "replace").rstrip("\r\n")
                    verb = command.split(" ", 1)[0].upper()
                    if verb == "EHLO":
                        self.wfile.write(b"250-localhost\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n")
                    elif verb in ("HELO", "NOOP"):
                        self.reply("250 OK")
                    elif verb == "MAIL":
                        sender, recipients = command.split(":", 1)[1].strip(), []
                        self.reply("250 OK")
                    elif verb == "RCPT":
                        recipients.append(command.split(":", 1)[1].strip().strip("<>"))
                        self.reply("250 OK")
                    elif verb == "DATA":
                        self.reply("354 End data with <CR><LF>.<CR><LF>")
                        server._keep(sender, recipients, self._read_data())
                        self.reply("250 OK: queued")
                    elif verb == "RSET":
                        sender, recipients = None, []
                        self.reply("250 OK")
                    elif verb == "QUIT":
                        self.reply("221 Bye")
                        return
                    else:
                        self.reply("502 Command not implemented")

            def _read_data(self):
                lines = []
                while (line := self.rfile.readline()) not in (b".\r\n", b".\n", b""):
                    lines.append(line[1:] if line.startswith(b"..") else line)  # dot-stuffing
                return b"".join(lines)

            def reply(self, text):
                self.wfile.write(text.encode() + b"\r\n")

        self._server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Session)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]

    def _keep(self, sender, recipients, data):
        message = email.message_from_bytes(data, policy=email.policy.default)
        with self._lock:
            self.messages.append({"from": sender, "to": recipients, "message": message})

    def __enter__(self):
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self._server.shutdown()
        self._server.server_close()
