"""Named settings with defaults and help text: the one place where every limit lives.

Settings come from defaults, then ``HLDGRAPH_<NAME>`` environment variables, then keyword
arguments (the command line passes its options here). They are checked once, at start-up.
"""

from __future__ import annotations

import difflib
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from hldgraph.errors import SettingsError

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def _setting(default: Any, help: str) -> Any:
    return field(default=default, metadata={"help": help})


@dataclass(frozen=True)
class Settings:
    base_iri: str = _setting(
        "https://w3id.org/hld2006/", "Canonical base IRI of every resource of the graph."
    )
    data_dir: Path = _setting(PROJECT_ROOT / "data", "Folder of the curated tables.")
    ontology_dir: Path = _setting(PROJECT_ROOT / "ontology", "Folder of the OWL ontology.")
    shapes_dir: Path = _setting(PROJECT_ROOT / "shapes", "Folder of the SHACL shapes.")
    dist_dir: Path = _setting(PROJECT_ROOT / "dist", "Where builds write their dumps.")
    releases_dir: Path = _setting(
        PROJECT_ROOT / "releases", "Where releases write their dumps, one folder per version "
        "(made again from the release log in data/release-log when missing).")
    store: str = _setting("oxigraph", "Store backend: oxigraph, memory or sparql.")
    store_path: str = _setting(
        "", "Folder of an on-disk Oxigraph store: loaded from each new build, opened read-only "
        "and shared by the worker processes (oxigraph only).")
    memory_store_max_mb: int = _setting(
        64, "Largest N-Quads dump (MB) that store=oxigraph holds in memory without store_path; "
        "a larger one is loaded into an on-disk store beside it (.oxigraph-store), because each "
        "process reading an in-memory store ends up with a copy of it.")
    sparql_url: str = _setting("", "Query URL of a remote SPARQL store (store=sparql).")
    sparql_update_url: str = _setting("", "Update URL of the remote store (hldgraph push).")
    graph_store_url: str = _setting("", "Graph Store Protocol URL of the remote store (push).")
    published_url: str = _setting(
        "", "Where the build folder is published, a folder or an http(s) URL: hldgraph push "
        "copies the build and the release log to a folder there (or checks that the URL serves "
        "the build), and a front end with store=sparql and no build of its own reads the files "
        "for download, the ontology page and the release log there, each checked against the "
        "SHA-256 that push recorded in the store.")
    base_path: str = _setting(
        "", "Path under which a reverse proxy publishes the site when it strips that prefix "
        "itself and passes no SCRIPT_NAME (e.g. /hld2006): every link is written under it.")
    host: str = _setting("127.0.0.1", "Interface that hldgraph serve listens on.")
    port: int = _setting(8080, "Port that hldgraph serve listens on.")
    workers: int = _setting(2, "WSGI worker processes of hldgraph serve.")
    access_log: bool = _setting(
        False, "Log every request to standard output (it halves the rate of cached answers; "
        "a reverse proxy's log costs nothing here).")
    query_workers: int = _setting(
        4, "Forked query processes per WSGI worker (each copies the pages of an in-memory "
        "store that it reads: for large data use store_path).")
    inline_threads: int = _setting(
        4, "Web threads per WSGI worker beyond one per query worker, for pages, searches and the "
        "quick queries that run in the web process. Threads computing at once take the "
        "interpreter from each other: a front end that serves mostly search and suggest answers "
        "them in order, with the shortest tail, with 0 and query_workers 1 (bench/RESULTS.md), "
        "but then a slow query holds up its whole process.")
    inline_queries: bool = _setting(
        True, "Run a query in the web process, without a forked query worker, once it has been "
        "seen to finish in a worker in under 0.05 s (oxigraph only; false: always a worker).")
    query_time_limit_s: float = _setting(10.0, "Longest time a SPARQL query may run.")
    max_result_rows: int = _setting(10000, "Most solutions or triples a query may return.")
    max_request_bytes: int = _setting(64 * 1024, "Largest accepted request body (413 above).")
    max_query_chars: int = _setting(20000, "Longest accepted query text (413 above).")
    cache_entries: int = _setting(512, "Responses kept in the in-process response cache: SPARQL "
                                  "answers, searches, suggestions, reconciliation queries "
                                  "(0: off).")
    federation: bool = _setting(False, "Allow SERVICE clauses to reach other endpoints.")

    def __post_init__(self) -> None:
        problems: list[tuple[str, str]] = []  # (setting, what is wrong)
        if not self.base_iri.startswith(("http://", "https://")) or not self.base_iri.endswith("/"):
            problems.append(("base_iri", "base_iri must be an http(s) IRI ending in '/'"))
        if self.store not in {"oxigraph", "memory", "sparql"}:
            problems.append(("store", "store must be one of oxigraph, memory, sparql"))
        if self.store == "sparql" and not self.sparql_url:
            problems.append(("store", "store=sparql needs sparql_url, the remote store's query URL "
                                      "(--sparql-url or HLDGRAPH_SPARQL_URL)"))
        for name in ("sparql_url", "sparql_update_url", "graph_store_url"):
            problem = url_problem(getattr(self, name), name)
            if problem:
                problems.append((name, problem))
        if self.published_url and _scheme(self.published_url) not in {"", "file"}:
            problem = url_problem(self.published_url, "published_url",
                                  "a folder, a file: URL or ")
            if problem:
                problems.append(("published_url", problem))
        if self.base_path and (not self.base_path.startswith("/") or self.base_path.endswith("/")):
            problems.append(("base_path", "base_path must start with '/' and not end with it "
                                          f"(e.g. /hld2006), not {self.base_path!r}"))
        if not 0 < self.port < 65536:
            problems.append(("port", f"port must be between 1 and 65535, not {self.port}"))
        for name in ("query_time_limit_s", "max_result_rows", "max_request_bytes",
                     "max_query_chars", "workers", "query_workers"):
            value = getattr(self, name)
            if not 0 < value < math.inf:  # also false for nan
                what = "positive and finite" if isinstance(value, float) else "positive"
                problems.append((name, f"{name} must be {what}, not {value}"))
        if self.inline_threads < 0:
            problems.append(("inline_threads", "inline_threads must be 0 or more, not "
                                               f"{self.inline_threads}"))
        if problems:
            error = SettingsError("; ".join(message for _, message in problems))
            error.problems = problems  # type: ignore[attr-defined]
            raise error

    def with_(self, **changes: Any) -> Settings:
        return replace(self, **changes)

    def public(self) -> dict[str, Any]:
        """The settings a client may see (served at /-/settings.json)."""
        return {f.name: {"value": _jsonable(getattr(self, f.name)), "help": f.metadata["help"]}
                for f in fields(self) if not f.name.endswith(("_dir", "_path", "_url"))}


#: What a URL setting or option must look like, and an example of one.
URL_FORM = "an http:// or https:// URL with a host (http://HOST[:PORT]/PATH)"


def _scheme(value: str) -> str:
    """The scheme of ``value`` as a URL ("" for a plain path such as /srv/build)."""
    try:
        return urlsplit(value).scheme.lower()
    except ValueError:
        return "?"


def url_problem(value: str, name: str, alternatives: str = "") -> str | None:
    """What is wrong with ``value`` as the http(s) URL that ``name`` (a setting or an option)
    must be, in a sentence naming it; None when it is one (or empty: not set).

    The one check of every URL that hldgraph is given (settings, ``hldgraph query
    --endpoint``): a URL without a scheme or a host would fail only at its first request.
    ``alternatives``: what else ``name`` may be, said before the URL form.
    """
    if not value:
        return None
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
        fine = parts.scheme.lower() in {"http", "https"} and bool(parts.hostname)
    except ValueError:
        fine = False
    if fine:
        return None
    return f"{name} must be {alternatives}{URL_FORM}, not {value!r}"


def _jsonable(value: Any) -> Any:
    return str(value) if isinstance(value, Path) else value


def _coerce(kind: Any, raw: str, name: str) -> Any:
    kind = {"str": str, "int": int, "float": float, "bool": bool, "Path": Path}.get(kind, kind)
    try:
        if kind is bool:
            if raw.lower() not in {"1", "0", "true", "false", "yes", "no", "on", "off"}:
                raise ValueError(raw)
            return raw.lower() in {"1", "true", "yes", "on"}
        return kind(raw)
    except ValueError:
        raise SettingsError(
            f"HLDGRAPH_{name.upper()}: {raw!r} is not a valid {kind.__name__}"
        ) from None


#: HLDGRAPH_ variables that are not settings (read by the test suite).
OTHER_VARIABLES = frozenset({
    "HLDGRAPH_SHARED", "HLDGRAPH_REQUIRE_SHARED", "HLDGRAPH_REQUIRE_BROWSER",
    "HLDGRAPH_REQUIRE_VIRTUOSO", "HLDGRAPH_REQUIRE_OXIGRAPH", "HLDGRAPH_SCREENSHOTS",
})


def variable(name: str) -> str:
    """The environment variable of setting ``name``."""
    return f"HLDGRAPH_{name.upper()}"


def unknown_variables(environ: Mapping[str, str] | None = None) -> list[str]:
    """A warning for each HLDGRAPH_ variable that is no setting, with the nearest one's name."""
    environ = os.environ if environ is None else environ
    known = {variable(f.name) for f in fields(Settings)} | OTHER_VARIABLES
    warnings = []
    for name in sorted(environ):
        if name.startswith("HLDGRAPH_") and name not in known:
            near = difflib.get_close_matches(name, sorted(known), n=1)
            hint = f" (did you mean {near[0]}?)" if near else ""
            warnings.append(f"{name} is not a setting and is ignored{hint}")
    return warnings


def load_settings(options: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
    """Defaults, then HLDGRAPH_* environment variables, then ``overrides`` (None is ignored).

    ``overrides`` are the command line's options: a wrong value is reported as the option that
    gave it (``options``: setting name -> option as typed, e.g. base_iri -> --base; else
    ``--name``), one from the environment as its variable, e.g. "HLDGRAPH_PORT=0: port must be
    ...".
    """
    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for f in fields(Settings):
        raw = os.environ.get(variable(f.name))
        if raw is not None:
            values[f.name] = _coerce(f.type, raw, f.name)
            sources[f.name] = f"{variable(f.name)}={raw}"
    for name, value in overrides.items():
        if value is not None:
            values[name] = value
            flag = (options or {}).get(name) or f"--{name.replace('_', '-')}"
            sources[name] = f"{flag} {value}"
    try:
        return Settings(**values)
    except TypeError as e:
        raise SettingsError(str(e)) from None
    except SettingsError as e:
        problems = getattr(e, "problems", [])
        raise SettingsError("; ".join(f"{sources[name]}: {message}" if name in sources
                                      else message for name, message in problems)) from None
