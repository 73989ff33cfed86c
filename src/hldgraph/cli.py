"""The `hldgraph` command: thin over load, build, validate, dump, the store and the web app."""

from __future__ import annotations

import datetime as dt
import sys
import time
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from hldgraph import client, dist
from hldgraph.client import FORMATS as QUERY_FORMATS
from hldgraph.errors import HldgraphError
from hldgraph.settings import Settings, load_settings, unknown_variables

if TYPE_CHECKING:
    from flask import Flask

    from hldgraph.releases import Release
    from hldgraph.store import Store
    from hldgraph.web.health import Served


def _friendly(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turns a project error into its message and exit status 1: never a stack trace."""

    @wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except HldgraphError as e:
            click.echo(f"hldgraph: {e.message}", err=True)
            sys.exit(1)

    return run


def _settings(ctx: click.Context, **overrides: Any) -> Settings:
    for warning in unknown_variables():
        click.echo(f"hldgraph: warning: {warning}", err=True)
    return load_settings(_options(ctx), **ctx.obj, **overrides)


def _options(ctx: click.Context | None) -> dict[str, str]:
    """Each setting an option sets, with that option as the user types it (base_iri: --base),
    so that a wrong value is blamed on an option that exists."""
    named: dict[str, str] = {}
    while ctx is not None:
        for param in ctx.command.params:
            if isinstance(param, click.Option) and param.name:
                named.setdefault(param.name, max(param.opts, key=len))
        ctx = ctx.parent
    return named


@click.group()
@click.option("--base", "base_iri", help="Base IRI of the graph (HLDGRAPH_BASE_IRI).")
@click.option("--data", "data_dir", type=click.Path(path_type=Path), help="Folder of the tables.")
@click.option("--dist", "dist_dir", type=click.Path(path_type=Path), help="Folder of the dumps.")
@click.version_option(package_name="hldgraph")
@click.pass_context
def main(ctx: click.Context, **options: Any) -> None:
    """Publishes the 2006 High-Level Dialogue calendar as linked open data."""
    ctx.obj = options


@main.command()
@click.pass_context
@_friendly
def build(ctx: click.Context) -> None:
    """Build the graph from data/, validate it, and write the dumps."""
    from hldgraph.dump import publish

    settings = _settings(ctx)
    manifest = publish(settings)
    click.echo(f"built {manifest['triples']} triples, 0 violations -> {settings.dist_dir}")
    for name, info in sorted(manifest["files"].items()):
        click.echo(f"  {name:<18} {info['bytes']:>9} bytes  sha256 {info['sha256'][:16]}…")


@main.command()
@click.argument("version")
@click.option("--notes", required=True, help="What the release changes, in a sentence or two.")
@click.option("--issued", type=click.DateTime(["%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%d"]),
              help="When it is issued, UTC (default: now; not later than now, and after the last "
              "release), e.g. 2026-11-30T12:00:00Z.")
@click.pass_context
@_friendly
def release(ctx: click.Context, version: str, notes: str, issued: dt.datetime | None) -> None:
    """Publish release VERSION of data/, such as 1.1: built, validated, compared with the last
    release, recorded in data/release-log and written to the releases folder."""
    from hldgraph.release import make_release
    from hldgraph.releases import ReleaseLog

    settings = _settings(ctx)
    made = make_release(settings, version, notes, issued and issued.replace(tzinfo=dt.UTC))
    log = ReleaseLog(settings)
    click.echo(f"released {made.version} ({made.triples} triples, sha256 {made.digest[:16]}…) "
               f"-> {log.folder(made.version)}")
    if made.previous:
        changes = log.changes(made.previous, made.version).of_things(log.iris)
        click.echo(f"  since {made.previous}: {len(changes.added)} things added, "
                   f"{len(changes.removed)} removed, {len(changes.changed)} changed "
                   "(the catalogue's record left out)")
    click.echo(f"  record it: git add {log.log_dir / made.version} && git commit")


@main.command()
@click.argument("file", required=False, type=click.Path(exists=True, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "turtle"]), default="text",
              help="text: a readable report; turtle: the SHACL validation report as RDF.")
@click.pass_context
@_friendly
def validate(ctx: click.Context, file: Path | None, fmt: str) -> None:
    """Validate data/ (or FILE: Turtle, TriG, N-Triples, N-Quads, JSON-LD) against shapes/."""
    from hldgraph.validate import validate_file, validate_settings_data

    settings = _settings(ctx)
    report = validate_file(file, settings) if file else validate_settings_data(settings)
    if fmt == "turtle":
        click.echo(report.graph.serialize(format="turtle"))
    else:
        click.echo(report.text())
    sys.exit(0 if report.conforms else 1)


def _say(message: str) -> None:
    """What a command is doing, for the person watching (standard error: never in the output)."""
    click.echo(f"hldgraph: {message}", err=True)


def ensure_build(settings: Settings) -> tuple[Path, Served]:
    """The folder of an up-to-date build, rebuilt when data/, ontology/ or shapes/ changed.

    A failing rebuild falls back to the last good build, with a warning; the returned
    :class:`Served` records the failure for ``/-/health``. Without a good build the error is
    raised.
    """
    from hldgraph.web.health import Served

    out = Path(settings.dist_dir)
    good = dist.last_good(out)
    if good and dist.read_manifest(good).get("inputs") == dist.inputs_digest(settings):
        manifest = dist.read_manifest(good)
        made = dist.made(good)
        _say(f"reusing the build of {made:%Y-%m-%d %H:%M} UTC ({manifest['triples']} triples; "
             f"data, ontology and shapes unchanged)")
        return good, Served(manifest["digest"], made, manifest["triples"])
    # the pipeline is imported only to build: serving a build that is up to date never loads it
    from hldgraph.dump import publish

    _say(f"building the graph from {settings.data_dir} …")
    started = time.monotonic()
    try:
        manifest = publish(settings)
    except HldgraphError as e:
        if not good:
            raise
        old = dist.read_manifest(good)
        made = dist.made(good)
        _say(f"build failed, serving the last good build, of {made:%Y-%m-%d %H:%M} UTC: "
             f"{e.message}")
        return good, Served(old["digest"], made, old["triples"], e.message,
                            dt.datetime.now(dt.UTC))
    _say(f"built {manifest['triples']} triples in {time.monotonic() - started:.1f} s -> {out}")
    return out, Served(manifest["digest"], dist.made(out), manifest["triples"])


#: What a command does with the releases, said once they are ready ({versions}, {base}): only
#: serve serves them.
RELEASES_GO = {
    "serve": "releases {versions} served under /release/",
    "push": "pushing releases {versions} with the build (their graphs under {base}release/)",
}


def _releases(settings: Settings, command: str) -> list[tuple[Release, Path]]:
    """Every release of the log, with its folder, made from the log where missing; what
    ``command`` (serve, push: :data:`RELEASES_GO`) does with them is said."""
    from hldgraph.release_folders import ensure_releases
    from hldgraph.releases import ReleaseLog

    log = ReleaseLog(settings)
    missing = [r.version for r in log.releases()
               if not (Path(settings.releases_dir) / r.version / dist.MANIFEST).exists()]
    if missing:
        _say(f"making the files of release {', '.join(missing)} from the release log …")
    releases = ensure_releases(settings, warn=lambda text: _say(f"warning: {text}"))
    if releases:
        _say(RELEASES_GO[command].format(versions=", ".join(r.version for r, _ in releases),
                                         base=settings.base_iri))
    return releases


def _front_end_releases(settings: Settings, store: Store) -> tuple[Settings, str | None]:
    """The settings a front end (``store=sparql``) serves with, and the SHA-256 of the release
    log's index that the store's record names now (None: none): where the store's build record
    names a release log, it is read from ``published_url`` into this front end's cache, each
    file checked (:meth:`hldgraph.web.fetch.Location.get`), and the releases' folders are made
    from it as beside data/ (:func:`_releases`); the settings returned read them there.
    Otherwise, or when the log cannot be read (said in one line), ``settings`` as they are:
    the current build only."""
    from hldgraph import published_log
    from hldgraph.dist import BuildRecord
    from hldgraph.web.fetch import Location, Mismatch, cache_folder

    text = store.build_record()
    try:
        record = BuildRecord.from_json(text) if text else None
    except ValueError:
        return settings, None  # the web layer says so on every route that needs the record
    if record is None or record.release_log is None:
        return settings, None
    if not settings.published_url:
        _say("warning: the build in the store has releases, but there is no published_url to "
             "read their log from: set published_url (HLDGRAPH_PUBLISHED_URL); serving the "
             "current build only")
        return settings, record.release_log
    location, sha = Location(settings.published_url), record.release_log
    here = cache_folder() / f"releases-{sha[:16]}"
    served = settings.with_(data_dir=here / "data", releases_dir=here / "releases")
    _say(f"reading the release log from {location.shown()} …")
    try:
        with published_log.locked(here):  # front ends sharing the cache take turns
            published_log.fetch(location.get, sha, served.data_dir)
            _releases(served, "serve")
    except (HldgraphError, OSError) as e:
        message = e.message if isinstance(e, HldgraphError) else str(e)
        if not isinstance(e, Mismatch):  # a file of another build says what to do itself
            message += ("; publish the release log with the build (hldgraph push "
                        f"--published-url writes {published_log.INDEX} and the files it lists "
                        "beside it; a URL must serve them too)")
        _say(f"warning: the releases are not served, only the current build: {message}")
        return settings, sha
    return served, sha


def _get(app: Flask, path: str, follow: bool) -> None:
    """One request in-process, shown as an HTTP client would; exits 0 for 2xx and 3xx."""
    response = app.test_client().get(path, follow_redirects=follow)
    for step in response.history:
        click.echo(f"{step.status}\nLocation: {step.location}", err=True)
    if 300 <= response.status_code < 400:
        click.echo(f"{response.status}\nLocation: {response.location}")
    else:
        click.echo(response.get_data(as_text=True))
    sys.exit(0 if response.status_code < 400 else 1)


@main.command()
@click.option("--host", help="Interface to listen on (default 127.0.0.1).")
@click.option("--port", type=int, help="Port to listen on (default 8080; HLDGRAPH_PORT).")
@click.option("--store", type=click.Choice(["oxigraph", "memory", "sparql"]), help="Backend.")
@click.option("--sparql-url", help="Query URL of a remote store (with --store sparql).")
@click.option("--published-url", help="With --store sparql: the folder or URL where the build's "
                                      "files are published (hldgraph push --published-url).")
@click.option("--workers", type=int, help="WSGI worker processes.")
@click.option("--get", "get_path", help="Make one request in-process and print it (a redirect: "
                                        "its status and Location); exit 0 unless 4xx or 5xx.")
@click.option("-L", "--follow", is_flag=True, help="With --get: follow redirects.")
@click.pass_context
@_friendly
def serve(ctx: click.Context, get_path: str | None, follow: bool, **options: Any) -> None:
    """Build (or reuse the last good build) and serve it: SPARQL endpoint, pages, dumps.

    With --store sparql nothing is built: the remote store holds the build (hldgraph push), and
    its files are read from published_url.
    """
    from hldgraph.release_folders import store_quads
    from hldgraph.store import open_store
    from hldgraph.web import create_app
    from hldgraph.web.server import check_port, run, url_to_open

    settings = _settings(ctx, **options)
    if not get_path:
        check_port(settings)  # before the build: a clash is reported at once
    if settings.store == "sparql":  # a front end: the store and published_url hold the build
        from hldgraph.store.credentials import safe_url

        _say(f"serving the build in the store at {safe_url(settings.sparql_url)}, files from "
             f"{safe_url(settings.published_url) or '(no published_url: no downloads)'}")
        from hldgraph.web.health import RELEASE_LOG

        store = open_store(settings)
        settings, release_log = _front_end_releases(settings, store)
        app = create_app(settings, store)
        app.extensions["hldgraph"][RELEASE_LOG] = release_log  # /-/health: pushed since?
    else:
        folder, served = ensure_build(settings)
        quads = store_quads(settings, folder, _releases(settings, "serve"))
        app = create_app(settings, open_store(settings, quads))
        app.extensions["hldgraph"]["served"] = served
    if get_path:
        _get(app, get_path, follow)
    _say(f"serving on {url_to_open(settings)} (open it in a browser; Ctrl-C stops the server)")
    run(app, settings)


@main.command()
@click.option("--graph-store-url", help="Graph Store Protocol URL, e.g. http://host:7878/store.")
@click.option("--update-url", "sparql_update_url",
              help="SPARQL Update URL, e.g. http://host:7878/update: graphs are replaced only "
                   "once all are uploaded (without it, each by one PUT).")
@click.option("--sparql-url", help="Query URL: the uploaded graph sizes are checked there.")
@click.option("--published-url", help="A folder to copy the build folder to (front ends read "
                                      "its files there), or a URL checked to serve it.")
@click.pass_context
@_friendly
def push(ctx: click.Context, **options: Any) -> None:
    """Load the last good build into a remote store, one named graph per part of the data, and
    every release's graphs under {base}release/{version}/graph/..."""
    from hldgraph.push import check
    from hldgraph.push import push as push_build
    from hldgraph.release_folders import store_quads
    from hldgraph.store.credentials import safe_url

    settings = _settings(ctx, **options)
    check(settings)  # before the build, which takes a while
    folder = ensure_build(settings)[0]
    quads = store_quads(settings, folder, _releases(settings, "push"))
    sizes = push_build(settings, folder, quads)
    click.echo(f"pushed {sum(sizes.values())} triples to {safe_url(settings.graph_store_url)}")
    for name, size in sorted(sizes.items()):
        click.echo(f"  {name:<50} {size:>9} triples")


@main.command()
@click.argument("query_arg", metavar="QUERY")
@click.option("--endpoint", help="SPARQL endpoint URL (default: the one `hldgraph serve` runs, "
                                 "http://HOST:PORT/sparql).")
@click.option("--format", "fmt", type=click.Choice(QUERY_FORMATS),
              help="table (SELECT, ASK; the default) or the answer as the endpoint writes it "
                   "(turtle is the default for CONSTRUCT and DESCRIBE).")
@click.option("--timeout", "query_time_limit_s", type=float,
              help="Seconds to wait (default: the query time limit, HLDGRAPH_QUERY_TIME_LIMIT_S).")
@click.pass_context
@_friendly
def query(ctx: click.Context, query_arg: str, endpoint: str | None, fmt: str | None,
          query_time_limit_s: float | None) -> None:
    """Run QUERY (text, @file, or - for standard input) against a SPARQL endpoint."""
    settings = _settings(ctx, query_time_limit_s=query_time_limit_s)
    # the advice names what the user set: the option, or the server's host and port
    hint = ("check --endpoint" if endpoint else
            "check that `hldgraph serve` runs there, or give --endpoint")
    named = ("--endpoint" if endpoint else
             "the endpoint of host and port (HLDGRAPH_HOST, HLDGRAPH_PORT; or give --endpoint)")
    endpoint = endpoint or f"http://{settings.host}:{settings.port}/sparql"
    text = client.read_query(query_arg)
    try:
        answer = client.run(text, endpoint, fmt, settings.query_time_limit_s, named)
    except HldgraphError as e:
        # the store's message advises the server's own setting, which this command never uses
        raise HldgraphError(e.message.replace("check sparql_url", hint)) from None
    click.echo(answer, nl=False)
