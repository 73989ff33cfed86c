"""Start the application in a real HTTP server on loopback, for tests that call it over HTTP.

- :func:`serve` runs an app in werkzeug's threaded WSGI server in a thread of the test process;
- :func:`serve_production` runs the app under Granian in a subprocess, as ``hldgraph serve`` does;
- :func:`run_server` runs any server command until it answers, and stops it afterwards;
- :func:`recording_server` is a plain HTTP server that records every request it receives,
  to prove that the endpoint never makes outbound requests;
- :func:`sample_store` opens a small hand-written dataset in either backend.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import requests
from flask import Flask
from rdflib import Dataset
from werkzeug.serving import make_server

from hldgraph.store import Store

BASE = "https://w3id.org/hld2006/"
SOURCE = BASE + "graph/source"
EDITORIAL = BASE + "graph/editorial"

#: A few facts shaped like the real graph, in two named graphs.
SAMPLE_TRIG = """
@prefix id: <https://w3id.org/hld2006/id/> .
@prefix schema: <http://schema.org/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

<https://w3id.org/hld2006/graph/source> {
  <https://w3id.org/hld2006/id/event/7> a schema:Event ;
      schema:name "Conference on Migration and Development"@en ;
      schema:startDate "2006-03-15"^^xsd:date ;
      schema:location <https://w3id.org/hld2006/id/place/brussels> ;
      schema:organizer <https://w3id.org/hld2006/id/org/iom>,
                       <https://w3id.org/hld2006/id/org/world-bank> .
  <https://w3id.org/hld2006/id/event/50> a schema:Event ;
      schema:name "High-Level Dialogue"@en ;
      schema:startDate "2006-09-14"^^xsd:date ;
      schema:location <https://w3id.org/hld2006/id/place/new-york> .
  <https://w3id.org/hld2006/id/org/iom> skos:altLabel "IOM", "OIM" .
}

<https://w3id.org/hld2006/graph/editorial> {
  <https://w3id.org/hld2006/id/org/iom>
      skos:prefLabel "International Organization for Migration"@en,
                     "Organisation internationale pour les migrations"@fr .
  <https://w3id.org/hld2006/id/org/world-bank> skos:prefLabel "World Bank"@en .
  <https://w3id.org/hld2006/id/place/brussels> schema:name "Brussels"@en, "Bruxelles"@fr .
  <https://w3id.org/hld2006/id/event/7>
      schema:name "Conférence sur la migration et le développement"@fr ;
      skos:editorialNote "Tab\\there, a line break\\nand a \\"quote\\"" .
}
"""


def sample_dataset(extra_triples: int = 0) -> Dataset:
    """The sample; ``extra_triples`` adds filler to the editorial graph (for slow queries)."""
    ds = Dataset(default_union=True)
    ds.parse(data=SAMPLE_TRIG, format="trig")
    if extra_triples:
        lines = [f"<{BASE}id/filler/{i}> <{BASE}def/n> {i} ." for i in range(extra_triples)]
        ds.parse(data=f"<{EDITORIAL}> {{ {' '.join(lines)} }}", format="trig")
    return ds


def sample_store(backend: str, extra_triples: int = 0, **settings: Any) -> Store:
    """A Store of the sample dataset (close it after use)."""
    from hldgraph.settings import load_settings
    from hldgraph.store import open_store

    return open_store(load_settings(store=backend, **settings), sample_dataset(extra_triples))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve(app: Flask) -> Iterator[str]:
    """Serve ``app`` on 127.0.0.1 (threaded); yields the base URL without a trailing slash."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@contextlib.contextmanager
def serve_production(env: dict[str, str], workers: int = 2,
                     ready_path: str = "/-/health") -> Iterator[str]:
    """The app under Granian as ``hldgraph serve`` runs it, with HLDGRAPH_* settings in ``env``."""
    with production_process(env, workers, ready_path) as (url, _):
        yield url


@contextlib.contextmanager
def production_process(env: dict[str, str], workers: int = 2, ready_path: str = "/-/health"
                       ) -> Iterator[tuple[str, subprocess.Popen]]:
    """As :func:`serve_production`, with the server's process (its output is a pipe)."""
    port = free_port()
    code = ("from hldgraph.settings import load_settings; from hldgraph.web import create_app; "
            "from hldgraph.web.server import run; s = load_settings(); run(create_app(s), s)")
    env = {**env, "HLDGRAPH_PORT": str(port), "HLDGRAPH_WORKERS": str(workers)}
    url = f"http://127.0.0.1:{port}"
    with run_server([sys.executable, "-c", code], url + ready_path, env=env) as proc:
        yield url, proc


@contextlib.contextmanager
def run_server(cmd: list[str], ready_url: str, *, env: dict[str, str] | None = None,
               seconds: float = 30, cwd: Path | None = None) -> Iterator[subprocess.Popen]:
    """Run a server command (in folder ``cwd``) until the block ends; ready when ``ready_url``
    answers 200."""
    proc = subprocess.Popen(cmd, env={**os.environ, **(env or {})}, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, cwd=cwd)
    try:
        _wait_for(ready_url, proc, seconds)
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if proc.stdout:
            proc.stdout.close()


def _wait_for(url: str, proc: subprocess.Popen, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            out = proc.stdout.read().decode() if proc.stdout else ""
            raise RuntimeError(f"{proc.args[0]} exited with {proc.returncode}:\n{out}")
        with contextlib.suppress(requests.ConnectionError):
            if requests.get(url, timeout=1).status_code == 200:
                return
        time.sleep(0.05)
    raise RuntimeError(f"{url} did not answer within {seconds} s")


@contextlib.contextmanager
def recording_server() -> Iterator[tuple[str, list[str]]]:
    """An HTTP server on loopback that answers 200 to anything and records each request line."""
    seen: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def _record(self) -> None:
            seen.append(f"{self.command} {self.path}")
            body = b"<http://example.org/s> <http://example.org/p> <http://example.org/o> ."
            self.send_response(200)
            self.send_header("Content-Type", "application/n-triples")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = do_HEAD = _record

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", seen
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def write_dump(dataset: Dataset, folder: Path) -> Path:
    """The dataset as ``hld2006.nq`` in ``folder`` (what ``hldgraph build`` writes)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "hld2006.nq"
    dataset.serialize(path, format="nquads", encoding="utf-8")
    return path


@contextlib.contextmanager
def chrome() -> Iterator[Any]:
    """Headless Chromium through Selenium; skips where it is not installed (fails in CI).

    The system's chromedriver is used, so that Selenium never tries to download one.
    """
    import shutil

    import pytest

    driver_path = shutil.which("chromedriver")
    browser_path = shutil.which("chromium") or shutil.which("chromium-browser")
    if not (driver_path and browser_path):
        message = "Chromium and chromedriver are needed for browser tests"
        if os.environ.get("HLDGRAPH_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    from selenium import webdriver

    options = webdriver.ChromeOptions()
    options.binary_location = browser_path
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage"):
        options.add_argument(arg)
    driver = webdriver.Chrome(options=options, service=webdriver.ChromeService(driver_path))
    try:
        yield driver
    finally:
        driver.quit()
