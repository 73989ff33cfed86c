"""Releases: 1.1 and 1.2 made from modified copies of data/ on top of the committed 1.0.

1.1 moves event 12 to other dates, adds event 51 and corrects the venue of event 15; 1.2 removes
event 20 and renames a body (SAMP). Every release is then served over HTTP by the app that
`hldgraph serve` makes, and checked: its files byte for byte, its change set, SPARQL across
releases, the catalogue against the official DCAT-AP 3 shapes; and a release that exists or
fails is refused without a trace.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, OWL, XSD
from server import serve
from test_catalog import _results, dcat_shapes

from hldgraph.cli import _releases, ensure_build, main
from hldgraph.distributions import DCAT3
from hldgraph.errors import DataError
from hldgraph.release import make_release
from hldgraph.release_folders import store_quads
from hldgraph.releases import ReleaseError, ReleaseLog
from hldgraph.settings import load_settings
from hldgraph.store import open_store
from hldgraph.urls import SPDX, Iris
from hldgraph.web import create_app
from hldgraph.web.sparql import QUERIES_DIR

ROOT = Path(__file__).resolve().parents[1]
BASE = "https://w3id.org/hld2006/"
IRIS = Iris(BASE)
SCHEMA = "http://schema.org/"
CATALOG_GRAPH = IRIS.graph("catalog")
DATASET = URIRef(BASE + "id/dataset/hld2006")


def _edit(path: Path, start: str, old: str | None, new: str | None) -> None:
    """Changes (old -> new) or, with new None, removes the line of ``path`` starting with
    ``start``."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    hits = [i for i, line in enumerate(lines) if line.startswith(start)]
    assert len(hits) == 1, (path, start)
    if new is None:
        del lines[hits[0]]
    else:
        assert old and old in lines[hits[0]]
        lines[hits[0]] = lines[hits[0]].replace(old, new)
    path.write_text("".join(lines), encoding="utf-8")


def _append(path: Path, line: str) -> None:
    with path.open("a", encoding="utf-8") as f:
        f.write(line + "\n")


def _release_1_1(data: Path) -> None:
    _edit(data / "events.csv", "12,", "2006-04-03,2006-04-05", "2006-04-10,2006-04-12")
    _edit(data / "events.csv", "15,", ",geneva,", ",lisbon,")
    _append(data / "events.csv", "51,50,,2006-09-12,2006-09-13,geneva,Follow-up Meeting on "
                                 "Migration and Development,iom,,IOM,Sept. 12-13")
    _append(data / "event_editorial.csv", "51,migration-and-development,iom,,Réunion de suivi "
                                          "sur les migrations et le développement,")


def _release_1_2(data: Path) -> None:
    _edit(data / "events.csv", "20,", None, None)
    _edit(data / "event_editorial.csv", "20,", None, None)
    _edit(data / "bodies.csv", "samp,", "Southern African Migration Project",
          "Southern African Migration Programme")


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """Settings of a copy of data/ (with the committed release 1.0) released as 1.1 and 1.2."""
    tmp = tmp_path_factory.mktemp("releases")
    shutil.copytree(ROOT / "data", tmp / "data")
    settings = load_settings(data_dir=tmp / "data", releases_dir=tmp / "releases",
                             dist_dir=tmp / "dist", store="oxigraph")
    _release_1_1(tmp / "data")
    make_release(settings, "1.1", "Event 12 moved; event 51 added; venue of event 15 corrected.",
                 dt.datetime(2026, 11, 30, 18, tzinfo=dt.UTC))
    _release_1_2(tmp / "data")
    make_release(settings, "1.2", "Event 20 removed; SAMP renamed.",
                 dt.datetime(2026, 11, 30, 20, tzinfo=dt.UTC))
    return settings


@pytest.fixture(scope="module")
def site(made):
    """The application `hldgraph serve` makes of ``made``, on loopback."""
    folder, _ = ensure_build(made)
    with open_store(made, store_quads(made, folder, _releases(made, "serve"))) as store, \
            serve(create_app(made, store)) as url:
        yield url


def _sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def test_the_committed_release_1_0_is_made_again_byte_for_byte(made):
    committed = ReleaseLog(load_settings()).get("1.0")
    log = ReleaseLog(made)
    log.verify("1.0")
    assert log.get("1.0") == committed
    assert committed.source.as_of == dt.date(2006, 8, 8)
    assert [r.version for r in log.releases()] == ["1.0", "1.1", "1.2"]
    # the log holds 1.0's data and then changes only
    whole = (made.data_dir / "release-log/1.0/data.nq").stat().st_size
    patch = (made.data_dir / "release-log/1.1/changes.rdfp").read_text(encoding="utf-8")
    assert len(patch) < whole / 5  # most of it: the catalogue's record of the new version
    content = [row for row in patch.splitlines()
               if row[:2] in {"A ", "D "} and not row.endswith(f"<{CATALOG_GRAPH}> .")]
    assert 10 < len(content) < 60, content
    assert not (made.data_dir / "release-log/1.1/data.nq").exists()


def test_every_release_is_served_byte_for_byte(made, site):
    log = ReleaseLog(made)
    for release in log.releases():
        assert release.files, release.version
        for name, info in release.files.items():
            r = requests.get(f"{site}/release/{release.version}/download/{name}", timeout=30)
            assert r.status_code == 200, (release.version, name)
            assert _sha256(r.content) == info["sha256"], (release.version, name)
            assert r.headers["Content-Type"].split(";")[0] == info["media_type"]
    # a fresh clone's releases folder, made from the log alone, holds the same bytes
    shutil.rmtree(made.releases_dir)
    _releases(made, "serve")
    for release in log.releases():
        for name, info in release.files.items():
            content = (Path(made.releases_dir) / release.version / name).read_bytes()
            assert _sha256(content) == info["sha256"], (release.version, name)


def test_a_release_serves_its_ontology_page_in_each_language(made, site):
    """A release's folder holds the ontology's page in each language (release._write_folder),
    and its /doc/def.html chooses one as every page does; a bad ?lang= is a 400 there too."""
    folder = Path(made.releases_dir) / "1.1"
    for query, name, lang in (("", "def.html", "en"), ("?lang=fr", "def.fr.html", "fr")):
        r = requests.get(f"{site}/release/1.1/doc/def.html{query}", timeout=30)
        assert r.status_code == 200 and r.content == (folder / name).read_bytes(), name
        assert r.headers["Content-Language"] == lang and 'href="../?lang=' in r.text
    r = requests.get(f"{site}/release/1.1/doc/def.html?lang=xx", timeout=30)
    assert r.status_code == 400


def test_the_latest_release_is_the_build_served_at_the_usual_urls(made, site):
    latest = ReleaseLog(made).latest()
    r = requests.get(f"{site}/download/hld2006.nq", timeout=30)
    assert _sha256(r.content) == latest.digest


def test_each_release_has_its_own_pages_and_documents(site):
    def start(path: str) -> set[str]:
        r = requests.get(site + path, timeout=30)
        assert r.status_code == 200, path
        g = Graph().parse(data=r.text, format="turtle")
        return {str(o) for o in g.objects(IRIS.event("12"), URIRef(SCHEMA + "startDate"))}

    assert start("/release/1.0/doc/event/12.ttl") == {"2006-04-03"}
    assert start("/release/1.1/doc/event/12.ttl") == {"2006-04-10"}
    assert start("/doc/event/12.ttl") == {"2006-04-10"}
    assert requests.get(f"{site}/release/1.1/doc/event/20.ttl", timeout=30).status_code == 200
    assert requests.get(f"{site}/release/1.0/doc/event/51.ttl", timeout=30).status_code == 404
    page = requests.get(f"{site}/release/1.1/", headers={"Accept": "text/html"}, timeout=30)
    assert page.status_code == 200
    assert 'href="/release/1.1/calendar' in page.text and 'href="/calendar' not in page.text
    assert requests.get(f"{site}/release/9.9/", timeout=30).status_code == 404


def test_change_sets_list_exactly_what_changed(made, site):
    log = ReleaseLog(made)
    first = log.changes("1.0", "1.1").without_graphs(CATALOG_GRAPH)
    assert set(first.added) == {IRIS.event("51")}
    assert set(first.changed) == {IRIS.event("12"), IRIS.event("15")}
    assert first.removed == []
    dates = {p.predicate.rsplit("/", 1)[-1]: (p.old, p.new)
             for p in first.resource(IRIS.event("12")).properties}
    assert dates == {
        "startDate": ((Literal("2006-04-03", datatype=XSD.date),),
                      (Literal("2006-04-10", datatype=XSD.date),)),
        "endDate": ((Literal("2006-04-05", datatype=XSD.date),),
                    (Literal("2006-04-12", datatype=XSD.date),))}
    second = log.changes("1.1", "1.2").without_graphs(CATALOG_GRAPH)
    assert set(second.removed) == {IRIS.event("20")}
    assert set(second.changed) == {IRIS.org("samp")}
    assert second.added == []
    # the served change set is the RDF Patch of the log
    r = requests.get(f"{site}/release/1.2/download/changes.rdfp", timeout=30)
    assert r.headers["Content-Type"].startswith("text/rdf-patch")
    assert r.text == log.patch("1.1", "1.2")
    rows = r.text.splitlines()
    assert rows[:3] == [f"H id <{IRIS.release('1.2')}> .",
                        f"H prev <{IRIS.release('1.1')}> .", "TX ."]
    assert rows[-1] == "TC ."
    assert all(row[:2] in {"A ", "D "} for row in rows[3:-1])
    history = log.history(str(IRIS.event("20")))
    assert history.changes == (("1.0", "added"), ("1.2", "removed"))
    assert history.last == "1.1"
    assert log.history(str(IRIS.event("12"))).changed_in == ("1.0", "1.1")


def test_one_query_compares_releases(site):
    text = (QUERIES_DIR / "09-dates-changed-between-releases.rq").read_text(encoding="utf-8")
    r = requests.post(f"{site}/sparql", data={"query": text},
                      headers={"Accept": "application/sparql-results+json"}, timeout=30)
    assert r.status_code == 200, r.text
    rows = [{k: v["value"] for k, v in b.items()} for b in r.json()["results"]["bindings"]]
    assert rows == [{"event": str(IRIS.event("12")), "start_before": "2006-04-03",
                     "end_before": "2006-04-05", "start_after": "2006-04-10",
                     "end_after": "2006-04-12"}]
    # the default graph is the latest build alone: no event counted twice
    count = f"SELECT (COUNT(?e) AS ?n) WHERE {{ <{IRIS.event('12')}> <{SCHEMA}startDate> ?e }}"
    r = requests.post(f"{site}/sparql", data={"query": count},
                      headers={"Accept": "application/sparql-results+json"}, timeout=30)
    assert r.json()["results"]["bindings"][0]["n"]["value"] == "1"


def test_the_catalogue_states_every_version_and_validates(made, site):
    r = requests.get(f"{site}/catalog", headers={"Accept": "text/turtle"}, timeout=30)
    record = Graph().parse(data=r.text, format="turtle")
    for files in [("shapes.ttl", "range.ttl"), ("dcat-ap-SHACL.ttl",),
                  ("shapes_recommended.ttl",)]:
        conforms, text, n = _results(record, dcat_shapes(*files))
        assert (conforms, n) == (True, 0), text
    versions = {str(record.value(v, DCAT3.version)): v for v in record.objects(DATASET,
                                                                               DCAT3.hasVersion)}
    assert set(versions) == {"1.0", "1.1", "1.2"}
    assert record.value(DATASET, DCAT3.hasCurrentVersion) == versions["1.2"]
    assert record.value(versions["1.2"], DCAT3.previousVersion) == versions["1.1"]
    assert record.value(versions["1.0"], DCAT3.previousVersion) is None
    log = ReleaseLog(made)
    for version, node in versions.items():
        nq = URIRef(f"{node}/distribution/hld2006-nq")
        assert nq in set(record.objects(node, DCAT.distribution))
        checksum = record.value(record.value(nq, SPDX.checksum), SPDX.checksumValue)
        assert str(checksum) == log.get(version).files["hld2006.nq"]["sha256"]
    onto = Graph().parse(data=requests.get(f"{site}/doc/def.ttl", timeout=30).text)
    assert onto.value(URIRef(BASE + "def/"), OWL.versionIRI) == IRIS.release("1.0", "def")


def test_a_release_issued_before_the_last_is_refused_without_a_trace(made):
    # 'release 1.3 --issued 2001-01-01' was published: the TimeGate, which picks the last
    # release issued before Accept-Datetime, then answered with 1.2 for any date after 2001
    log_dir = made.data_dir / "release-log"
    before = sorted(p.name for p in log_dir.iterdir())
    for issued in (dt.datetime(2001, 1, 1, tzinfo=dt.UTC), ReleaseLog(made).get("1.2").issued):
        with pytest.raises(ReleaseError, match=r"^--issued .*: not after release 1\.2, "
                                               r"issued 2026-11-30T20:00:00Z"):
            make_release(made, "1.3", "Issued too early.", issued)
    result = CliRunner().invoke(main, ["--data", str(made.data_dir), "--dist",
                                       str(made.dist_dir), "release", "1.3", "--notes", "x",
                                       "--issued", "2001-01-01"],
                                 env={"HLDGRAPH_RELEASES_DIR": str(made.releases_dir)})
    assert result.exit_code == 1 and "not after release 1.2" in result.output
    assert sorted(p.name for p in log_dir.iterdir()) == before
    assert "1.3" not in ReleaseLog(made).versions()


def test_a_release_issued_in_the_future_is_refused_without_a_trace(made, site):
    # 'release 1.3 --issued 2099-01-01' was published: a TimeGate asked for any date after
    # today then gave 1.2's successor, a memento of a release that was not yet issued
    log_dir = made.data_dir / "release-log"
    before = sorted(p.name for p in log_dir.iterdir())
    later = dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)
    with pytest.raises(ReleaseError, match=r"^--issued .*: later than now"):
        make_release(made, "1.3", "Issued too late.", later)
    result = CliRunner().invoke(main, ["--data", str(made.data_dir), "--dist",
                                       str(made.dist_dir), "release", "1.3", "--notes", "x",
                                       "--issued", "2099-01-01"],
                                 env={"HLDGRAPH_RELEASES_DIR": str(made.releases_dir)})
    assert result.exit_code == 1, result.output
    assert "--issued 2099-01-01T00:00:00Z: later than now" in result.output
    assert "Traceback" not in result.output
    assert sorted(p.name for p in log_dir.iterdir()) == before
    assert "1.3" not in ReleaseLog(made).versions()
    r = requests.get(f"{site}/release/1.2/download/hld2006.nq", timeout=30)
    assert _sha256(r.content) == ReleaseLog(made).get("1.2").digest


def test_an_existing_version_and_a_failing_release_are_refused_without_a_trace(made, site):
    def state() -> list[tuple[str, int]]:
        return sorted((str(p), p.stat().st_size) for folder in
                      (made.data_dir / "release-log", Path(made.releases_dir))
                      for p in folder.rglob("*") if p.name != "store.nq")

    before = state()
    with pytest.raises(ReleaseError, match="exists"):
        make_release(made, "1.1", "again")
    with pytest.raises(ReleaseError, match="does not come after"):
        make_release(made, "1.1.5", "between")
    # 1.2.0 is 1.2 (a missing PATCH is 0): it was published beside 1.2, a second release of
    # the same version under another URL
    for same, existing in (("1.2.0", "1.2"), ("1.1.0", "1.1")):
        with pytest.raises(ReleaseError, match=f"release {existing} exists"):
            make_release(made, same, "the same version")
    result = CliRunner().invoke(main, ["--data", str(made.data_dir), "release", "1.x",
                                       "--notes", "x"])
    assert result.exit_code == 1 and "MAJOR.MINOR" in result.output
    events = made.data_dir / "events.csv"
    _edit(events, "13,", "2006-04-03,2006-04-07", "2006-04-09,2006-04-07")
    with pytest.raises(DataError, match=r"events\.csv"):
        make_release(made, "1.3", "broken", dt.datetime(2026, 11, 30, 22, tzinfo=dt.UTC))
    assert state() == before
    assert "1.3" not in ReleaseLog(made).versions()
    r = requests.get(f"{site}/release/1.2/download/hld2006.nq", timeout=30)
    assert _sha256(r.content) == ReleaseLog(made).get("1.2").digest


def test_a_change_set_read_by_a_person_is_of_the_things_only(made):
    """The command line's summary and the "What changed" page count the same things: the
    catalogue's record, which every release changes, is not one of them."""
    log = ReleaseLog(made)
    whole = log.changes("1.0", "1.1")
    things = whole.of_things(log.iris)
    assert any("/id/dataset/" in str(r.iri) or "/id/catalog" in str(r.iri)
               for r in whole.resources)  # the record did change
    assert [str(i).rsplit("id/", 1)[1] for i in things.added] == ["event/51"]
    assert {str(i).rsplit("id/", 1)[1] for i in things.changed} >= {"event/12", "event/15"}
    assert all("/id/dataset/" not in str(r.iri) and "/id/catalog" not in str(r.iri)
               for r in things.resources)
