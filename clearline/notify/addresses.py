"""Where a webhook may go: never to a private, loopback or link-local address (SSRF), unless
the address lies in CLEARLINE_WEBHOOK_ALLOWED_NETWORKS. Checked when the subscription is made
and again at every send, on the addresses the name resolves to then (DNS rebinding)."""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings

from clearline.core.errors import ClearlineError


class AddressRefused(ClearlineError):
    """The URL is malformed or leads somewhere clearline will not send."""


def allowed_networks() -> list:
    return [ipaddress.ip_network(n.strip()) for n in settings.CLEARLINE_WEBHOOK_ALLOWED_NETWORKS]


def is_refused(ip: str) -> bool:
    address = ipaddress.ip_address(ip)
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    if any(address in network for network in allowed_networks()):
        return False
    return not address.is_global or address.is_multicast


def resolve(url: str) -> tuple[str, int, list[str]]:
    """(host, port, addresses) of a webhook URL, every address checked; raises AddressRefused."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise AddressRefused("A webhook address starts with https:// (or http://) and a host.")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise AddressRefused("The webhook address has an invalid port.") from None
    try:
        infos = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise AddressRefused(f"The host {parts.hostname} could not be found.") from None
    addresses = sorted({info[4][0] for info in infos})
    refused = [ip for ip in addresses if is_refused(ip)]
    if refused:
        raise AddressRefused(
            f"{parts.hostname} leads to a private, loopback or link-local address "
            f"({refused[0]}); clearline sends webhooks only to public addresses."
        )
    return parts.hostname, port, addresses
