"""The visitor's address behind the reverse proxy, and the sign-in limits
that use it (django-axes).

django-axes (with django-ipware) would read X-Forwarded-For from any peer;
here the header is believed only when the connection comes from one of the
configured proxies (``TRUSTED_PROXIES``), so a request that reaches the app
server directly cannot choose its own address.
"""

import ipaddress
from functools import lru_cache

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


@lru_cache(maxsize=1)
def _trusted_networks(proxies):
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def _is_trusted(address):
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    networks = _trusted_networks(tuple(settings.TRUSTED_PROXIES))
    return any(ip in network for network in networks)


def client_ip(request):
    """The address of the visitor.

    From a trusted proxy, the right-most X-Forwarded-For entry that is not a
    trusted proxy itself (nginx's ``proxy_add_x_forwarded_for`` appends the
    address it was connected from; entries to its left come from the visitor
    and may be made up); from anyone else, the connection's own address.
    """
    peer = request.META.get("REMOTE_ADDR", "")
    if not _is_trusted(peer):
        return peer or None
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for entry in reversed([part.strip() for part in forwarded.split(",")]):
        try:
            ipaddress.ip_address(entry)
        except ValueError:
            break  # not an address: nothing to its left can be believed
        if not _is_trusted(entry):
            return entry
    return peer


def failure_limit(request, credentials):
    """django-axes' limit for this sign-in attempt (``AXES_FAILURE_LIMIT``).

    A user name is locked at one address after ``SIGN_IN_FAILURE_LIMIT``
    failures (the lockout parameters pair the address and the user name, so
    one person's typos do not lock a whole office); an address that failed
    ``SIGN_IN_ADDRESS_FAILURE_LIMIT`` times across user names is locked for
    every user name (a limit of 0 is always reached).
    """
    address = getattr(request, "axes_ip_address", None) or client_ip(request)
    failures = AccessAttempt.objects.filter(ip_address=address).aggregate(
        total=Sum("failures_since_start")
    )["total"]
    if failures and failures >= settings.SIGN_IN_ADDRESS_FAILURE_LIMIT:
        return 0
    return settings.SIGN_IN_FAILURE_LIMIT
