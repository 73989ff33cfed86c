"""`hldgraph push`: the build lands in a real Oxigraph server, one named graph per part."""

from __future__ import annotations

import json

import pytest
import requests
from click.testing import CliRunner
from oxigraph_server import oxigraph_server, remote_settings

from hldgraph import push as push_module
from hldgraph.cli import main
from hldgraph.errors import HldgraphError
from hldgraph.push import graph_url, push, split_graphs

#: Fixtures oxigraph (a fresh server per module) and pushed (holding the build).
pytest_plugins = ["oxigraph_fixtures"]

STRAY = '<http://example.org/stray> <http://example.org/p> "left over" .'


def expected_sizes(dist) -> dict[str, int]:
    return json.loads((dist / "manifest.json").read_text())["graphs"]


def _push_cli(dist, server, *extra: str):
    return CliRunner().invoke(main, ["--dist", str(dist), "push", "--graph-store-url",
                                     server.store_url, *extra])


def test_push_command_writes_each_graph_of_the_build(oxigraph, dist):
    result = _push_cli(dist, oxigraph, "--update-url", oxigraph.update_url,
                       "--sparql-url", oxigraph.query_url)
    assert result.exit_code == 0, result.output
    sizes = expected_sizes(dist)
    assert set(sizes) == {f"https://w3id.org/hld2006/graph/{n}"
                          for n in ("source", "editorial", "ontology", "catalog")}
    assert oxigraph.graph_sizes() == sizes  # no staging graph is left behind
    assert f"pushed {sum(sizes.values())} triples" in result.output


def test_a_new_push_replaces_the_graphs(oxigraph, settings, dist):
    source = "https://w3id.org/hld2006/graph/source"
    r = requests.post(graph_url(oxigraph.store_url, source), data=STRAY.encode(),
                      headers={"Content-Type": "application/n-triples"}, timeout=10)
    assert r.status_code in {200, 201, 204}
    assert oxigraph.graph_sizes()[source] == expected_sizes(dist)[source] + 1
    push(remote_settings(settings, oxigraph, dist), dist)
    assert oxigraph.graph_sizes() == expected_sizes(dist)


def test_without_update_url_each_graph_is_replaced_by_one_put(oxigraph, settings, dist):
    with oxigraph_server() as fresh:
        push(remote_settings(settings, fresh, dist, sparql_update_url=""), dist)
        assert fresh.graph_sizes() == expected_sizes(dist)


def test_graphs_are_uploaded_in_chunks(oxigraph, settings, dist, monkeypatch, tmp_path):
    monkeypatch.setattr(push_module, "CHUNK_TRIPLES", 100)
    uploads = split_graphs(dist / "hld2006.nq", tmp_path)
    assert max(len(u.chunks) for u in uploads) > 2
    with oxigraph_server() as fresh:
        push(remote_settings(settings, fresh, dist), dist)
        assert fresh.graph_sizes() == expected_sizes(dist)


def test_a_failed_move_keeps_the_old_graphs(oxigraph, settings, dist):
    push(remote_settings(settings, oxigraph, dist), dist)
    source = "https://w3id.org/hld2006/graph/source"
    requests.post(graph_url(oxigraph.store_url, source), data=STRAY.encode(),
                  headers={"Content-Type": "application/n-triples"}, timeout=10)
    before = oxigraph.graph_sizes()
    broken = remote_settings(settings, oxigraph, dist,
                             sparql_update_url=oxigraph.base + "/no-such-update")
    with pytest.raises(HldgraphError) as e:
        push(broken, dist)
    assert oxigraph.base + "/no-such-update" in e.value.message and "404" in e.value.message
    assert oxigraph.graph_sizes() == before  # old graphs as they were, staging graphs dropped


def test_a_refused_upload_names_the_url_and_status(oxigraph, dist):
    bad = oxigraph.base + "/no-such-store"
    result = CliRunner().invoke(main, ["--dist", str(dist), "push", "--graph-store-url", bad])
    assert result.exit_code == 1
    assert "/no-such-store" in result.output and "404" in result.output
    assert "Traceback" not in result.output


def test_an_unreachable_store_is_a_clear_error(dist):
    from server import free_port

    url = f"http://127.0.0.1:{free_port()}/store"
    result = CliRunner().invoke(main, ["--dist", str(dist), "push", "--graph-store-url", url])
    assert result.exit_code == 1
    assert url in result.output and "cannot be reached" in result.output
    assert "Traceback" not in result.output


def test_push_without_a_graph_store_url_says_what_is_missing(dist, monkeypatch):
    monkeypatch.delenv("HLDGRAPH_GRAPH_STORE_URL", raising=False)
    result = CliRunner().invoke(main, ["--dist", str(dist), "push"])
    assert result.exit_code == 1 and "graph_store_url" in result.output
