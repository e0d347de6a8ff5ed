"""The address in links a client opens on their own phone (feedback forms, QR codes).

Never the request's ``Host`` header: anyone can send any Host, and a link built from it
could send a client's answers to another site. The address is ``RAPPORT_PUBLIC_URL`` when
set; otherwise the address of the socket the request actually arrived on, with a warning
when that is a loopback address, which a phone cannot open.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request

from rapport.settings import Settings
from rapport.web.serve import is_loopback


@dataclass(frozen=True)
class PublicBase:
    url: str  # no trailing slash
    warning: str | None


def public_base(request: Request, settings: Settings) -> PublicBase:
    if settings.public_url:
        return PublicBase(url=settings.public_url, warning=None)
    server = request.scope.get("server")
    scheme = request.scope.get("scheme", "http")
    host, port = (server[0], server[1]) if server else ("127.0.0.1", None)
    shown_host = f"[{host}]" if ":" in str(host) else str(host)
    default_port = {"http": 80, "https": 443}.get(scheme)
    url = f"{scheme}://{shown_host}" + (f":{port}" if port and port != default_port else "")
    warning = None
    if is_loopback(str(host)):
        warning = (f"This link points at {url}, this computer's own address: a client's "
                   "phone cannot open it. Use kiosk mode on this device, or ask whoever runs "
                   "Rapport to serve it on the clinic network and set RAPPORT_PUBLIC_URL "
                   "(docs/deploy.md).")
    return PublicBase(url=url, warning=warning)
