"""Fixtures around real remote stores (an Oxigraph server, a Virtuoso server), for test modules
that declare ``pytest_plugins = ["remote_fixtures"]``.

``remote_server`` and ``pushed`` run the module's tests once on each kind of server; the
fixtures named after a kind (``oxigraph``, ``virtuoso_pushed``…) give that one server, the same
instance for the whole module.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from oxigraph_server import OxigraphServer, oxigraph_server, remote_settings
from sparql_server import SparqlServer
from virtuoso_server import VirtuosoServer, virtuoso_server

KINDS = ("oxigraph", "virtuoso")


@pytest.fixture(scope="module")
def oxigraph() -> Iterator[OxigraphServer]:
    """A fresh Oxigraph server for the module's tests."""
    with oxigraph_server() as server:
        yield server


@pytest.fixture(scope="module")
def virtuoso() -> Iterator[VirtuosoServer]:
    """A fresh Virtuoso server for the module's tests."""
    with virtuoso_server() as server:
        yield server


def _push(server: SparqlServer, settings, dist) -> SparqlServer:
    from hldgraph.push import push

    push(remote_settings(settings, server, dist), dist)
    return server


@pytest.fixture(scope="module")
def oxigraph_pushed(oxigraph, settings, dist) -> OxigraphServer:
    """The Oxigraph server, holding the ``dist`` build pushed by ``hldgraph push``."""
    return _push(oxigraph, settings, dist)


@pytest.fixture(scope="module")
def virtuoso_pushed(virtuoso, settings, dist) -> VirtuosoServer:
    """The Virtuoso server, holding the ``dist`` build pushed by ``hldgraph push``."""
    return _push(virtuoso, settings, dist)


@pytest.fixture(scope="module", params=KINDS)
def remote_server(request) -> SparqlServer:
    """Each kind of server in turn (the module's tests run on each)."""
    return request.getfixturevalue(request.param)


@pytest.fixture(scope="module")
def pushed(remote_server, request) -> SparqlServer:
    """``remote_server``, holding the ``dist`` build pushed by ``hldgraph push``."""
    kind = "virtuoso" if isinstance(remote_server, VirtuosoServer) else "oxigraph"
    return request.getfixturevalue(f"{kind}_pushed")
