"""Client address for django-axes (login throttling): the API rate limit's trusted-proxy rule, or None.

Why a wrapper: `spro.core.client.client_ip` answers "inconnu" for a request without an address (a test
client's `force_login`, a management command), which PostgreSQL's inet column of the axes log refuses.
"""

from __future__ import annotations

import ipaddress

from django.http import HttpRequest

from spro.core.client import client_ip as api_client_ip


def client_ip(request: HttpRequest) -> str | None:
    address = api_client_ip(request)
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return None
    return address
