"""Browsers that stay on the machine: the one rule the browser tests, ``make pdf`` and ``make bench`` share.

:func:`keep_offline` routes every request of a Playwright browser context:
requests to this machine go through, any other is refused and recorded, so a
caller can fail on it.
"""

from __future__ import annotations

from urllib.parse import urlsplit

LOCAL_HOSTS = {"127.0.0.1", "localhost"}
LOCAL_SCHEMES = {"data", "blob", "about"}


def is_local(url: str) -> bool:
    """Whether ``url`` stays on this machine (127.0.0.1, localhost, or data/blob/about)."""
    parts = urlsplit(url)
    if parts.scheme in LOCAL_SCHEMES:
        return True
    return parts.scheme in {"http", "https", "ws", "wss"} and parts.hostname in LOCAL_HOSTS


def keep_offline(context, on_local=None) -> list[str]:
    """Refuse every request of ``context`` that leaves the machine; return the list they are recorded in.

    ``on_local(request)``, if given, sees each request that goes through.
    """
    refused: list[str] = []

    def route(request_route, request):
        if is_local(request.url):
            if on_local is not None:
                on_local(request)
            request_route.continue_()
        else:
            refused.append(request.url)
            request_route.abort()

    context.route("**/*", route)
    return refused
