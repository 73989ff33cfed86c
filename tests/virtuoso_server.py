"""A real OpenLink Virtuoso server (Debian package ``virtuoso-opensource``) on loopback.

Each server is a throwaway instance: its own ``virtuoso.ini`` and database in a temporary
folder, free HTTP and SQL ports on 127.0.0.1, started with ``virtuoso-t +foreground``, and
killed (no checkpoint is written for a database thrown away) and removed at the end. The
anonymous SPARQL user is granted ``SPARQL_UPDATE`` (through ``isql-vt``) so that
``/sparql-graph-crud`` and ``/sparql`` take the push: acceptable only because the instance
listens on loopback alone and lives for one test module. The ``dba`` password is changed to a
random one at start.

Where the commands are missing the tests that need them are skipped, with the reason, unless
HLDGRAPH_REQUIRE_VIRTUOSO=1 (CI), where they fail instead.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from server import free_port, run_server
from sparql_server import SparqlServer

#: The server stops a query after this long (as the Oxigraph fixture's server does).
SERVER_TIMEOUT_S = 5
#: Rows a SPARQL answer may hold: above hldgraph's max_result_rows, or answers are cut silently.
RESULT_SET_MAX_ROWS = 100_000
#: Seconds to wait for a fresh instance (it creates its database): 2 seen here, 8 on 2 busy
#: cores.
START_S = 90

INI = """\
[Database]
DatabaseFile       = {folder}/virtuoso.db
ErrorLogFile       = {folder}/virtuoso.log
LockFile           = {folder}/virtuoso.lck
TransactionFile    = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile    = {folder}/virtuoso-temp.db
TransactionFile = {folder}/virtuoso-temp.trx

[Parameters]
ServerPort         = 127.0.0.1:{sql_port}
DisableUnixSocket  = 1
CheckpointInterval = 0
NumberOfBuffers    = 10000
MaxDirtyBuffers    = 6000
DirsAllowed        = .
ThreadsPerQuery    = 1

[HTTPServer]
ServerPort    = 127.0.0.1:{http_port}
ServerRoot    = {folder}
ServerThreads = 10

[SPARQL]
ResultSetMaxRows           = {max_rows}
MaxQueryExecutionTime      = {timeout}
MaxQueryCostEstimationTime = 0
"""


@dataclass(frozen=True)
class VirtuosoServer(SparqlServer):
    sql_port: int = 0
    dba_password: str = ""
    paths = ("/sparql", "/sparql", "/sparql-graph-crud")

    def sql(self, statements: str) -> None:
        """Run SQL statements as ``dba`` (e.g. grants); raise with isql's message if one fails."""
        isql(self.sql_port, self.dba_password, statements)


def isql(port: int, password: str, statements: str, seconds: float = 10) -> None:
    """``isql-vt`` on 127.0.0.1:``port`` as dba; retried while the SQL port is not open yet."""
    command = virtuoso_commands()[1]
    deadline = time.monotonic() + seconds
    while True:
        done = subprocess.run([command, f"127.0.0.1:{port}", "dba", password,
                               f"exec={statements}"], capture_output=True, text=True,
                              timeout=30)
        errors = done.stderr + done.stdout
        if done.returncode == 0 and "*** Error" not in errors:
            return
        if "Connect failed" not in errors or time.monotonic() > deadline:
            raise RuntimeError(f"isql-vt failed ({done.returncode}): {errors.strip()}")
        time.sleep(0.2)


def virtuoso_commands() -> tuple[str, str]:
    """``virtuoso-t`` and ``isql-vt``: skips (fails where required) where either is absent."""
    server, client = shutil.which("virtuoso-t"), shutil.which("isql-vt")
    if server is None or client is None:
        message = ("virtuoso-t and isql-vt are not installed "
                   "(apt-get install virtuoso-opensource)")
        if os.environ.get("HLDGRAPH_REQUIRE_VIRTUOSO") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return server, client


def _ports() -> tuple[int, int]:
    http_port = free_port()
    sql_port = free_port()
    while sql_port == http_port:
        sql_port = free_port()
    return http_port, sql_port


@contextlib.contextmanager
def virtuoso_server() -> Iterator[VirtuosoServer]:
    """A fresh Virtuoso server in a temporary folder, stopped and removed at the end."""
    command = virtuoso_commands()[0]
    http_port, sql_port = _ports()
    base = f"http://127.0.0.1:{http_port}"
    with tempfile.TemporaryDirectory(prefix="hldgraph-virtuoso-") as folder:
        ini = Path(folder) / "virtuoso.ini"
        ini.write_text(INI.format(folder=folder, sql_port=sql_port, http_port=http_port,
                                  max_rows=RESULT_SET_MAX_ROWS, timeout=SERVER_TIMEOUT_S))
        with run_server([command, "+foreground", "+configfile", str(ini)],
                        base + "/sparql?query=ASK%20%7B%7D", seconds=START_S) as proc:
            password = secrets.token_hex(12)
            isql(sql_port, "dba", 'GRANT SPARQL_UPDATE TO "SPARQL"; '
                                  f"USER_CHANGE_PASSWORD('dba', 'dba', '{password}');")
            server = VirtuosoServer(base, sql_port=sql_port, dba_password=password)
            own = frozenset(server.graph_sizes())  # Virtuoso's own graphs, before any data
            try:
                yield VirtuosoServer(base, own, sql_port, password)
            finally:
                proc.kill()  # a stop would write a checkpoint (seconds) of a database thrown away
