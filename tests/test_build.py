"""build -> validate -> dump: deterministic, round-tripping, atomic, and clear about bad input."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pyld import jsonld
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from hldgraph.dist import PAGES, read_manifest
from hldgraph.dump import publish
from hldgraph.errors import DataError, ValidationFailed

ROOT = Path(__file__).resolve().parents[1]
DUMPS = ["hld2006.trig", "hld2006.nq", "hld2006.ttl", "hld2006.nt", "hld2006.jsonld",
         "context.jsonld"]


@pytest.fixture
def data_copy(tmp_path, settings):
    """A copy of data/ that a test may break, and settings that point at it."""
    folder = tmp_path / "data"
    shutil.copytree(settings.data_dir, folder)
    return folder, settings.with_(data_dir=folder, dist_dir=tmp_path / "dist")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_two_builds_are_byte_identical(dist, settings, tmp_path):
    again = tmp_path / "again"
    publish(settings, again)
    for name in [*DUMPS, "manifest.json", *PAGES]:
        assert (dist / name).read_bytes() == (again / name).read_bytes(), name


def test_every_dump_has_a_correct_checksum_and_gzip_twin(dist):
    import gzip

    for name in DUMPS:
        content = (dist / name).read_bytes()
        digest, listed = (dist / f"{name}.sha256").read_text().split()
        assert listed == name and digest == hashlib.sha256(content).hexdigest()
        assert gzip.decompress((dist / f"{name}.gz").read_bytes()) == content
        assert read_manifest(dist)["files"][name]["sha256"] == digest


def test_dumps_parse_and_agree(dist):
    trig = Dataset()
    trig.parse(dist / "hld2006.trig", format="trig")
    nq = Dataset()
    nq.parse(dist / "hld2006.nq", format="nquads")
    ttl = Graph().parse(dist / "hld2006.ttl", format="turtle")
    nt = Graph().parse(dist / "hld2006.nt", format="nt")
    assert len(ttl) == len(nt) == read_manifest(dist)["triples"] > 2000
    assert isomorphic(ttl, nt)
    for g in trig.graphs():
        if len(g):
            assert isomorphic(g, nq.graph(g.identifier)), g.identifier


def test_jsonld_expanded_by_pyld_is_isomorphic_to_the_trig_dump(dist):
    doc = json.loads((dist / "hld2006.jsonld").read_text(encoding="utf-8"))
    nquads = jsonld.to_rdf(jsonld.expand(doc), {"format": "application/n-quads"})
    from_jsonld = Dataset()
    from_jsonld.parse(data=nquads, format="nquads")
    trig = Dataset()
    trig.parse(dist / "hld2006.trig", format="trig")
    names = {g.identifier for g in trig.graphs() if len(g)}
    assert names == {g.identifier for g in from_jsonld.graphs() if len(g)}
    for name in names:
        assert isomorphic(trig.graph(name), from_jsonld.graph(name)), name


def test_jsonld_reads_with_short_keys(dist):
    doc = json.loads((dist / "hld2006.jsonld").read_text(encoding="utf-8"))
    published = json.loads((dist / "context.jsonld").read_text(encoding="utf-8"))
    assert doc["@context"] == published["@context"]
    nodes = [n for g in doc["graph"] for n in g.get("graph", [])]
    event = next(n for n in nodes if n.get("calendarRow") == 7)
    assert event["startDate"] == "2006-03-15" and event["name"]["en"]


#: Broken input -> its error: (file, text, replacement (appended if no text), error, message)
BAD_INPUT = {
    "malformed date": ("events.csv", "2006-03-15", "2006-03-32", DataError,
                       r"events\.csv, line \d+ \(id \d+\): column 'start'.*2006-03-32"),
    "unknown body": ("events.csv", "gov-benin;", "gov-atlantis;", DataError,
                     r"events\.csv, line 3 \(id 2\): .*unknown id 'gov-atlantis'"),
    "missing column": ("places.csv", "geonames", "geonameid", DataError,
                       r"places\.csv, line 1: missing column\(s\): geonames"),
    "invalid CSV": ("paragraphs.csv", "", '99,"unterminated,\n', DataError, r"paragraphs\.csv"),
    "event its own super-event": ("events.csv", "17a,17,17,", "17a,17,17a,", DataError,
                                  r"line 19 \(id 17a\): column 'parent': 17a -> 17a leads back"),
    "super-events in a cycle": ("events.csv", "17,17,,", "17,17,17b,", DataError,
                                r"\(id 17\): column 'parent': 17 -> 17b -> 17 leads back"),
    "event failing a shape": ("events.csv", "2006-03-15,2006-03-16", "2006-03-15,2006-12-16",
                              ValidationFailed, r"events\.csv, line \d+\).*endDate"),
}


@pytest.mark.parametrize("case", BAD_INPUT, ids=str)
def test_bad_input_names_file_and_row(data_copy, case):
    folder, settings = data_copy
    file, old, new, error, message = BAD_INPUT[case]
    if old:
        edit(folder / file, old, new)
    else:  # appended: a row that breaks the file's syntax
        with (folder / file).open("a", encoding="utf-8") as f:
            f.write(new)
    with pytest.raises(error, match=message):
        publish(settings)


def test_a_failed_build_keeps_the_last_good_dumps(data_copy):
    folder, settings = data_copy
    publish(settings)
    out = Path(settings.dist_dir)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    edit(folder / "events.csv", "2006-03-15", "not a date")
    with pytest.raises(DataError):
        publish(settings)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def run_cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "hldgraph", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=300)


def test_cli_build_and_bad_input(data_copy):
    folder, settings = data_copy
    ok = run_cli("--data", str(folder), "--dist", str(settings.dist_dir), "build")
    assert ok.returncode == 0, ok.stderr
    assert "0 violations" in ok.stdout and (Path(settings.dist_dir) / "hld2006.ttl").exists()
    edit(folder / "events.csv", "2006-03-15", "15/03/2006")
    bad = run_cli("--data", str(folder), "--dist", str(settings.dist_dir), "build")
    assert bad.returncode == 1
    assert "events.csv, line" in bad.stderr and "Traceback" not in bad.stderr


def test_cli_validate_reports_record_property_and_row(data_copy):
    folder, _ = data_copy
    good = run_cli("--data", str(folder), "validate")
    assert good.returncode == 0 and "0 violations" in good.stdout
    edit(folder / "events.csv", "2006-03-15,2006-03-16", "2006-03-15,2006-12-16")
    bad = run_cli("--data", str(folder), "validate")
    assert bad.returncode == 1
    assert "id/event/" in bad.stdout and "events.csv, line" in bad.stdout
    report = run_cli("--data", str(folder), "validate", "--format", "turtle")
    g = Graph().parse(data=report.stdout, format="turtle")
    sh = "http://www.w3.org/ns/shacl#"
    assert any(str(o) == sh + "ValidationReport" for o in g.objects())
    assert any(str(o) == sh + "Violation" for o in g.objects())


def test_cli_validate_a_file(dist, tmp_path):
    ok = run_cli("validate", str(dist / "hld2006.trig"))
    assert ok.returncode == 0, ok.stdout + ok.stderr
    broken = tmp_path / "broken.ttl"
    broken.write_text("<https://w3id.org/hld2006/id/event/1> a <http://schema.org/Event> .\n")
    bad = run_cli("validate", str(broken))
    assert bad.returncode == 1 and "id/event/1" in bad.stdout
    garbage = tmp_path / "garbage.ttl"
    garbage.write_text("this is not turtle")
    worse = run_cli("validate", str(garbage))
    assert worse.returncode == 1 and "garbage.ttl" in worse.stderr
    assert "Traceback" not in worse.stderr
