"""``hldgraph query``: ask any SPARQL endpoint; print a table, or the answer as it was written."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from hldgraph.errors import HldgraphError, QueryError
from hldgraph.formats import BY_NAME, prefixes
from hldgraph.settings import url_problem
from hldgraph.store.guard import QUERY_FORMS, UPDATE_KEYWORDS, keywords, query_form
from hldgraph.store.protocol import RESULTS_JSON, RemoteError, SparqlClient
from hldgraph.store.syntax import diagnose

#: Values of --format: a table, or a media type's short name (formats.BY_NAME).
FORMATS = ("table", "json", "xml", "csv", "tsv", "turtle", "jsonld", "nt")
#: Widest column of a table; longer values are cut with an ellipsis.
MAX_WIDTH = 60


def read_query(arg: str) -> str:
    """QUERY as given: the text itself, ``@file`` or ``-`` (standard input)."""
    if arg == "-":
        return sys.stdin.read()
    if arg.startswith("@"):
        path = Path(arg[1:])
        try:
            return path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as e:
            raise HldgraphError(f"{path}: cannot read the query: {e}") from None
    return arg


def run(text: str, endpoint: str, fmt: str | None, timeout: float,
        named: str = "--endpoint") -> str:
    """The answer to ``text`` from ``endpoint``, as text to print; ``named``: what gave the
    endpoint, named when it is no URL."""
    problem = url_problem(endpoint, named)
    if problem:
        raise HldgraphError(problem)
    form = query_form(keywords(text))
    if form in UPDATE_KEYWORDS:
        raise HldgraphError(f"hldgraph query sends queries, not updates ({form})")
    kind = QUERY_FORMS.get(form or "", "select")
    fmt = fmt or ("turtle" if kind == "construct" else "table")
    if fmt == "table" and kind == "construct":
        raise HldgraphError("a table shows SELECT and ASK answers; for a "
                            f"{form} query use --format turtle, jsonld or nt")
    media = BY_NAME["json" if fmt == "table" else fmt]
    if not media.serves(kind):
        usable = ", ".join(f for f in FORMATS if f != "table" and BY_NAME[f].serves(kind))
        raise HldgraphError(f"--format {fmt} cannot carry the answer to {form}; use {usable}")
    try:
        accept = RESULTS_JSON if fmt == "table" else media.mime
        rv = SparqlClient(endpoint, timeout, "the endpoint").send(text, accept)
    except RemoteError as e:  # a syntax error is explained as hldgraph's endpoint does
        found = diagnose(text) if e.remote_status == 400 else None
        raise HldgraphError((found or e).message) from None
    except QueryError as e:
        raise HldgraphError(e.message) from None
    if fmt != "table":
        body = rv.content.decode("utf-8", "replace")
        return body if body.endswith("\n") else body + "\n"
    try:
        return table(json.loads(rv.content))
    except (ValueError, KeyError, TypeError):
        raise HldgraphError(f"{endpoint} did not answer with SPARQL JSON results "
                            f"(Content-Type {rv.content_type or 'none'})") from None


def table(data: dict[str, Any]) -> str:
    """SPARQL JSON results as a plain-text table (or ``true`` / ``false``)."""
    if "boolean" in data:
        return "true\n" if data["boolean"] else "false\n"
    names = list(data["head"]["vars"])
    rows = [[_cell(b.get(n)) for n in names] for b in data["results"]["bindings"]]
    widths = [max([len(n), *(len(r[i]) for r in rows)]) for i, n in enumerate(names)]
    lines = [_line(names, widths), _line(["-" * w for w in widths], widths)]
    lines += [_line(row, widths) for row in rows]
    lines.append(f"({len(rows)} row{'' if len(rows) == 1 else 's'})")
    return "\n".join(lines) + "\n"


def _line(cells: list[str], widths: list[int]) -> str:
    return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()


def _cell(term: dict[str, str] | None) -> str:
    if term is None:
        return ""
    value = term.get("value", "")
    if term.get("type") == "uri":
        value = _short(value)
    elif term.get("type") == "bnode":
        value = "_:" + value
    elif "xml:lang" in term:
        value = f"{value} @{term['xml:lang']}"
    value = " ".join(value.split())  # line breaks and tabs would break the table
    return value if len(value) <= MAX_WIDTH else value[:MAX_WIDTH - 1] + "…"


def _short(iri: str) -> str:
    """A prefixed name where a known prefix fits."""
    for prefix, ns in prefixes().items():
        local = iri[len(ns):]
        if iri.startswith(ns) and local and all(c.isalnum() or c in "_-." for c in local):
            return f"{prefix}:{local}"
    return iri
