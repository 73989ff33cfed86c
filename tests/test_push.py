"""`hldgraph push`: the build lands in a real store, one named graph per part.

Every test that needs a store runs on each: an Oxigraph server and a Virtuoso server.
"""

from __future__ import annotations

import json

import pytest
import requests
from click.testing import CliRunner
from oxigraph_server import remote_settings

from hldgraph import push as push_module
from hldgraph.cli import main
from hldgraph.errors import HldgraphError
from hldgraph.push import graph_url, push, split_graphs
from hldgraph.releases import ReleaseLog
from hldgraph.settings import load_settings

#: Fixtures remote_server (each kind of server, fresh per module), pushed (holding the build).
pytest_plugins = ["remote_fixtures"]

STRAY = '<http://example.org/stray> <http://example.org/p> "left over" .'
SOURCE = "https://w3id.org/hld2006/graph/source"


BUILD = "https://w3id.org/hld2006/graph/build"


def expected_sizes(dist) -> dict[str, int]:
    """The build's graphs, and the graph where push records the build (one triple)."""
    return {**json.loads((dist / "manifest.json").read_text())["graphs"], BUILD: 1}


def _add_stray(server) -> None:
    """One triple more in the source graph, which the next push must remove."""
    r = requests.post(graph_url(server.store_url, SOURCE), data=STRAY.encode(),
                      headers={"Content-Type": "application/n-triples"}, timeout=10)
    assert r.status_code in {200, 201, 204}, r.text


def _push_cli(dist, server, *extra: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(main, ["--dist", str(dist), "push", "--graph-store-url",
                                     server.store_url, *extra], env=env)


def test_push_command_writes_each_graph_of_the_build_and_of_each_release(
        remote_server, dist, tmp_path):
    result = _push_cli(dist, remote_server, "--update-url", remote_server.update_url,
                       "--sparql-url", remote_server.query_url,
                       env={"HLDGRAPH_RELEASES_DIR": str(tmp_path)})
    assert result.exit_code == 0, result.output
    sizes = expected_sizes(dist)
    assert set(sizes) == {f"https://w3id.org/hld2006/graph/{n}"
                          for n in ("source", "editorial", "ontology", "catalog", "build")}
    releases = {f"https://w3id.org/hld2006/release/{r.version}/graph/{name}": n
                for r in ReleaseLog(load_settings()).releases() for name, n in r.graphs.items()}
    assert len(releases) >= 4  # release 1.0's graphs at least
    # no staging graph is left behind
    assert remote_server.graph_sizes() == {**sizes, **releases}
    pushed = sum(sizes.values()) - 1 + sum(releases.values())  # graph/build is not counted
    assert f"pushed {pushed} triples" in result.output
    # push serves nothing: it says where the releases go, not that they are served
    versions = ", ".join(r.version for r in ReleaseLog(load_settings()).releases())
    assert (f"hldgraph: pushing releases {versions} with the build (their graphs under "
            "https://w3id.org/hld2006/release/)") in result.stderr.splitlines()
    assert "served" not in result.output
    for graph in releases:  # the next tests push the build alone
        requests.delete(graph_url(remote_server.store_url, graph), timeout=10)


def test_a_new_push_replaces_the_graphs(remote_server, settings, dist):
    _add_stray(remote_server)
    assert remote_server.graph_sizes()[SOURCE] == expected_sizes(dist)[SOURCE] + 1
    push(remote_settings(settings, remote_server, dist), dist)
    assert remote_server.graph_sizes() == expected_sizes(dist)


def test_without_update_url_each_graph_is_replaced_by_one_put(remote_server, settings, dist):
    _add_stray(remote_server)
    push(remote_settings(settings, remote_server, dist, sparql_update_url=""), dist)
    assert remote_server.graph_sizes() == expected_sizes(dist)


def test_graphs_are_uploaded_in_chunks(remote_server, settings, dist, monkeypatch, tmp_path):
    monkeypatch.setattr(push_module, "CHUNK_TRIPLES", 100)
    uploads = split_graphs(dist / "hld2006.nq", tmp_path)
    assert max(len(u.chunks) for u in uploads) > 2
    _add_stray(remote_server)  # gone once the graph is replaced by all its chunks
    push(remote_settings(settings, remote_server, dist), dist)
    assert remote_server.graph_sizes() == expected_sizes(dist)


def test_a_failed_move_keeps_the_old_graphs(remote_server, settings, dist):
    push(remote_settings(settings, remote_server, dist), dist)
    _add_stray(remote_server)
    before = remote_server.graph_sizes()
    broken = remote_settings(settings, remote_server, dist,
                             sparql_update_url=remote_server.base + "/no-such-update")
    with pytest.raises(HldgraphError) as e:
        push(broken, dist)
    assert remote_server.base + "/no-such-update" in e.value.message and "404" in e.value.message
    assert remote_server.graph_sizes() == before  # old graphs as they were, staging graphs dropped


def test_a_refused_upload_names_the_url_and_status(remote_server, dist):
    bad = remote_server.base + "/no-such-store"
    result = CliRunner().invoke(main, ["--dist", str(dist), "push", "--graph-store-url", bad])
    assert result.exit_code == 1
    # the status the store gives (Oxigraph 404, Virtuoso 501 for a PUT to an unknown path)
    status = requests.put(bad, data=STRAY.encode(), timeout=10).status_code
    assert status >= 400
    assert "/no-such-store" in result.output and f"answered {status}" in result.output
    assert "Traceback" not in result.output


def test_a_store_that_refuses_writes_is_named_with_its_reason(virtuoso, dist):
    # Virtuoso's anonymous SPARQL user may not write unless granted SPARQL_UPDATE
    virtuoso.sql('REVOKE SPARQL_UPDATE FROM "SPARQL";')
    try:
        result = _push_cli(dist, virtuoso, "--update-url", virtuoso.update_url)
    finally:
        virtuoso.sql('GRANT SPARQL_UPDATE TO "SPARQL";')
    assert result.exit_code == 1
    assert virtuoso.store_url in result.output and "403" in result.output
    assert "Permission denied" in result.output  # the store's own reason, from its error page
    assert "Traceback" not in result.output


def test_an_unreachable_store_is_a_clear_error(dist):
    from server import free_port

    url = f"http://127.0.0.1:{free_port()}/store"
    result = CliRunner().invoke(main, ["--dist", str(dist), "push", "--graph-store-url", url])
    assert result.exit_code == 1
    assert url in result.output and "cannot be reached" in result.output
    assert "Traceback" not in result.output


def test_push_without_a_graph_store_url_says_what_is_missing(dist, monkeypatch, tmp_path):
    """Before anything is built: pointed at an empty --dist (a build to make), it says so at
    once and leaves the folder as it was."""
    monkeypatch.delenv("HLDGRAPH_GRAPH_STORE_URL", raising=False)
    result = CliRunner().invoke(main, ["--dist", str(dist), "push"])
    assert result.exit_code == 1 and "--graph-store-url" in result.output
    empty = tmp_path / "empty"
    result = CliRunner().invoke(main, ["--dist", str(empty), "push"])
    assert result.exit_code == 1 and "--graph-store-url" in result.output
    assert "building" not in result.output and not empty.exists()
