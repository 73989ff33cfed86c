"""The real `hldgraph` command on bad input: one clear message per problem, never a traceback."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def hldgraph(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "hldgraph", *args], capture_output=True,
                          text=True, timeout=180, env={**os.environ, **(env or {})})


def broken_data(tmp_path: Path, edit: dict[int, tuple[str, str]]) -> Path:
    """A copy of data/ whose events.csv has ``edit``: line number -> (old, new) on that line."""
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    events = data / "events.csv"
    lines = events.read_text(encoding="utf-8").splitlines(keepends=True)
    for number, (old, new) in edit.items():
        assert old in lines[number - 1]
        lines[number - 1] = lines[number - 1].replace(old, new, 1)
    events.write_text("".join(lines), encoding="utf-8")
    return data


def test_every_error_of_the_tables_in_one_run(tmp_path):
    data = broken_data(tmp_path, {3: ("2006-02-09", "2006-02-31"),
                                  4: ("gov-", "gov-atlantis-"),
                                  6: (",", ",\"")})
    rv = hldgraph("--data", str(data), "--dist", str(tmp_path / "dist"), "build")
    assert rv.returncode == 1 and "Traceback" not in rv.stderr
    lines = rv.stderr.splitlines()
    assert lines[0] == "hldgraph: 2 problem(s) in the data tables:"
    # the open quote swallows the rest of the table: its line, and the date error before it
    assert lines[1] == ("events.csv, line 3 (id 2): column 'start': '2006-02-31' is not a date "
                        "(YYYY-MM-DD)")
    assert lines[2].startswith("events.csv, line 6: invalid CSV")
    assert "quote" in lines[2]


def test_errors_name_file_line_id_and_column(tmp_path):
    data = broken_data(tmp_path, {3: ("2006-02-09", "2006-02-31"), 4: ("gov-", "gov-atlantis-")})
    rv = hldgraph("--data", str(data), "--dist", str(tmp_path / "dist"), "build")
    assert rv.returncode == 1
    assert rv.stderr.splitlines()[1:] == [
        "events.csv, line 3 (id 2): column 'start': '2006-02-31' is not a date (YYYY-MM-DD)",
        "events.csv, line 4 (id 3): column 'organizers': unknown id "
        "'gov-atlantis-el-salvador' (not in bodies.csv)",
    ]


def test_a_mistyped_date_is_not_also_before_its_start(tmp_path):
    data = broken_data(tmp_path, {2: ("2006-02-17", "2006-02-1x")})
    rv = hldgraph("--data", str(data), "--dist", str(tmp_path / "dist"), "build")
    assert rv.returncode == 1
    assert rv.stderr.strip().splitlines() == [
        "hldgraph: events.csv, line 2 (id 1): column 'end': '2006-02-1x' is not a date "
        "(YYYY-MM-DD)"]


def test_a_wrong_endpoint_is_blamed_on_the_option():
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class NoSparql(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.send_error(404)

        do_GET = do_POST

        def log_message(self, *args: object) -> None:
            pass

    with ThreadingHTTPServer(("127.0.0.1", 0), NoSparql) as other:
        threading.Thread(target=other.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{other.server_address[1]}/nothing"
        rv = hldgraph("query", "--endpoint", url, "ASK {}")
        other.shutdown()
    assert rv.returncode == 1
    assert "check --endpoint" in rv.stderr and "sparql_url" not in rv.stderr


def test_a_dist_folder_of_other_files_is_not_replaced(tmp_path):
    # a build replaces its folder whole: pointed at a folder of one's own, it deleted it
    mine = tmp_path / "thesis"
    mine.mkdir()
    (mine / "chapter1.txt").write_text("years of work", encoding="utf-8")
    a_file = tmp_path / "notes.txt"
    a_file.write_text("notes", encoding="utf-8")
    for dist in (mine, a_file):
        rv = hldgraph("--dist", str(dist), "build")
        assert rv.returncode == 1 and "Traceback" not in rv.stderr, rv.stderr
        assert rv.stderr.startswith(f"hldgraph: {dist}: not a build folder"), rv.stderr
        assert len(rv.stderr.strip().splitlines()) == 1
    assert (mine / "chapter1.txt").read_text(encoding="utf-8") == "years of work"
    assert sorted(p.name for p in mine.iterdir()) == ["chapter1.txt"]
    assert a_file.read_text(encoding="utf-8") == "notes"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt", "thesis"]


def test_the_folders_beside_a_dist_are_replaced_only_if_they_are_a_builds(tmp_path):
    from hldgraph.dump import PARTIAL

    # a build writes {dist}.new and moves the build it replaces to {dist}.old: it deleted
    # whatever folders of those names it found, a reader's own files included
    dist = tmp_path / "site"
    for sibling in ("site.new", "site.old"):
        mine = tmp_path / sibling
        mine.mkdir()
        (mine / "chapter1.txt").write_text("years of work", encoding="utf-8")
        rv = hldgraph("--dist", str(dist), "build")
        assert rv.returncode == 1 and "Traceback" not in rv.stderr, rv.stderr
        assert rv.stderr.startswith(f"hldgraph: {mine}: not a folder of hldgraph's"), rv.stderr
        assert len(rv.stderr.strip().splitlines()) == 1
        assert sorted(p.name for p in mine.iterdir()) == ["chapter1.txt"]
        assert not dist.exists()
        shutil.rmtree(mine)
    # what an interrupted build left there is its own: cleared, and the build goes on
    assert hldgraph("--dist", str(dist), "build").returncode == 0
    left = tmp_path / "site.new"
    shutil.copytree(dist, left)
    (left / "manifest.json").unlink()  # cut short before its manifest, but marked as ours
    (left / PARTIAL).touch()
    shutil.copytree(dist, tmp_path / "site.old")
    rv = hldgraph("--dist", str(dist), "build")
    assert rv.returncode == 0, rv.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
    assert not (dist / PARTIAL).exists()


def test_a_dist_that_cannot_be_written_is_one_line(tmp_path):
    # /proc/… cannot be made (even by root); '/' and '.' have no name to stage beside
    for dist in ("/proc/hldgraph-dist", "/"):
        rv = hldgraph("--dist", dist, "build")
        assert rv.returncode == 1 and "Traceback" not in rv.stderr, rv.stderr
        assert rv.stderr.startswith("hldgraph: "), rv.stderr
        assert dist in rv.stderr
        assert len(rv.stderr.strip().splitlines()) == 1, rv.stderr


def test_a_bad_value_names_the_option_as_it_is_typed():
    # the message named '--base-iri', an option that does not exist, for --base
    rv = hldgraph("--base", "notaniri", "build")
    assert rv.returncode == 1
    assert rv.stderr.splitlines() == [
        "hldgraph: --base notaniri: base_iri must be an http(s) IRI ending in '/'"]


def test_a_query_timeout_that_is_no_length_of_time_is_one_line():
    # -1 and nan were tracebacks from urllib3, inf one from the socket, 0 meant the default
    for value in ("-1", "0", "nan", "inf"):
        rv = hldgraph("query", "--timeout", value, "--endpoint", "http://127.0.0.1:9/sparql",
                      "ASK {}")
        assert rv.returncode == 1 and "Traceback" not in rv.stderr, rv.stderr
        assert rv.stderr.splitlines() == [
            f"hldgraph: --timeout {float(value)}: query_time_limit_s must be positive and "
            f"finite, not {float(value)}"], rv.stderr


def test_tables_as_a_spreadsheet_saves_them_are_read_or_named(tmp_path):
    # a byte-order mark (Excel's "CSV UTF-8") hid the first column: "missing column(s): id";
    # a Latin-1 file was named without its line; ';' as separator listed every column as
    # missing; a misspelt or an extra column went unnamed (an extra one silently ignored)
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    events = data / "events.csv"
    events.write_bytes(b"\xef\xbb\xbf" + events.read_bytes().replace(b"\n", b"\r\n"))
    bodies = data / "bodies.csv"
    text = bodies.read_text(encoding="utf-8")
    bodies.write_bytes(text.encode("utf-8").replace(
        "Assemblée générale des".encode(), "Assemblée générale des".encode("latin-1"), 1))
    places = data / "places.csv"
    places.write_text(places.read_text(encoding="utf-8").replace(",", ";"), encoding="utf-8")
    themes = data / "themes.csv"
    themes.write_text(themes.read_text(encoding="utf-8").replace("label_en", "label_eng", 1),
                      encoding="utf-8")
    initiatives = data / "initiatives.csv"
    lines = initiatives.read_text(encoding="utf-8").splitlines()
    initiatives.write_text("\n".join([lines[0] + ",extra"] + [f"{line}," for line in lines[1:]])
                           + "\n", encoding="utf-8")
    rv = hldgraph("--data", str(data), "--dist", str(tmp_path / "dist"), "validate")
    assert rv.returncode == 1 and "Traceback" not in rv.stderr, rv.stderr
    assert rv.stderr.splitlines() == [
        "hldgraph: 4 problem(s) in the data tables:",
        "bodies.csv, line 3 (id un-general-assembly): column 'name_fr': not UTF-8 text (a "
        "character shown as \ufffd); save the file as UTF-8",
        "initiatives.csv, line 1: unknown column(s): extra (a table has exactly the columns "
        "data/README.md lists)",
        "places.csv, line 1: the cells are separated by ';', not ','; save the file as CSV "
        "(comma-separated)",
        "themes.csv, line 1: missing column(s): label_en; unknown column(s): label_eng",
    ]


def test_an_empty_reference_is_named_empty(tmp_path):
    data = broken_data(tmp_path, {2: ("2006-02-17,new-york,", "2006-02-17,,")})
    rv = hldgraph("--data", str(data), "--dist", str(tmp_path / "dist"), "validate")
    assert rv.returncode == 1
    assert rv.stderr.splitlines() == [
        "hldgraph: events.csv, line 2 (id 1): column 'venue' is empty: every event has a venue"]


def test_the_help_summarises_every_command_in_whole_words():
    # click cuts a summary at its first '. ': release's read "Publish release VERSION (e.g."
    from click.testing import CliRunner

    from hldgraph.cli import main

    listing = CliRunner().invoke(main, ["--help"]).output.split("Commands:")[1]
    summaries = [line.split(None, 1)[1] for line in listing.strip().splitlines()]
    assert len(summaries) == len(main.commands)
    for summary in summaries:  # one cut for width ends in '...'
        assert summary.endswith("...") or summary.count("(") == summary.count(")"), summary


def test_a_data_folder_that_is_not_there_is_one_line(tmp_path):
    rv = hldgraph("--data", str(tmp_path / "nowhere"), "--dist", str(tmp_path / "dist"), "build")
    assert rv.returncode == 1 and "Traceback" not in rv.stderr
    assert rv.stderr.strip().splitlines() == [
        f"hldgraph: {tmp_path / 'nowhere'}: no such folder: the data tables are read from here "
        "(--data or HLDGRAPH_DATA_DIR)"]


def test_a_release_clears_only_a_staging_folder_of_its_own(tmp_path):
    from hldgraph.dump import PARTIAL
    from tests.history_site import to_1_1

    # a release writes its log entry in data/release-log/.{version}.new first: it deleted
    # whatever folder of that name it found; the build's {dist}.new rule now applies there too
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    to_1_1(data)
    env = {"HLDGRAPH_RELEASES_DIR": str(tmp_path / "releases")}
    args = ("--data", str(data), "--dist", str(tmp_path / "dist"), "release", "1.1",
            "--notes", "Event 12 moved.")
    mine = data / "release-log" / ".1.1.new"
    mine.mkdir()
    (mine / "chapter1.txt").write_text("years of work", encoding="utf-8")
    rv = hldgraph(*args, env=env)
    assert rv.returncode == 1 and "Traceback" not in rv.stderr, rv.stderr
    assert f"{mine}: not a folder of hldgraph's" in rv.stderr, rv.stderr
    assert len(rv.stderr.strip().splitlines()) == 1, rv.stderr
    assert sorted(p.name for p in mine.iterdir()) == ["chapter1.txt"]
    assert not (data / "release-log" / "1.1").exists()
    assert not (tmp_path / "releases" / "1.1").exists()
    # what an interrupted release left there (marked as ours) is cleared, and the release made
    (mine / "chapter1.txt").unlink()
    (mine / "release.json").write_text("{", encoding="utf-8")
    (mine / PARTIAL).touch()
    rv = hldgraph(*args, env=env)
    assert rv.returncode == 0, rv.stderr
    assert not mine.exists()
    entry = data / "release-log" / "1.1"
    assert (entry / "release.json").is_file() and not (entry / PARTIAL).exists()
