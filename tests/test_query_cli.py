"""`hldgraph query`: a real command talking to a real endpoint on loopback."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
import requests
from click.testing import CliRunner
from rdflib import Graph
from rdflib.compare import isomorphic
from server import free_port

from hldgraph.cli import main

BY_BODY = (
    "PREFIX schema: <http://schema.org/>\n"
    "SELECT ?body (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a schema:Event ; schema:organizer ?body }"
    " GROUP BY ?body ORDER BY DESC(?n) ?body"
)
EVENT = "<https://w3id.org/hld2006/id/event/7>"


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str


def hldgraph(*args: str, stdin: str | None = None) -> Run:
    """The command, run in-process (click's runner) for speed."""
    rv = CliRunner().invoke(main, ["query", *args], input=stdin)
    return Run(rv.exit_code, rv.stdout, rv.stderr)


def hldgraph_process(*args: str, stdin: str | None = None, port: int | None = None) -> Run:
    """The command as a user runs it: a process of its own."""
    env = {**os.environ, "HLDGRAPH_PORT": str(port)} if port else os.environ
    rv = subprocess.run([sys.executable, "-m", "hldgraph", "query", *args], input=stdin,
                        capture_output=True, text=True, env=env, timeout=60)
    return Run(rv.returncode, rv.stdout, rv.stderr)


def server_json(live: str, text: str) -> dict:
    r = requests.post(live + "/sparql", data={"query": text},
                      headers={"Accept": "application/sparql-results+json"}, timeout=30)
    r.raise_for_status()
    return r.json()


def test_a_select_is_printed_as_a_table_from_the_default_endpoint(live):
    port = urlsplit(live).port
    rv = hldgraph_process(BY_BODY, port=port)
    assert rv.returncode == 0, rv.stderr
    lines = rv.stdout.splitlines()
    rows = server_json(live, BY_BODY)["results"]["bindings"]
    assert lines[0].split() == ["body", "n"] and set(lines[1]) <= {"-", " "}
    assert lines[-1] == f"({len(rows)} rows)"
    top = rows[0]["body"]["value"].rsplit("/", 1)[-1]
    assert top in lines[2] and lines[2].split()[-1] == rows[0]["n"]["value"]


@pytest.mark.parametrize("fmt", ["json", "csv", "tsv", "xml"])
def test_raw_formats_are_what_the_endpoint_wrote(live, fmt):
    rv = hldgraph(BY_BODY, "--endpoint", live + "/sparql", "--format", fmt)
    assert rv.returncode == 0, rv.stderr
    expected = server_json(live, BY_BODY)["results"]["bindings"]
    if fmt == "json":
        assert json.loads(rv.stdout)["results"]["bindings"] == expected
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(rv.stdout)))
        assert [r["n"] for r in rows] == [b["n"]["value"] for b in expected]
    elif fmt == "tsv":
        assert len(rv.stdout.splitlines()) == len(expected) + 1
    else:
        assert rv.stdout.count("<result>") == len(expected)


@pytest.mark.parametrize("fmt, parser", [(None, "turtle"), ("turtle", "turtle"),
                                         ("nt", "nt"), ("jsonld", "json-ld")])
def test_a_construct_prints_rdf(live, fmt, parser):
    text = f"CONSTRUCT {{ {EVENT} ?p ?o }} WHERE {{ {EVENT} ?p ?o }}"
    rv = hldgraph(text, "--endpoint", live + "/sparql", *(["--format", fmt] if fmt else []))
    assert rv.returncode == 0, rv.stderr
    r = requests.post(live + "/sparql", data={"query": text},
                      headers={"Accept": "application/n-triples"}, timeout=30)
    expected = Graph().parse(data=r.text, format="nt")
    assert len(expected) > 5
    assert isomorphic(Graph().parse(data=rv.stdout, format=parser), expected)


def test_the_query_comes_from_a_file_or_standard_input(live, tmp_path):
    path = tmp_path / "q.rq"
    path.write_text("ASK { ?s ?p ?o }", encoding="utf-8")
    from_file = hldgraph(f"@{path}", "--endpoint", live + "/sparql")
    from_stdin = hldgraph_process("-", "--endpoint", live + "/sparql",
                                  stdin="ASK { <urn:x> ?p ?o }")
    assert (from_file.returncode, from_file.stdout) == (0, "true\n")
    assert (from_stdin.returncode, from_stdin.stdout) == (0, "false\n")


@pytest.mark.parametrize("args, words", [
    (["SELECT * WHERE { ?s ?p }"], "syntax error at line 1, column 25"),
    (["INSERT DATA { <urn:a> <urn:b> <urn:c> }"], "not updates"),
    (["CONSTRUCT WHERE { ?s ?p ?o }", "--format", "table"], "use --format turtle"),
    (["ASK { ?s ?p ?o }", "--format", "csv"], "use json, xml"),
    (["@/no/such/file.rq"], "/no/such/file.rq"),
])
def test_bad_requests_exit_1_with_a_message(live, args, words):
    rv = hldgraph(*args, "--endpoint", live + "/sparql")
    assert rv.returncode == 1
    assert words in rv.stderr and "Traceback" not in rv.stderr


def test_a_query_refused_by_the_endpoint_shows_its_message(live):
    rv = hldgraph("SELECT * WHERE { SERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }",
                  "--endpoint", live + "/sparql")
    assert rv.returncode == 1 and "SERVICE is not allowed" in rv.stderr


def test_an_unreachable_endpoint_exits_1_naming_it():
    url = f"http://127.0.0.1:{free_port()}/sparql"
    rv = hldgraph_process("ASK {}", "--endpoint", url)
    assert rv.returncode == 1
    assert url in rv.stderr and "cannot be reached" in rv.stderr
    assert "Traceback" not in rv.stderr


@pytest.mark.parametrize("url", ["notaurl", "http://[::1", "localhost:18080/sparql",
                                 "ftp://127.0.0.1/sparql", "http:///sparql"])
def test_an_endpoint_that_is_no_url_is_one_line_saying_what_a_url_is(url):
    rv = hldgraph_process("ASK {}", "--endpoint", url)
    assert rv.returncode == 1 and "Traceback" not in rv.stderr
    assert rv.stderr.splitlines() == [
        f"hldgraph: --endpoint must be an http:// or https:// URL with a host "
        f"(http://HOST[:PORT]/PATH), not {url!r}"]


#: A query without its PREFIX, and one with a typo on its second line.
NO_PREFIX = "SELECT ?n WHERE { ?e schema:name ?n }"
TYPO = "SELECT ?s\nWHERE { ?s ?p ?o } LIMTI 3"


def test_a_missing_prefix_is_shown_with_a_caret_and_the_declaration_to_add(live):
    rv = hldgraph_process(NO_PREFIX, "--endpoint", live + "/sparql")
    assert rv.returncode == 1
    lines = rv.stderr.splitlines()
    at = next(i for i, line in enumerate(lines) if "line 1, column 22" in line)
    assert lines[at + 1].strip() == NO_PREFIX
    assert lines[at + 2].index("^") == lines[at + 1].index("schema:name")
    assert "unknown prefix 'schema:' — add PREFIX schema: <http://schema.org/>" in rv.stderr
    assert "\\u{" not in rv.stderr and len(rv.stderr) < 400, rv.stderr
    assert "Warning" not in rv.stderr and "Traceback" not in rv.stderr, rv.stderr


def test_a_typo_is_shown_at_its_line_without_library_warnings(live):
    rv = hldgraph_process(TYPO, "--endpoint", live + "/sparql")
    assert rv.returncode == 1
    assert rv.stderr.startswith("hldgraph: syntax error at line 2, column 20"), rv.stderr
    assert "unknown keyword 'LIMTI' — did you mean LIMIT?" in rv.stderr
    lines = rv.stderr.splitlines()
    at = next(i for i, line in enumerate(lines) if "line 2" in line)
    assert lines[at + 1].strip() == TYPO.splitlines()[1]
    assert lines[at + 2].index("^") == lines[at + 1].index("LIMTI")
    assert "Warning" not in rv.stderr and ".py" not in rv.stderr, rv.stderr
