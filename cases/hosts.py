"""Which partnership a host name belongs to: the map of every partnership's host names, held
in the process for HOST_MAP_SECONDS (so a request asks the database nothing to find its
tenant) and dropped at once when this process saves a partnership or a host name."""

from __future__ import annotations

import threading
import time
from urllib.parse import urlsplit

from django.db.models.signals import post_delete, post_save
from django.http.request import split_domain_port

from .models import Partnership, PartnershipHost

# Another process sees a new host name, or a deactivation, within this many seconds.
HOST_MAP_SECONDS = 30.0

_lock = threading.Lock()
_map: dict[str, Partnership] = {}
_loaded_at: float | None = None
_order: dict[str, int] = {}  # host -> position in the table (its first host comes first)


def _load() -> dict[str, Partnership]:
    rows = list(PartnershipHost.objects.select_related("partnership").order_by("pk"))
    # The first host name a partnership was given is the one its links use.
    _order.clear()
    _order.update({row.host.lower(): index for index, row in enumerate(rows)})
    return {row.host.lower(): row.partnership for row in rows}


def host_map() -> dict[str, Partnership]:
    global _map, _loaded_at
    with _lock:
        if _loaded_at is None or time.monotonic() - _loaded_at > HOST_MAP_SECONDS:
            _map = _load()
            _loaded_at = time.monotonic()
        return _map


def forget() -> None:
    global _loaded_at
    with _lock:
        _loaded_at = None


def host_name(raw_host: str) -> str:
    """`riverbend.localhost:8000` -> `riverbend.localhost`."""
    domain, _port = split_domain_port(raw_host)
    return (domain or raw_host).lower().rstrip(".")


def partnership_for_host(raw_host: str) -> Partnership | None:
    """The active partnership answering on this host, or None (unknown or deactivated)."""
    partnership = host_map().get(host_name(raw_host))
    if partnership is None or not partnership.active:
        return None
    return partnership


def _forget_on_change(sender: object, **kwargs: object) -> None:
    forget()


for _model in (Partnership, PartnershipHost):
    post_save.connect(_forget_on_change, sender=_model, dispatch_uid=f"hosts-{_model.__name__}")
    post_delete.connect(_forget_on_change, sender=_model, dispatch_uid=f"hosts-d-{_model.__name__}")


def base_url(partnership_id: int | None = None) -> str:
    """The address links in e-mails and calendar feeds use, for the partnership this code runs
    for (by default): SITE_URL when its host is one of the partnership's, else SITE_URL's
    scheme and port with the partnership's first host name; SITE_URL outside any partnership
    or for a partnership without a host name."""
    from django.conf import settings

    from auditportal import tenancy

    if partnership_id is None:
        partnership_id = tenancy.current_partnership_id()
    if partnership_id is None:
        return settings.SITE_URL
    hosts = sorted(
        (host for host, p in host_map().items() if p.pk == partnership_id),
        key=lambda host: _host_order().get(host, 0),
    )
    site = urlsplit(settings.SITE_URL)
    if not hosts or (site.hostname or "").lower() in hosts:
        return settings.SITE_URL
    port = f":{site.port}" if site.port else ""
    return f"{site.scheme}://{hosts[0]}{port}"


def _host_order() -> dict[str, int]:
    return _order
