"""A real Oxigraph server (``oxigraph serve``, PyPI package ``oxigraph``) on loopback.

Where the command is missing the tests that need it are skipped, with the reason, unless
HLDGRAPH_REQUIRE_OXIGRAPH=1 (CI), where they fail instead.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from server import free_port, run_server
from sparql_server import SparqlServer, remote_settings

__all__ = ["OxigraphServer", "oxigraph_command", "oxigraph_server", "remote_settings"]

#: The server stops a query after this long: a test that gives up earlier leaves no work behind.
SERVER_TIMEOUT_S = 5


@dataclass(frozen=True)
class OxigraphServer(SparqlServer):
    paths = ("/query", "/update", "/store")


def oxigraph_command() -> str:
    """The ``oxigraph`` command of this Python's environment (its bin may not be on PATH)."""
    beside = Path(sys.executable).parent / "oxigraph"
    command = str(beside) if beside.exists() else shutil.which("oxigraph")
    if command is None:
        message = "the oxigraph command is not installed (pip install oxigraph)"
        if os.environ.get("HLDGRAPH_REQUIRE_OXIGRAPH") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return command


@contextlib.contextmanager
def oxigraph_server() -> Iterator[OxigraphServer]:
    """A fresh on-disk Oxigraph server in a temporary folder, stopped and removed at the end."""
    command = oxigraph_command()
    port = free_port()
    server = OxigraphServer(f"http://127.0.0.1:{port}")
    with tempfile.TemporaryDirectory(prefix="hldgraph-oxigraph-") as location, run_server(
            [command, "serve", "--location", location, "--bind", f"127.0.0.1:{port}",
             "--timeout-s", str(SERVER_TIMEOUT_S)],
            server.query_url + "?query=ASK%20%7B%7D"):
        yield server

