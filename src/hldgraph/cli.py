"""The `hldgraph` command: thin over load, build, validate, dump, the store and the web app."""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

import click

from hldgraph import client, dump
from hldgraph.client import FORMATS as QUERY_FORMATS
from hldgraph.errors import HldgraphError
from hldgraph.settings import Settings, load_settings


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
    return load_settings(**ctx.obj, **overrides)


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
    settings = _settings(ctx)
    manifest = dump.publish(settings)
    click.echo(f"built {manifest['triples']} triples, 0 violations -> {settings.dist_dir}")
    for name, info in sorted(manifest["files"].items()):
        click.echo(f"  {name:<18} {info['bytes']:>9} bytes  sha256 {info['sha256'][:16]}…")


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


def ensure_build(settings: Settings) -> Path:
    """The folder of an up-to-date build: rebuilt when data/, ontology/ or shapes/ changed.

    A failing rebuild falls back to the last good build, with a warning.
    """
    out = Path(settings.dist_dir)
    good = dump.last_good(out)
    if good and dump.read_manifest(good).get("inputs") == dump.inputs_digest(settings):
        return good
    try:
        dump.publish(settings)
    except HldgraphError as e:
        if not good:
            raise
        click.echo(f"hldgraph: build failed, serving the last good build: {e.message}", err=True)
        return good
    return out


@main.command()
@click.option("--host", help="Interface to listen on (default 127.0.0.1).")
@click.option("--port", type=int, help="Port to listen on (default 8080).")
@click.option("--store", type=click.Choice(["oxigraph", "memory", "sparql"]), help="Backend.")
@click.option("--sparql-url", help="Query URL of a remote store (with --store sparql).")
@click.option("--workers", type=int, help="WSGI worker processes.")
@click.option("--get", "get_path", help="Make one request in-process, print it, exit 0 if 200.")
@click.pass_context
@_friendly
def serve(ctx: click.Context, get_path: str | None, **options: Any) -> None:
    """Build (or reuse the last good build) and serve it: SPARQL endpoint, pages, dumps."""
    from hldgraph.store import open_store
    from hldgraph.web import create_app

    settings = _settings(ctx, **options)
    folder = ensure_build(settings)
    store = open_store(settings, folder / f"{dump.NAME}.nq")
    app = create_app(settings, store)
    if get_path:
        response = app.test_client().get(get_path)
        click.echo(response.get_data(as_text=True))
        sys.exit(0 if response.status_code == 200 else 1)
    from hldgraph.web.server import run

    run(app, settings)


@main.command()
@click.option("--graph-store-url", help="Graph Store Protocol URL, e.g. http://host:7878/store.")
@click.option("--update-url", "sparql_update_url",
              help="SPARQL Update URL, e.g. http://host:7878/update: graphs are replaced only "
                   "once all are uploaded (without it, each by one PUT).")
@click.option("--sparql-url", help="Query URL: the uploaded graph sizes are checked there.")
@click.pass_context
@_friendly
def push(ctx: click.Context, **options: Any) -> None:
    """Load the last good build into a remote store, one named graph per part of the data."""
    from hldgraph.push import push as push_build
    from hldgraph.store.remote import safe_url

    settings = _settings(ctx, **options)
    sizes = push_build(settings, ensure_build(settings))
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
@click.option("--timeout", type=float, help="Seconds to wait (default: the query time limit).")
@click.pass_context
@_friendly
def query(ctx: click.Context, query_arg: str, endpoint: str | None, fmt: str | None,
          timeout: float | None) -> None:
    """Run QUERY (text, @file, or - for standard input) against a SPARQL endpoint."""
    settings = _settings(ctx)
    endpoint = endpoint or f"http://{settings.host}:{settings.port}/sparql"
    text = client.read_query(query_arg)
    click.echo(client.run(text, endpoint, fmt, timeout or settings.query_time_limit_s), nl=False)
