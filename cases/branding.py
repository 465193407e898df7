"""What differs per partnership on e-mails and briefings: its name, the sender name its
e-mails come from, its logo. Read from the host map's copy of the partnership (no query),
or the database for a partnership without a host name; the settings are the deployment's
defaults outside any partnership."""

from email.utils import formataddr

from django.conf import settings

from auditportal import tenancy
from auditportal.text import one_line

from .hosts import host_map
from .models import Partnership


def current_partnership() -> Partnership | None:
    partnership_id = tenancy.current_partnership_id()
    if partnership_id is None:
        return None
    for partnership in host_map().values():
        if partnership.pk == partnership_id:
            return partnership
    return Partnership.objects.filter(pk=partnership_id).first()


def partnership_name() -> str:
    partnership = current_partnership()
    return partnership.name if partnership is not None else str(settings.PARTNERSHIP_NAME)


def partnership_logo() -> str:
    partnership = current_partnership()
    return (partnership.logo if partnership is not None else "") or settings.PARTNERSHIP_LOGO


def sender() -> str:
    """`Riverbend audits <auditportal@…>`: the partnership's sender name on the deployment's
    address (one sending domain for every partnership)."""
    address = str(settings.DEFAULT_FROM_EMAIL)
    partnership = current_partnership()
    if partnership is None:
        return address
    return formataddr((one_line(partnership.sender_name or partnership.name), address))
