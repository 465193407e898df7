"""A mail server that is down (the outside world, as a Django e-mail backend): refuses the
next `failures` messages (all of them with failures=None), then hands them to locmem."""

from smtplib import SMTPServerDisconnected

from django.core.mail.backends.locmem import EmailBackend as LocmemBackend

state = {"failures": None}


class DownBackend(LocmemBackend):
    def send_messages(self, messages):
        if state["failures"] is None:
            raise SMTPServerDisconnected("Connection unexpectedly closed")
        if state["failures"] > 0:
            state["failures"] -= 1
            raise SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)
