# Typographic dashes and apostrophes are meant in these texts.
# ruff: noqa: RUF001, RUF002
"""Releases 1.0, 1.1 and 1.2 made from modified copies of data/, served on loopback.

1.0 is the release in data/release-log; 1.1 moves event 12 (3–5 April to 10–12 April), adds
event 51 and renames the African Union; 1.2 removes event 7 and corrects the venue of event 30
(New York to Geneva). The server serves the last state, as ``hldgraph serve`` would.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import ROOT
from tests.server import serve

#: Between the committed 1.0 (2026-11-30T14:04:55Z) and the day these tests were written: a
#: release is never issued later than now (hldgraph.release._check_issued).
ISSUED = {"1.1": dt.datetime(2026, 11, 30, 18, tzinfo=dt.UTC),
          "1.2": dt.datetime(2026, 11, 30, 22, tzinfo=dt.UTC)}


@dataclass(frozen=True)
class Site:
    url: str
    settings: object
    issued: dict[str, dt.datetime]


def edit_csv(path: Path, change) -> None:
    """Rewrites a table of data/: ``change(rows)`` edits the list of dict rows in place."""
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        fields, rows = list(reader.fieldnames or []), list(reader)
    change(rows)
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _row(rows: list[dict], id_: str) -> dict:
    return next(r for r in rows if r["id"] == id_)


def to_1_1(data: Path) -> None:
    def events(rows: list[dict]) -> None:
        e = _row(rows, "12")
        e.update(start="2006-04-10", end="2006-04-12", date_as_printed="Apr 10-12")
        rows.append({**_row(rows, "41"), "id": "51", "row": "49", "start": "2006-09-20",
                     "end": "2006-09-21", "title": "Follow-up Meeting on Migration and "
                     "Development", "organizers": "iom", "responsible_as_printed": "IOM",
                     "date_as_printed": "Sept. 20-21"})

    def editorial(rows: list[dict]) -> None:
        rows.append({**_row(rows, "41"), "id": "51", "super_event": "", "note": "",
                     "title_fr": "Réunion de suivi sur la migration et le développement"})

    def bodies(rows: list[dict]) -> None:
        _row(rows, "african-union").update(name_en="African Union Commission",
                                           name_fr="Commission de l’Union africaine")

    edit_csv(data / "events.csv", events)
    edit_csv(data / "event_editorial.csv", editorial)
    edit_csv(data / "bodies.csv", bodies)


def to_1_2(data: Path) -> None:
    def drop_7(rows: list[dict]) -> None:
        rows.remove(_row(rows, "7"))

    def events(rows: list[dict]) -> None:
        drop_7(rows)
        _row(rows, "30")["venue"] = "geneva"

    edit_csv(data / "events.csv", events)
    edit_csv(data / "event_editorial.csv", drop_7)


@contextlib.contextmanager
def history_site(tmp: Path) -> Iterator[Site]:
    """Makes the releases in ``tmp`` and serves the last state; yields the site."""
    from hldgraph.dump import publish
    from hldgraph.release import make_release
    from hldgraph.release_folders import ensure_releases, store_quads
    from hldgraph.releases import ReleaseLog
    from hldgraph.settings import load_settings
    from hldgraph.store import open_store
    from hldgraph.web import create_app

    data = tmp / "data"
    shutil.copytree(ROOT / "data", data)
    settings = load_settings().with_(data_dir=data, releases_dir=tmp / "releases",
                                     dist_dir=tmp / "dist")
    ensure_releases(settings)
    to_1_1(data)
    make_release(settings, "1.1", "Event 12 moved, event 51 added, the African Union renamed.",
                 ISSUED["1.1"])
    to_1_2(data)
    make_release(settings, "1.2", "Event 7 withdrawn; the venue of event 30 corrected.",
                 ISSUED["1.2"])
    publish(settings, tmp / "dist")
    issued = {r.version: r.issued for r in ReleaseLog(settings).releases()}
    quads = store_quads(settings, tmp / "dist", ensure_releases(settings))
    with open_store(settings, quads) as store, \
            serve(create_app(settings, store)) as url:
        yield Site(url, settings, issued)
