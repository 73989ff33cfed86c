"""The SPARQL 1.1 Protocol client of the ``sparql`` backend and of ``hldgraph push``: requests on
kept-alive connections, and a remote server's errors mapped to hldgraph's statuses."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from typing import Any, NamedTuple

import urllib3
from SPARQLWrapper import POST, SELECT, URLENCODED, SPARQLWrapper

from hldgraph.errors import QueryError
from hldgraph.store.credentials import auth_headers, safe_url

RESULTS_JSON = "application/sparql-results+json"
#: Connections kept alive per remote host and process (one per thread that queries at once).
POOL_SIZE = 8
#: Virtuoso reports its own query time limit as a 500 with the ODBC state S1T00 (timeout).
VIRTUOSO_TIMEOUT = re.compile(r"Virtuoso S1T00 ")
_AGENT = "hldgraph (+https://w3id.org/hld2006/)"


class RemoteError(QueryError):
    """The remote server answered with an error status (kept in ``remote_status``)."""

    def __init__(self, message: str, status: int, remote_status: int) -> None:
        super().__init__(message, status)
        self.remote_status = remote_status


class SparqlClient:
    """A SPARQL 1.1 Protocol client with keep-alive connections, safe to share between threads."""

    def __init__(self, url: str, timeout: float, name: str = "the remote store") -> None:
        self.url, self.timeout, self.name = url, timeout, name
        self._pool: urllib3.PoolManager | None = None
        self._pid = -1
        #: The ``Server`` header of the last answer (the store's product, e.g. ``Virtuoso/07.20``).
        self.server = ""

    def pool(self) -> urllib3.PoolManager:
        """The connection pool of this process: a forked worker must not reuse its parent's."""
        if self._pid != os.getpid():
            self._pool = urllib3.PoolManager(maxsize=POOL_SIZE, retries=False,
                                             timeout=urllib3.Timeout(
                                                 connect=min(self.timeout, 5.0),
                                                 read=self.timeout))
            self._pid = os.getpid()
        assert self._pool is not None
        return self._pool

    def send(self, text: str, accept: str, *, default_graphs: Sequence[str] = (),
             named_graphs: Sequence[str] = ()) -> Response:
        """POST ``text`` (a form, which every server takes) and return the successful response.

        Raises :class:`QueryError`: 503 when the server cannot be reached or is too slow,
        :class:`RemoteError` with the server's own message when it answers with an error.
        """
        wrapper = SPARQLWrapper(self.url, agent=_AGENT)
        # Set directly, not with setQuery(): its guess of the query's form warns on stderr
        # when a typo hides the form; sent as query= whatever the form.
        wrapper.queryString, wrapper.queryType = text, SELECT
        wrapper.setMethod(POST)
        wrapper.setRequestMethod(URLENCODED)
        wrapper.setOnlyConneg(True)  # no format= parameter: servers read it differently
        for graph in default_graphs:
            wrapper.addDefaultGraph(graph)
        for graph in named_graphs:
            wrapper.addNamedGraph(graph)
        wrapper.addCustomHttpHeader("Accept", accept)
        # SPARQLWrapper sends through urllib, which opens a new connection for every request;
        # the request it builds is sent through a pool of kept-alive connections instead.
        request = wrapper._createRequest()
        rv = self.request("POST", request.full_url, body=request.data,
                          headers=dict(request.header_items()))
        if rv.status >= 400:
            raise _remote_error(rv, self.url, self.name)
        return rv

    def request(self, method: str, url: str, *, body: Any = None,
                headers: dict[str, str] | None = None) -> Response:
        """One HTTP request on a kept-alive connection; QueryError(503) if it cannot be made.

        Credentials in ``url`` (``http://user:password@host/``) are sent as HTTP Basic.
        """
        where = safe_url(url)
        try:
            raw = self.pool().request(method, where, body=body,
                                      headers={**(headers or {}), **auth_headers(url)})
        except urllib3.exceptions.NewConnectionError as e:  # a subclass of TimeoutError
            raise self._unreachable(where, e) from None
        except urllib3.exceptions.TimeoutError:
            raise QueryError(f"{self.name} at {where} did not answer within the time "
                             f"limit of {self.timeout:g} s", 503) from None
        except urllib3.exceptions.HTTPError as e:
            raise self._unreachable(where, e) from None
        self.server = raw.headers.get("Server", "")
        return Response(raw.status, raw.reason or "", raw.headers.get("Content-Type", ""),
                        raw.data)

    def _unreachable(self, where: str, e: BaseException) -> QueryError:
        cause: BaseException = e
        while cause.__context__ is not None and cause.__context__ is not cause:
            cause = cause.__context__
        reason = str(cause).split(": ")[-1] or type(e).__name__
        return QueryError(f"{self.name} at {where} cannot be reached: {reason}", 503)

    def close(self) -> None:
        if self._pool is not None and self._pid == os.getpid():
            self._pool.clear()


class Response(NamedTuple):
    status: int
    reason: str
    content_type: str
    content: bytes


def remote_message(rv: Response, limit: int = 500) -> str:
    """The error text of a response: hldgraph's JSON ``error``, or the body's first line(s)."""
    text = rv.content.decode("utf-8", "replace").strip()
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    if isinstance(data, dict) and isinstance(data.get("error"), str):
        text = data["error"]
    if "<html" in text[:200].lower():
        # an HTML error page: its preformatted part (Virtuoso's <xmp>) if any, else the reason
        found = re.search(r"<(xmp|pre)>(.*?)</\1>", text, re.S | re.I)
        text = found.group(2).strip() if found else rv.reason or "error page"
    return text[:limit] or (rv.reason or "")


def _remote_error(rv: Response, url: str, name: str) -> RemoteError:
    """Map a remote status to ours: the client's fault stays 4xx, the server's becomes 502."""
    code, message, where = rv.status, remote_message(rv), safe_url(url)
    if code in {400, 413, 414}:
        return RemoteError(f"{name} rejected the query ({code}): {message}",
                           400 if code == 400 else 413, code)
    if code in {401, 403}:
        return RemoteError(f"{where} refused the request ({code}): {message}", 502, code)
    if code == 404:
        return RemoteError(f"there is no SPARQL endpoint at {where} (404): check sparql_url",
                           502, code)
    if code in {503, 504} or VIRTUOSO_TIMEOUT.match(message):
        return RemoteError(f"{name} at {where} is unavailable or too slow "
                           f"({code}): {message}", 503, code)
    return RemoteError(f"{name} at {where} failed ({code}): {message}", 502, code)
