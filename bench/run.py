"""The benchmark: hldgraph on each backend against Oxigraph's server, rdflib-endpoint and nginx.

    python bench/run.py [--sizes real,10000] [--duration 2] [--clients 1,16] [--soak 60]

For each data size (``real``: a fresh build of data/; a number: a synthetic calendar of that many
events, see synth.py) every server is started on loopback in turn, loaded with the same data,
checked to give the same answers as Oxigraph's server, then loaded with wrk at each number of
clients for each query (bench/queries/*.rq, and the query page's examples at the highest number
of clients). It prints one table and writes bench/results.json. Every server it starts is
stopped, also on Ctrl-C. ``--soak`` runs the robustness test instead (see soak()).

Needs: wrk, nginx (Debian packages), the ``oxigraph`` command (PyPI ``oxigraph``).
rdflib-endpoint is installed into bench/.venv-rdflib-endpoint on first use (never a project
dependency); where that fails it is skipped, with a note.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import requests

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
import synth  # noqa: E402

QUERIES = sorted((HERE / "queries").glob("*.rq"))
EXAMPLES = sorted((ROOT / "src/hldgraph/web/queries").glob("*.rq"))
RESULTS_JSON = "application/sparql-results+json"
N_TRIPLES = "application/n-triples"
#: Example queries whose GROUP_CONCAT keeps a language tag on Oxigraph and not on rdflib.
TAGS_MAY_DIFFER = {"06-initiatives-per-paragraph"}
ENDLESS = ("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?a { ?s1 ?p1 ?o1 } GRAPH ?b { ?s2 ?p2 ?o2 } "
           "GRAPH ?c { ?s3 ?p3 ?o3 } }")
RDFLIB_ENDPOINT_VENV = HERE / ".venv-rdflib-endpoint"
#: The oxigraph command of this Python's environment, else the one on PATH.
OXIGRAPH = str(Path(sys.executable).parent / "oxigraph") \
    if (Path(sys.executable).parent / "oxigraph").exists() else "oxigraph"
START_TIMEOUT_S = 600
#: With --baseline: the src/ folder of an earlier hldgraph, measured in the same run as this one.
BASELINE = ""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---- processes and memory -------------------------------------------------------------------

def _tree(pid: int) -> list[int]:
    """``pid`` and all its descendants."""
    pids, todo = [], [pid]
    while todo:
        p = todo.pop()
        pids.append(p)
        for task in Path(f"/proc/{p}/task").glob("*"):
            with contextlib.suppress(OSError):
                todo += [int(c) for c in (task / "children").read_text().split()]
    return pids


def memory_mb(pids: list[int]) -> float:
    """Proportional set size of the processes and their children: shared pages counted once."""
    total = 0
    for root in pids:
        for p in _tree(root):
            with contextlib.suppress(OSError):
                text = Path(f"/proc/{p}/smaps_rollup").read_text()
                total += int(re.search(r"^Pss:\s+(\d+)", text, re.M).group(1))
    return total / 1024


def connections(port: int, after: float) -> Callable[[], list[int]]:
    """Starts counting, ``after`` seconds from now, the established connections to ``port`` per
    process holding them (``ss``, Debian package iproute2); returns a function that waits for
    the count and gives it, largest first. A server's workers each serve the connections they
    accepted for as long as these last: wrk's are shared out unevenly, and the busier worker
    makes the slowest answers."""
    counted: list[int] = []

    def count() -> None:
        time.sleep(after)
        out = subprocess.run(["ss", "-tnpH", "state", "established",
                              f"( sport = :{port} or dport = :{port} )"],
                             capture_output=True, text=True).stdout
        # each connection twice: wrk's end (its port) and the server's (the pid serving it)
        rows = [(line.split()[2].rsplit(":", 1)[1], line.split()[3].rsplit(":", 1)[1], line)
                for line in out.splitlines() if len(line.split()) >= 4]
        wrk = {mine for mine, theirs, line in rows if theirs == str(port) and '"wrk"' in line}
        served = Counter(m.group(1) for mine, theirs, line in rows
                         if mine == str(port) and theirs in wrk
                         and (m := re.search(r"pid=(\d+)", line)))
        counted.extend(sorted(served.values(), reverse=True))

    thread = threading.Thread(target=count, daemon=True)
    thread.start()

    def result() -> list[int]:
        thread.join()
        return counted

    return result


def cpu_seconds(pids: list[int]) -> float:
    """CPU time (user + system) used so far by the processes and their children."""
    total = 0
    for root in pids:
        for p in _tree(root):
            with contextlib.suppress(OSError, IndexError):
                fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
                total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


@dataclass
class Server:
    """A server started by the benchmark: its query URL, processes, start-up time, memory."""

    name: str
    kind: str  # which Oxigraph server it is compared with: mem or disk
    url: str = ""
    procs: list[subprocess.Popen] = field(default_factory=list)
    startup_s: float = 0.0
    peak_mb: float = 0.0

    def sample(self) -> float:
        mb = memory_mb([p.pid for p in self.procs])
        self.peak_mb = max(self.peak_mb, mb)
        return mb

    def settle(self, patience: float = 60.0) -> None:
        """Wait until the server is idle: requests that wrk abandoned when it stopped may still
        be running, and would take the CPU from the next measurement."""
        pids, deadline = [p.pid for p in self.procs], time.monotonic() + patience
        used = cpu_seconds(pids)
        while time.monotonic() < deadline:
            time.sleep(0.5)
            now = cpu_seconds(pids)
            if now - used < 0.05:  # under a tenth of a core
                return
            used = now

    def stop(self) -> None:
        for proc in reversed(self.procs):
            if proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGTERM)
        for proc in reversed(self.procs):
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def _spawn(cmd: list[str], env: dict[str, str] | None = None) -> subprocess.Popen:
    # a process group of its own, so that stop() also ends its workers
    return subprocess.Popen(cmd, env={**os.environ, **(env or {})}, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, start_new_session=True)


def _wait(url: str, proc: subprocess.Popen, probe: Callable[[str], bool]) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            err = proc.stderr.read().decode(errors="replace")[-2000:] if proc.stderr else ""
            raise RuntimeError(f"{proc.args[0]} exited with {proc.returncode}: {err}")
        with contextlib.suppress(requests.RequestException):
            if probe(url):
                return
        time.sleep(0.05)
    raise RuntimeError(f"{url} did not answer within {START_TIMEOUT_S} s")


def _asks(url: str) -> bool:
    r = requests.get(url, params={"query": "ASK { ?s ?p ?o }"},
                     headers={"Accept": RESULTS_JSON}, timeout=5)
    return r.ok and r.json().get("boolean") is True


# ---- the servers ----------------------------------------------------------------------------

def oxigraph_server(dump: Path, location: Path | None, union: bool = True) -> Server:
    """``oxigraph serve`` (in memory, or on disk after ``oxigraph load``), loaded with ``dump``."""
    name = "oxigraph serve (" + ("disk" if location else "memory") + ")"
    server = Server(name, "disk" if location else "mem")
    port = free_port()
    started = time.monotonic()
    if location:
        subprocess.run([OXIGRAPH, "load", "--location", str(location), "--file", str(dump)],
                       check=True, capture_output=True)
    cmd = [OXIGRAPH, "serve", "--bind", f"127.0.0.1:{port}"]
    cmd += ["--location", str(location)] if location else []
    cmd += ["--union-default-graph"] if union else []
    proc = _spawn(cmd)
    server.procs.append(proc)
    server.url = f"http://127.0.0.1:{port}/query"
    _wait(server.url, proc, lambda u: requests.get(u, params={"query": "ASK {}"}, timeout=5).ok)
    if not location:
        with open(dump, "rb") as f:
            requests.post(f"http://127.0.0.1:{port}/store", data=f, timeout=600,
                          headers={"Content-Type": "application/n-quads"}).raise_for_status()
    server.startup_s = time.monotonic() - started
    return server


def hldgraph_server(name: str, kind: str, env: dict[str, str]) -> Server:
    """hldgraph's app under Granian with the options of ``hldgraph serve``."""
    server = Server(name, kind)
    port = free_port()
    env = {"HLDGRAPH_PORT": str(port), "HLDGRAPH_MAX_RESULT_ROWS": str(10**7),
           "HLDGRAPH_WORKERS": "2", "HLDGRAPH_QUERY_TIME_LIMIT_S": "30", **env}
    started = time.monotonic()
    proc = _spawn([sys.executable, str(Path(__file__)), "_serve"], env)
    server.procs.append(proc)
    server.url = f"http://127.0.0.1:{port}/sparql"
    _wait(server.url, proc, _asks)
    server.startup_s = time.monotonic() - started
    return server


def _serve_child() -> None:
    """What `hldgraph serve` does once it has a build: open the store, run Granian."""
    from hldgraph.settings import load_settings
    from hldgraph.store import open_store
    from hldgraph.web import create_app
    from hldgraph.web.server import run

    settings = load_settings()
    run(create_app(settings, open_store(settings)), settings)


def rdflib_endpoint_server(dump: Path) -> Server:
    binary = RDFLIB_ENDPOINT_VENV / "bin" / "rdflib-endpoint"
    if not binary.exists():
        subprocess.run([sys.executable, "-m", "venv", str(RDFLIB_ENDPOINT_VENV)], check=True)
        subprocess.run([str(RDFLIB_ENDPOINT_VENV / "bin" / "pip"), "install", "-q",
                        "rdflib-endpoint[cli]", "uvicorn"], check=True, capture_output=True)
    server = Server("rdflib-endpoint", "mem")
    port = free_port()
    started = time.monotonic()
    proc = _spawn([str(binary), "serve", str(dump), "--host", "127.0.0.1", "--port", str(port)])
    server.procs.append(proc)
    server.url = f"http://127.0.0.1:{port}/"
    _wait(server.url, proc, _asks)
    server.startup_s = time.monotonic() - started
    return server


def nginx_server(body: bytes, tmp: Path) -> Server:
    """nginx serving one stored response: the floor of an HTTP round trip here."""
    root = tmp / "nginx"
    root.mkdir(exist_ok=True)
    (root / "answer.json").write_bytes(body)
    port = free_port()
    conf = root / "nginx.conf"
    conf.write_text(f"""daemon off; worker_processes 2; pid {root}/nginx.pid;
error_log {root}/error.log; user root;
events {{ worker_connections 1024; }}
http {{ access_log off; default_type {RESULTS_JSON}; keepalive_requests 100000;
  server {{ listen 127.0.0.1:{port}; root {root}; location / {{ try_files /answer.json =404; }} }}
}}
""")
    server = Server("nginx (static answer)", "mem")
    started = time.monotonic()
    proc = _spawn(["nginx", "-c", str(conf), "-p", str(root)])
    server.procs.append(proc)
    server.url = f"http://127.0.0.1:{port}/answer"
    _wait(server.url, proc, lambda u: requests.get(u, timeout=5).ok)
    server.startup_s = time.monotonic() - started
    return server


# ---- answers --------------------------------------------------------------------------------

def query_text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def accept_of(text: str) -> str:
    return N_TRIPLES if re.search(r"^\s*(CONSTRUCT|DESCRIBE)\b", text, re.M | re.I) \
        else RESULTS_JSON


def answer(server: Server, text: str) -> requests.Response:
    r = requests.get(server.url, params={"query": text},
                     headers={"Accept": accept_of(text)}, timeout=600)
    r.raise_for_status()
    return r


def normalised(r: requests.Response, tags: bool = True) -> object:
    """An answer as a comparable value: a multiset of solutions, or a canonical graph."""
    from rdflib import Graph, Literal
    from rdflib.compare import to_canonical_graph

    from hldgraph.store.remote import from_json

    if r.headers.get("Content-Type", "").startswith(N_TRIPLES):
        return frozenset(to_canonical_graph(Graph().parse(data=r.text, format="nt")))

    def value(term: dict) -> tuple:
        node = from_json(term)
        if isinstance(node, Literal) and node.datatype is not None:
            return (str(node.datatype), repr(node.toPython()))
        return (str(node), getattr(node, "language", None) if tags else None)

    data = r.json()
    if "boolean" in data:
        return data["boolean"]
    return Counter(frozenset((k, value(v)) for k, v in b.items())
                   for b in data["results"]["bindings"])


# ---- load -----------------------------------------------------------------------------------

_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 6e4}


def wrk(url: str, accept: str, clients: int, seconds: float, script: Path | None = None
        ) -> dict[str, float]:
    """Answers/s (2xx), p50 and p99 latency (ms) and errors of ``clients`` connections.
    ``script``: a wrk Lua script that makes the requests (e.g. :func:`paths_script`)."""
    threads = min(clients, 2)
    cmd = ["wrk", f"-t{threads}", f"-c{clients}", f"-d{max(1, round(seconds))}s",
           "--latency", "--timeout", "60s", "-H", f"Accept: {accept}",
           *(["-s", str(script)] if script else []), url,
           *(["--", str(threads)] if script else [])]  # paths_script shares its list out
    out = subprocess.run(cmd, capture_output=True, text=True, check=True,
                         timeout=seconds + 120).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def pct(p: str) -> float:
        m = re.search(rf"^\s+{p}%\s+([\d.]+)(us|ms|s|m)\s*$", out, re.M)
        return float(m.group(1)) * _UNITS[m.group(2)] if m else float("nan")

    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", out))
    errors += sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    total = int(re.search(r"(\d+) requests in", out).group(1))
    # answers, not replies: a server that refuses work (503) must not look faster for it
    answered = rate * max(total - errors, 0) / total if total else 0.0
    twice = re.search(r"^asked twice: (\d+)$", out, re.M)  # paths_script's
    return {"rps": answered, "p50": pct("50"), "p99": pct("99"), "errors": errors,
            "requests": total, "twice": int(twice.group(1)) if twice else 0}


def paths_script(paths: list[str], folder: Path) -> Path:
    """A wrk Lua script asking for each of ``paths`` in turn, each of wrk's threads within its
    own share of the list (as many shares as :func:`wrk` starts threads: it passes their number
    to the script), so that no path is asked twice until a thread has used up its share; the
    script then prints how many were (``asked twice: N``, :func:`wrk`'s ``twice``: the caller
    must say so, as a response cache answers the repeats)."""
    listed = ",\n".join(json.dumps(p) for p in paths)
    script = folder / "paths.lua"
    # wrk calls setup (main state) and init (the thread's) for each thread in turn, so a
    # thread cannot count them: wrk() passes their number. wrk also calls thread 0's request()
    # once before it starts (to check for pipelining), which sends nothing: its first path is
    # then asked last, and that call is not an answer asked twice.
    script.write_text(f"""local paths = {{{listed}}}
local threads = {{}}
function setup(thread) thread:set("id", #threads); threads[#threads + 1] = thread end
function init(args)
  local parts = tonumber(args[1]) or 1
  share = math.floor(#paths / parts); first = id * share; i = 0; asked = 0
  if id == parts - 1 then share = #paths - first end
  if id == 0 then asked = -1 end
end
function request()
  i = i % share + 1; asked = asked + 1
  return wrk.format(nil, paths[first + i])
end
function done(summary, latency, requests)
  local twice = 0
  for _, t in ipairs(threads) do twice = twice + math.max(0, t:get("asked") - t:get("share")) end
  io.write(string.format("asked twice: %d\\n", twice))
end
""", encoding="utf-8")
    return script


# ---- one size -------------------------------------------------------------------------------

@dataclass
class Plan:
    duration: int
    clients: list[int]
    examples: bool
    only: list[str] = field(default_factory=list)  # server names must contain one of these
    out: Path | None = None
    done: list[dict] = field(default_factory=list)  # rows of the sizes already measured


def servers_for(size: str, dump: Path, tmp: Path, reference: dict[str, bytes],
                only: list[str]) -> Iterator[Callable[[], Server]]:
    """Factories of the servers to measure, in order (Oxigraph's first: the reference).

    nginx serves the answer that Oxigraph's server gave to the third query (``reference``).
    ``only``: keep the servers whose label contains one of these words (Oxigraph's in memory
    is always kept: it is the reference).
    """
    for label, factory in _servers(size, dump, tmp, reference):
        if not only or label == "oxigraph-memory" or any(w in label for w in only):
            yield factory


def _servers(size: str, dump: Path, tmp: Path,
             reference: dict[str, bytes]) -> Iterator[tuple[str, Callable[[], Server]]]:
    big = size != "real" and int(size) > 20000
    disk = tmp / f"oxigraph-{size}"
    hld = {"HLDGRAPH_DIST_DIR": str(dump.parent)}
    yield "oxigraph-memory", lambda: oxigraph_server(dump, None)
    yield "oxigraph-disk", lambda: oxigraph_server(dump, disk)
    yield "nginx", lambda: nginx_server(reference["body"], tmp)
    for cache, label in (("0", "cold"), ("512", "warm")):
        if BASELINE:
            yield f"baseline-oxigraph-memory-{label}", lambda c=cache, lb=label: hldgraph_server(
                f"baseline oxigraph memory, {lb}", "mem",
                {**hld, "HLDGRAPH_STORE": "oxigraph", "HLDGRAPH_CACHE_ENTRIES": c,
                 "PYTHONPATH": BASELINE})
        yield f"hldgraph-oxigraph-memory-{label}", lambda c=cache, lb=label: hldgraph_server(
            f"hldgraph oxigraph memory, {lb}", "mem",
            {**hld, "HLDGRAPH_STORE": "oxigraph", "HLDGRAPH_CACHE_ENTRIES": c})
        yield f"hldgraph-oxigraph-disk-{label}", lambda c=cache, lb=label: hldgraph_server(
            f"hldgraph oxigraph disk, {lb}", "disk",
            {**hld, "HLDGRAPH_STORE": "oxigraph", "HLDGRAPH_STORE_PATH": str(disk),
             "HLDGRAPH_CACHE_ENTRIES": c})
    # the candidate that runs every query in a forked worker (the design before this one)
    yield "hldgraph-worker-memory-cold", lambda: hldgraph_server(
        "hldgraph oxigraph memory, cold, every query in a worker", "mem",
        {**hld, "HLDGRAPH_STORE": "oxigraph", "HLDGRAPH_CACHE_ENTRIES": "0",
         "HLDGRAPH_INLINE_QUERIES": "0"})
    yield "hldgraph-sparql", lambda: _hldgraph_on_oxigraph_server(dump)
    if not big:
        yield "hldgraph-memory", lambda: hldgraph_server(
            "hldgraph memory (rdflib), cold", "mem",
            {**hld, "HLDGRAPH_STORE": "memory", "HLDGRAPH_CACHE_ENTRIES": "0"})
        yield "rdflib-endpoint", lambda: rdflib_endpoint_server(dump)


def _hldgraph_on_oxigraph_server(dump: Path) -> Server:
    remote = oxigraph_server(dump, None, union=False)
    try:
        server = hldgraph_server("hldgraph sparql -> oxigraph serve, cold", "mem",
                                 {"HLDGRAPH_STORE": "sparql", "HLDGRAPH_SPARQL_URL": remote.url,
                                  "HLDGRAPH_CACHE_ENTRIES": "0"})
    except Exception:
        remote.stop()
        raise
    server.procs[:0] = remote.procs
    server.startup_s += remote.startup_s
    return server


def run_size(size: str, dump: Path, tmp: Path, plan: Plan) -> list[dict]:
    queries = list(QUERIES) + (list(EXAMPLES) if plan.examples and size == "real" else [])
    answers: dict[str, object] = {}
    reference: dict[str, bytes] = {}
    rows: list[dict] = []
    for factory in servers_for(size, dump, tmp, reference, plan.only):
        try:
            server = factory()
        except Exception as e:  # a peer that cannot start is noted, not fatal
            print(f"  skipped: {e}"[:300], flush=True)
            rows.append({"size": size, "server": f"(skipped) {str(e)[:80]}", "skipped": True})
            continue
        try:
            print(f"  {server.name}: up in {server.startup_s:.2f} s, "
                  f"{server.sample():.0f} MB", flush=True)
            rows += _measure(server, size, queries, plan, answers, reference)
        finally:
            server.stop()
        if plan.out:  # what was measured so far survives a failure further on
            plan.out.write_text(json.dumps(plan.done + rows, indent=1) + "\n")
    return rows


def _measure(server: Server, size: str, queries: list[Path], plan: Plan,
             answers: dict[str, object], reference: dict[str, bytes]) -> list[dict]:
    static = server.name.startswith("nginx")
    rows = []
    for path in QUERIES[2:3] if static else queries:
        text = query_text(path)
        try:
            same = True if static else _same(server, path, text, answers)
            if path == QUERIES[2] and "body" not in reference:
                reference["body"] = answer(server, text).content
        except requests.RequestException as e:  # e.g. a 503: the query hit the time limit
            print(f"    {path.stem}: no answer ({e})"[:200], flush=True)
            rows.append({"size": size, "server": server.name, "kind": server.kind,
                         "query": path.stem, "clients": 0, "same": False, "rps": 0.0,
                         "p50": float("nan"), "p99": float("nan"), "errors": -1})
            continue
        url = server.url if static else f"{server.url}?{urlencode({'query': text})}"
        for clients in plan.clients if path in QUERIES else plan.clients[-1:]:
            result = wrk(url, accept_of(text), clients, plan.duration)
            server.sample()
            server.settle()
            rows.append({"size": size, "server": server.name, "kind": server.kind,
                         "query": path.stem, "clients": clients, "same": same, **result})
    for row in rows:
        row.update(startup_s=server.startup_s, peak_mb=server.peak_mb)
    return rows


def _same(server: Server, path: Path, text: str, reference: dict[str, object]) -> bool:
    got = normalised(answer(server, text), tags=path.stem not in TAGS_MAY_DIFFER)
    if path.stem not in reference:
        reference[path.stem] = got
        return True
    return got == reference[path.stem]


# ---- the table ------------------------------------------------------------------------------

def _oxigraph_rates(rows: list[dict]) -> dict[tuple, float]:
    """Oxigraph's server's requests/s by size, kind of store, query and clients: the yardstick."""
    return {(r["size"], r["kind"], r["query"], r["clients"]): r["rps"] for r in rows
            if r.get("server", "").startswith("oxigraph serve")}


def markdown(rows: list[dict], queries: int = 5) -> str:
    """One Markdown table per size and client count: req/s (p99 ms) and the ratio to
    Oxigraph's server with the same kind of store, for the first ``queries`` queries."""
    base, out = _oxigraph_rates(rows), []
    measured = [r for r in rows if not r.get("skipped")]
    for size, clients in dict.fromkeys((r["size"], r["clients"]) for r in measured):
        group = [r for r in measured if (r["size"], r["clients"]) == (size, clients)]
        names = list(dict.fromkeys(r["query"] for r in group))[:queries]
        out += [f"**{size}, {clients} client{'s' if clients > 1 else ''}**: requests/s "
                "(p99 ms) and x Oxigraph's server with the same kind of store", "",
                "| server | start-up s | peak MB | " + " | ".join(names) + " |",
                "|---|---:|---:|" + "---:|" * len(names)]
        for server in dict.fromkeys(r["server"] for r in group):
            cells = {r["query"]: r for r in group if r["server"] == server}
            first = next(iter(cells.values()))
            row = [server, f"{first['startup_s']:.2f}", f"{first['peak_mb']:.0f}"]
            for name in names:
                r = cells.get(name)
                ref = base.get((size, r["kind"], name, clients)) if r else None
                ratio = f" {r['rps'] / ref:.2f}" if r and ref and not server.startswith(
                    "oxigraph serve") else ""
                row.append(f"{r['rps']:.0f} ({r['p99']:.0f}){ratio}" if r else "")
            out.append("| " + " | ".join(row) + " |")
        out.append("")
    return "\n".join(out)


def table(rows: list[dict]) -> str:
    base = _oxigraph_rates(rows)
    head = (f"{'size':<6} {'server':<40} {'query':<30} {'c':>3} {'req/s':>9} {'p50 ms':>8} "
            f"{'p99 ms':>8} {'err':>4} {'same':>4} {'start s':>7} {'MB':>6} {'x oxigraph':>10}")
    lines = [head, "-" * len(head)]
    for r in rows:
        if r.get("skipped"):
            lines.append(f"{r['size']:<6} {r['server']}")
            continue
        ref = base.get((r["size"], r["kind"], r["query"], r["clients"]))
        ratio = f"{r['rps'] / ref:.2f}" if ref else "-"
        lines.append(
            f"{r['size']:<6} {r['server'][:40]:<40} {r['query'][:30]:<30} {r['clients']:>3} "
            f"{r['rps']:>9.0f} {r['p50']:>8.2f} {r['p99']:>8.2f} {r['errors']:>4} "
            f"{'yes' if r['same'] else 'NO':>4} {r['startup_s']:>7.2f} {r['peak_mb']:>6.0f} "
            f"{ratio:>10}")
    return "\n".join(lines)


# ---- data -----------------------------------------------------------------------------------

def prepare(size: str, tmp: Path) -> Path:
    """The N-Quads file of a size: the real build, or a synthetic calendar."""
    real = tmp / "real" / "hld2006.nq"
    if not real.exists():
        subprocess.run([sys.executable, "-m", "hldgraph", "--dist", str(real.parent), "build"],
                       check=True, capture_output=True)
    if size == "real":
        return real
    out = tmp / size / "hld2006.nq"
    if out.exists():
        return out
    out.parent.mkdir(exist_ok=True)
    synth.write(int(size), out, ontology_from=real)
    return out


# ---- soak -----------------------------------------------------------------------------------

def soak(dump: Path, seconds: float, clients: int = 16) -> None:
    """Cheap, pathological and malformed requests at once; errors by kind, memory over time.

    hldgraph (oxigraph backend, cache off, 1 s time limit) gets a mix: 70 % cheap queries,
    10 % queries that hit the time limit (expected: 503), 20 % malformed requests (expected:
    4xx). A reply other than expected is an error of its kind.
    """
    server = hldgraph_server("hldgraph oxigraph memory, cold", "mem", {
        "HLDGRAPH_DIST_DIR": str(dump.parent), "HLDGRAPH_STORE": "oxigraph",
        "HLDGRAPH_CACHE_ENTRIES": "0", "HLDGRAPH_QUERY_TIME_LIMIT_S": "1"})
    cheap = [query_text(p) for p in QUERIES[1:4]]
    malformed: list[tuple[str, dict]] = [
        ("syntax error", {"params": {"query": "SELECT * WHERE { ?s ?p }"}}),
        ("update", {"method": "POST", "data": "DROP ALL",
                    "headers": {"Content-Type": "application/sparql-update"}}),
        ("bad content type", {"method": "POST", "data": "x",
                              "headers": {"Content-Type": "text/plain"}}),
        ("too large", {"method": "POST", "data": {"query": "ASK {}" + " " * 100_000}}),
        ("bad utf-8", {"method": "POST", "data": b"query=%FF%FE",
                       "headers": {"Content-Type": "application/x-www-form-urlencoded"}}),
    ]
    try:
        baseline = _cheap_latencies(server, cheap, 5.0)
        outcomes: Counter[str] = Counter()
        latencies: list[float] = []
        memory: list[tuple[float, float]] = []
        deadline = time.monotonic() + seconds
        lock = threading.Lock()

        def client(seed: int) -> None:
            rng = random.Random(seed)
            session = requests.Session()
            while time.monotonic() < deadline:
                roll = rng.random()
                if roll < 0.7:
                    kind, req, ok = "cheap", {"params": {"query": rng.choice(cheap)}}, {200}
                elif roll < 0.8:
                    kind, req, ok = "pathological", {"params": {"query": ENDLESS}}, {503}
                else:
                    (kind, req), ok = rng.choice(malformed), set(range(400, 500))
                req = dict(req)
                started = time.monotonic()
                try:
                    r = session.request(req.pop("method", "GET"), server.url, timeout=30,
                                        headers={"Accept": RESULTS_JSON,
                                                 **req.pop("headers", {})}, **req)
                    status = r.status_code
                except requests.RequestException as e:  # kept short: the kind, not the text
                    status = f"{type(e).__name__}: {str(e)[:60]}"
                took = (time.monotonic() - started) * 1000
                with lock:
                    outcomes[f"{kind}: {status}" + ("" if status in ok else " (ERROR)")] += 1
                    if kind == "cheap" and status == 200:
                        latencies.append(took)

        threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
        for t in threads:
            t.start()
        started = time.monotonic()
        while any(t.is_alive() for t in threads):
            memory.append((time.monotonic() - started, server.sample()))
            time.sleep(min(5.0, max(seconds / 12, 0.5)))
        for t in threads:
            t.join()
    finally:
        server.stop()
    print(f"soak: {seconds:.0f} s, {clients} clients, hldgraph oxigraph backend, 1 s limit")
    for key, n in sorted(outcomes.items()):
        print(f"  {key:<40} {n:>7}")
    print(f"  cheap query latency alone:  p50 {_p(baseline, 50):.1f} ms, "
          f"p99 {_p(baseline, 99):.1f} ms ({len(baseline)} requests, 1 client)")
    print(f"  cheap query latency in mix: p50 {_p(latencies, 50):.1f} ms, "
          f"p99 {_p(latencies, 99):.1f} ms ({len(latencies)} requests, {clients} clients)")
    print("  memory (PSS, MB) over time: "
          + ", ".join(f"{t:.0f}s {mb:.0f}" for t, mb in memory))


def _cheap_latencies(server: Server, cheap: list[str], seconds: float) -> list[float]:
    session, out = requests.Session(), []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        started = time.monotonic()
        session.get(server.url, params={"query": cheap[len(out) % len(cheap)]},
                    headers={"Accept": RESULTS_JSON}, timeout=30).raise_for_status()
        out.append((time.monotonic() - started) * 1000)
    return out


def _p(values: list[float], pct: int) -> float:
    if not values:
        return float("nan")
    return statistics.quantiles(values, n=100)[pct - 1] if len(values) > 1 else values[0]


# ---- main -----------------------------------------------------------------------------------

def main() -> None:
    if sys.argv[1:] == ["_serve"]:
        return _serve_child()
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="real,10000",
                        help="comma-separated: real and/or numbers of synthetic events")
    parser.add_argument("--duration", type=int, default=2, help="seconds per wrk run")
    parser.add_argument("--clients", default="1,16", help="comma-separated connection counts")
    parser.add_argument("--no-examples", action="store_true",
                        help="skip the query page's examples")
    parser.add_argument("--soak", type=float, metavar="SECONDS",
                        help="run the soak test for this long instead")
    parser.add_argument("--servers", default="",
                        help="comma-separated words: only the servers whose label has one "
                             "(oxigraph-memory, oxigraph-disk, nginx, hldgraph-oxigraph-memory-"
                             "cold, …-warm, hldgraph-oxigraph-disk-…, hldgraph-worker-memory-"
                             "cold, baseline-…, hldgraph-sparql, "
                             "hldgraph-memory, rdflib-endpoint)")
    parser.add_argument("--baseline", type=Path, metavar="SRC",
                        help="also measure the hldgraph whose src/ folder is SRC (e.g. a "
                             "worktree of an earlier commit): before and after in one run")
    parser.add_argument("--out", type=Path, default=HERE / "results.json")
    parser.add_argument("--show", type=Path, metavar="RESULTS_JSON",
                        help="print the table of an earlier run and exit")
    parser.add_argument("--markdown", action="store_true",
                        help="with --show: Markdown tables, as in RESULTS.md")
    args = parser.parse_args()
    global BASELINE
    BASELINE = str(args.baseline.resolve()) if args.baseline else ""
    if args.show:
        rows = json.loads(args.show.read_text())
        print(markdown(rows) if args.markdown else table(rows))
        return None
    for tool in ("wrk", "nginx", OXIGRAPH):
        if shutil.which(tool) is None:
            parser.error(f"{tool} is not installed")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # run the finally clauses
    with tempfile.TemporaryDirectory(prefix="hldgraph-bench-") as name:
        tmp = Path(name)
        if args.soak:
            return soak(prepare(args.sizes.split(",")[0], tmp), args.soak)
        plan = Plan(args.duration, [int(c) for c in args.clients.split(",")],
                    not args.no_examples, [w for w in args.servers.split(",") if w], args.out)
        for size in args.sizes.split(","):
            dump = prepare(size, tmp)
            print(f"{size}: {len(dump.read_bytes().splitlines())} quads", flush=True)
            plan.done += run_size(size, dump, tmp, plan)
    print(table(plan.done))
    return None


if __name__ == "__main__":
    main()
