"""``hldgraph release``: publishes an immutable release, and makes releases' folders again.

A release is built and validated like ``hldgraph build``, compared with the release before it,
recorded in the release log (``data/release-log/{version}/``: the first release's N-Quads, each
later one's RDF Patch; see :mod:`hldgraph.releases`, its reader) and published in the releases
folder (``{releases_dir}/{version}/``: every dump with its checksum, the manifest, the change
set). Nothing is written unless everything succeeds: a failed release leaves no trace.

Every file of a release is made from its N-Quads alone (:func:`release_files`), so that a fresh
clone makes each release's folder again, byte for byte, from the log
(:func:`hldgraph.release_folders.ensure_releases`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import tomllib
from dataclasses import replace
from pathlib import Path
from typing import Any

from rdflib import Dataset

from hldgraph import docs, dump, exports
from hldgraph.catalog import build_dataset
from hldgraph.changes import write_patch
from hldgraph.dataset import Built, new_dataset, union_graph
from hldgraph.distributions import CHANGES, CONTEXT, MEDIA_TYPES, NAME, RECORD_PREFIXES
from hldgraph.errors import ValidationFailed
from hldgraph.releases import (
    DATA,
    LOG,
    RELEASE,
    Release,
    ReleaseError,
    ReleaseLog,
    Source,
    format_datetime,
    sha256,
    unbase,
    version_key,
)
from hldgraph.settings import Settings
from hldgraph.urls import WRITTEN_BASE, Iris, rebase


def release_files(nquads: str, settings: Settings, ctx: dict[str, Any],
                  patch: str) -> tuple[Built, dict[str, bytes]]:
    """Every published file of a release, from its N-Quads (at ``settings.base_iri``), its
    JSON-LD context and its change set: the dumps, the calendar files, ``changes.rdfp``."""
    iris = Iris(settings.base_iri)
    ds: Dataset = new_dataset(iris)
    for prefix, ns in RECORD_PREFIXES.items():
        ds.bind(prefix, ns, override=True)
    ds.parse(data=nquads, format="nquads")
    built = Built(ds, iris)
    files = {**dump.render(ds, settings, ctx), **exports.render(built, settings, ctx),
             CHANGES: patch.encode("utf-8")}
    files[f"{NAME}.nq"] = nquads.encode("utf-8")  # the digest is of the log's own lines
    return built, files


def _write_folder(settings: Settings, release: Release, built: Built,
                  files: dict[str, bytes]) -> dict[str, Any]:
    """Writes ``{releases_dir}/{version}`` (atomically) and returns its manifest; every file
    is dated when the release was issued (:func:`_date`)."""
    meta = {"base_iri": settings.base_iri, "version": release.version,
            "issued": format_datetime(release.issued), "triples": release.triples,
            "graphs": {str(built.iris.graph(k)): v for k, v in release.graphs.items()}}

    def extra(folder: Path) -> None:
        docs.write(folder, built.graph("ontology"), settings.base_iri)
        (folder / RELEASE).write_text(_json(release.to_json()), encoding="utf-8")

    folder = Path(settings.releases_dir) / release.version
    manifest = dump.write_dumps(files, folder, meta, extra)
    _date(folder, release.issued)
    return manifest


def _date(folder: Path, issued: dt.datetime) -> None:
    """Sets the modification time of every file in ``folder`` to ``issued``: a release never
    changes, and its Last-Modified (its files', its pages') is then the same on every server,
    whenever it made the folder from the log."""
    when = issued.timestamp()
    for path in folder.rglob("*"):
        os.utime(path, (when, when))


def _json(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def source(settings: Settings) -> Source:
    """What a release of data/ reflects: the leaflet's calendar and its "as of" date."""
    leaflet = tomllib.loads((Path(settings.data_dir) / "leaflet.toml").read_text("utf-8"))
    calendar = leaflet["calendar"]
    return Source(calendar["title"], calendar["as_of"], "id/document/calendar")


def _check_issued(log: ReleaseLog, issued: dt.datetime, given: bool, now: dt.datetime) -> None:
    """Releases are issued in the order of their versions, and none later than ``now``: a
    TimeGate gives the last release issued at or before Accept-Datetime
    (:meth:`ReleaseLog.at`, RFC 7089 §4.1), which must be the latest version then, and must
    have existed then (a release dated 2099 would be a memento "from the future" for every
    date after today). Raises :class:`ReleaseError` naming ``--issued`` and its value."""
    when = "--issued " if given else "now, "
    if issued > now:
        raise ReleaseError(f"{when}{format_datetime(issued)}: later than now "
                           f"({format_datetime(now)}); a release is issued when it is "
                           "published, never in the future")
    latest = log.latest()
    if latest and issued <= latest.issued:
        raise ReleaseError(f"{when}{format_datetime(issued)}: not after release "
                           f"{latest.version}, issued {format_datetime(latest.issued)}; a "
                           "release is issued after the one before it")


def _check_version(log: ReleaseLog, version: str) -> None:
    key = version_key(version)
    same = next((v for v in log.versions() if version_key(v) == key), None)  # 1.0.0 is 1.0
    if same is not None:
        issued = format_datetime(log.get(same).issued)
        raise ReleaseError(f"release {same} exists (issued {issued}): a release is never "
                           "replaced; choose a new version")
    latest = log.latest()
    if latest and version_key(version) <= latest.key:
        raise ReleaseError(f"version {version} does not come after the last release, "
                           f"{latest.version}")


def make_release(settings: Settings, version: str, notes: str,
                 issued: dt.datetime | None = None) -> Release:
    """Builds, validates and publishes release ``version`` of data/; returns its log entry.

    Raises ReleaseError (a bad or existing version, empty notes, an ``issued`` later than now
    or not after the last release), DataError or ValidationFailed; then neither the log nor
    the releases folder has changed.
    """
    from hldgraph.validate import validate_graph  # pyshacl is slow to import

    log = ReleaseLog(settings)
    _check_version(log, version)
    if not notes.strip():
        raise ReleaseError("--notes: say in a sentence what the release changes")
    given, now = issued is not None, dt.datetime.now(dt.UTC).replace(microsecond=0)
    issued = (issued or now).astimezone(dt.UTC).replace(microsecond=0)
    _check_issued(log, issued, given, now)
    previous = log.latest()
    making = Release(version, issued, notes.strip(), source(settings), "",
                     previous.version if previous else None, 0)
    built = build_dataset(settings, making)
    report = validate_graph(union_graph(built.dataset), settings, built.origins)
    if not report.conforms:
        raise ValidationFailed(report.text(), report.violations)
    nquads = dump.render(built.dataset, settings)[f"{NAME}.nq"].decode("utf-8")
    canonical = unbase(nquads, settings.base_iri)
    ctx_text = (Path(settings.ontology_dir) / CONTEXT).read_text(encoding="utf-8")
    entry = log_entry(log, version, canonical, ctx_text)
    patch = rebase(entry.get(CHANGES) or first_patch(canonical, version), settings.base_iri)
    ctx = json.loads(rebase(ctx_text, settings.base_iri))
    graphs = {str(g.identifier).rsplit("/", 1)[-1]: len(g)
              for g in built.dataset.graphs() if len(g)}
    release = replace(making, digest=sha256(canonical), triples=len(union_graph(built.dataset)),
                      graphs=graphs, base_iri=settings.base_iri)
    rebuilt, files = release_files(nquads, settings, ctx, patch)
    release = _with_files(release, files)
    _publish(settings, release, entry, rebuilt, files)
    return release


def log_entry(log: ReleaseLog, version: str, canonical: str, ctx_text: str) -> dict[str, str]:
    """The files the log stores for release ``version`` (N-Quads and JSON-LD context at
    WRITTEN_BASE): the whole N-Quads for the first release, else the RDF Patch from the last;
    the context when it changed. The log grows with the changes, not with the data."""
    previous, entry = log.latest(), {}
    if previous is None:
        entry[DATA] = canonical
    else:
        lines = frozenset(line for line in canonical.splitlines() if line)
        before = log.lines(previous.version)
        written = Iris(WRITTEN_BASE)
        entry[CHANGES] = write_patch(lines - before, before - lines, written.release(version),
                                     written.release(previous.version))
    if previous is None or log.context(previous.version) != ctx_text:
        entry[CONTEXT] = ctx_text
    return entry


def write_entry(log_dir: Path, release: Release, entry: dict[str, str]) -> Path:
    """Writes ``{log_dir}/.{version}.new`` (release.json and ``entry``'s files): renamed to
    ``{version}`` by the caller once the release is published. A folder of that name is
    cleared only if it is ours, by the rule of every staging folder
    (:func:`hldgraph.dump.stage`); anyone else's is refused (HldgraphError)."""
    staging = dump.stage(log_dir / release.version, log_dir / f".{release.version}.new")
    (staging / RELEASE).write_text(_json(release.to_json()), encoding="utf-8")
    for name, text in entry.items():
        (staging / name).write_text(text, encoding="utf-8")
    return staging


def first_patch(canonical: str, version: str) -> str:
    """The change set of a first release: every quad added."""
    lines = [line for line in canonical.splitlines() if line]
    return write_patch(lines, [], Iris(WRITTEN_BASE).release(version))


def _with_files(release: Release, files: dict[str, bytes]) -> Release:
    checksums = {name: {"sha256": sha256_bytes(content), "bytes": len(content),
                        "media_type": MEDIA_TYPES.get(name, "application/octet-stream")}
                 for name, content in sorted(files.items())}
    return replace(release, files=checksums)


def sha256_bytes(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _publish(settings: Settings, release: Release, entry: dict[str, str], built: Built,
             files: dict[str, bytes]) -> None:
    """Writes the log entry and the release folder, both or neither."""
    log_dir = Path(settings.data_dir) / LOG
    folder = Path(settings.releases_dir) / release.version
    # outside the try: a staging folder refused as someone else's is not ours to delete
    staging = write_entry(log_dir, release, entry)
    try:
        _write_folder(settings, release, built, files)
        dump.finish(staging, log_dir / release.version)
    except BaseException:
        dump.discard(staging)
        if not (log_dir / release.version).exists() and dump.ours(folder):
            shutil.rmtree(folder, ignore_errors=True)
        raise


def materialise(settings: Settings, log: ReleaseLog, version: str) -> list[str]:
    """Makes ``{releases_dir}/{version}`` again from the log and checks it against the
    checksums the release recorded (when made at the same base IRI): its N-Quads must be the
    same, byte for byte (else ReleaseError); returns the names of the other files that differ
    (the code that writes them changed since the release was made)."""
    release = log.get(version)
    log.verify(version)
    ctx = json.loads(rebase(log.context(version), settings.base_iri))
    built, files = release_files(log.nquads(version), settings, ctx,
                                 log.patch(release.previous, version))
    differ = sorted(name for name, info in release.files.items()
                    if release.base_iri == settings.base_iri
                    and sha256_bytes(files.get(name, b"")) != info["sha256"])
    if f"{NAME}.nq" in differ:
        raise ReleaseError(f"release {version}: its N-Quads made again from the log differ from "
                           "those published (their checksum)")
    _write_folder(settings, release, built, files)
    return differ
