"""Login throttling on top of django-axes: failures are counted per username and address, and
per address whatever the username, from the address the client really has (behind a proxy, the
one the proxy saw). Never locks a username on its own: no one can lock a user out from afar.
"""

import ipaddress

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from django.conf import settings
from django.db.models import Sum


def client_address(request) -> str:
    """The address a login comes from (AXES_CLIENT_IP_CALLABLE). Behind a proxy
    (DJANGO_BEHIND_PROXY), the last address in X-Forwarded-For: the one the proxy itself
    saw, whatever a client wrote before it. An IPv6 address counts as its /64, which one
    client usually holds whole."""
    address = request.META.get("REMOTE_ADDR", "")
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[-1].strip()
        address = forwarded or address
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return request.META.get("REMOTE_ADDR", "")
    if parsed.version == 6 and parsed.ipv4_mapped is None:
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False).network_address)
    return str(parsed)


class PerAddressHandler(AxesDatabaseHandler):
    """django-axes' database handler with two counts (AXES_LOCKOUT_PARAMETERS): a username
    from an address is locked after AXES_FAILURE_LIMIT failures, and an address, whatever
    usernames it tries, after LOGIN_ADDRESS_FAILURE_LIMIT (higher: a classroom behind one
    address makes typos too)."""

    def get_failures(self, request, credentials=None) -> int:
        pair, address = (
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        # Stated on the scale axes compares with AXES_FAILURE_LIMIT.
        locked_address = address >= settings.LOGIN_ADDRESS_FAILURE_LIMIT
        return max(pair, get_failure_limit(request, credentials) if locked_address else 0)

    def reset_user_attempts(self, request, credentials=None) -> int:
        # A good password clears that username's failures from that address, not the address's
        # count: else one account of their own would let a guesser start again every time.
        pair = self.filter_user_attempts(request, credentials)[0]
        return pair.delete()[0]
