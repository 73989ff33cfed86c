"""Fixtures around a real Oxigraph server, for test modules that declare
``pytest_plugins = ["oxigraph_fixtures"]``."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from oxigraph_server import OxigraphServer, oxigraph_server, remote_settings


@pytest.fixture(scope="module")
def oxigraph() -> Iterator[OxigraphServer]:
    """A fresh Oxigraph server for the module's tests."""
    with oxigraph_server() as server:
        yield server


@pytest.fixture(scope="module")
def pushed(oxigraph, settings, dist) -> OxigraphServer:
    """The Oxigraph server, holding the ``dist`` build pushed by ``hldgraph push``."""
    from hldgraph.push import push

    push(remote_settings(settings, oxigraph, dist), dist)
    return oxigraph
