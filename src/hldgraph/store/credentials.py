"""URLs that may carry credentials (``http://user:password@host/``): what a message may show of
them, and the HTTP Basic header they stand for."""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

import urllib3


def safe_url(url: str) -> str:
    """``url`` without user name and password, fit for a message."""
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    netloc = (parts.hostname or "") + (f":{parts.port}" if parts.port else "")
    return parts._replace(netloc=netloc).geturl()


def auth_headers(url: str) -> dict[str, str]:
    """HTTP Basic credentials given in a URL (``http://user:password@host/``) as a header."""
    parts = urlsplit(url)
    if parts.username is None:
        return {}
    credentials = f"{unquote(parts.username)}:{unquote(parts.password or '')}"
    return urllib3.make_headers(basic_auth=credentials)
