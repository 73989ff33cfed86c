"""How the release log grows: RELEASES releases of a synthetic calendar, each changing 1 % of
its events, recorded as ``hldgraph release`` records them, then read back.

    python bench/releases.py [--events 100000] [--releases 10] [--changed 0.01]

The first release stores the whole calendar (N-Quads); each later one its RDF Patch from the
one before (:func:`hldgraph.release.log_entry`): each changed event moves by a week, which
deletes and adds its start and end dates. The log is then read back by
:class:`hldgraph.releases.ReleaseLog`, which must give every release back byte for byte (its
digest). Printed: the size of the log after each release, beside what full copies would take,
and gzip's size of each (git stores objects compressed).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import random
import tempfile
import time
from pathlib import Path

from synth import write

from hldgraph.release import log_entry, write_entry
from hldgraph.releases import LOG, Release, ReleaseLog, Source, sha256
from hldgraph.settings import load_settings

DATES = ("<http://schema.org/startDate>", "<http://schema.org/endDate>")


def _moved(line: str) -> str:
    """A start or end date line moved a week later."""
    head, _, rest = line.partition(' "')
    value, _, tail = rest.partition('"')
    day = dt.date.fromisoformat(value) + dt.timedelta(days=7)
    return f'{head} "{day.isoformat()}"{tail}'


def change(lines: set[str], events: list[str], share: float, rng: random.Random) -> int:
    """Moves ``share`` of ``events`` by a week, in place; returns the lines changed."""
    chosen = {f"<{e}> " for e in rng.sample(events, max(1, int(len(events) * share)))}
    hits = [line for line in lines
            if line.split(" ", 2)[1] in DATES and line[:line.index(">") + 2] in chosen]
    for line in hits:
        lines.discard(line)
        lines.add(_moved(line))
    return len(hits)


_PACKED: dict[Path, int] = {}


def _size(folder: Path) -> tuple[int, int]:
    """Bytes of the files under ``folder``, and of each gzipped (a log file never changes)."""
    files = [p for p in folder.rglob("*") if p.is_file()]
    for p in files:
        if p not in _PACKED:
            _PACKED[p] = len(gzip.compress(p.read_bytes(), 6))
    return sum(p.stat().st_size for p in files), sum(_PACKED[p] for p in files)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--releases", type=int, default=10)
    parser.add_argument("--changed", type=float, default=0.01, help="share of events changed")
    args = parser.parse_args()
    rng = random.Random(2006)
    with tempfile.TemporaryDirectory(prefix="hldgraph-bench-") as tmp:
        data = Path(tmp) / "data"
        (data / LOG).mkdir(parents=True)
        settings = load_settings(data_dir=data, releases_dir=Path(tmp) / "releases")
        write(args.events, Path(tmp) / "calendar.nq")
        lines = {line for line in (Path(tmp) / "calendar.nq").read_text("utf-8").splitlines()
                 if line.strip()}
        events = sorted({line[1:line.index(">")] for line in lines
                         if "/id/event/" in line.split(" ", 1)[0]})
        whole = len("\n".join(sorted(lines)) + "\n")
        print(f"{args.events} events, {len(lines)} quads, {whole / 1e6:.1f} MB of N-Quads; "
              f"each release moves {args.changed:.0%} of the events", flush=True)
        print(f"{'release':>8} {'changed':>8} {'log MB':>8} {'log gz MB':>10} "
              f"{'full copies MB':>15} {'ratio':>6} {'write s':>8}")
        digests = {}
        for n in range(1, args.releases + 1):
            version, changed = f"1.{n - 1}", 0
            if n > 1:
                changed = change(lines, events, args.changed, rng)
            started = time.monotonic()
            canonical = "\n".join(sorted(lines)) + "\n"
            log = ReleaseLog(settings)
            entry = log_entry(log, version, canonical, "{}\n")
            release = Release(version, dt.datetime(2026, 12, n, tzinfo=dt.UTC), "bench",
                              Source("synthetic calendar", dt.date(2006, 8, 8), "id/x"),
                              sha256(canonical), log.latest().version if n > 1 else None,
                              len(lines))
            write_entry(data / LOG, release, entry).rename(data / LOG / version)
            digests[version] = release.digest
            seconds = time.monotonic() - started
            size, packed = _size(data / LOG)
            print(f"{version:>8} {changed:>8} {size / 1e6:>8.2f} {packed / 1e6:>10.2f} "
                  f"{n * whole / 1e6:>15.1f} {size / (n * whole):>6.3f} {seconds:>8.1f}",
                  flush=True)
        started = time.monotonic()
        log = ReleaseLog(settings)
        for release in log.releases():
            log.verify(release.version)
        print(f"read back: every release byte for byte in {time.monotonic() - started:.1f} s")


if __name__ == "__main__":
    main()
