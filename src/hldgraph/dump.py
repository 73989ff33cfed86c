"""Dataset -> Turtle, TriG, N-Triples, N-Quads and JSON-LD dumps with checksums, written atomically.

Every dump is deterministic: two builds of the same data give byte-identical files.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rdflib import Dataset, Graph

from hldgraph import docs, exports, framing, lookup
from hldgraph.calendar import select
from hldgraph.catalog import build_dataset
from hldgraph.dataset import union_graph
from hldgraph.dist import (
    MANIFEST,
    checksum_text,
    inputs_digest,
    manifest_text,
    previous_of,
    staging_of,
)
from hldgraph.distributions import CONTEXT, MEDIA_TYPES, NAME, UNION_JSONLD
from hldgraph.errors import HldgraphError, ValidationFailed
from hldgraph.framing import pyld_term
from hldgraph.settings import Settings

__all__ = ["NAME", "discard", "finish", "ours", "publish", "render", "replaceable", "stage",
           "write_dumps"]

#: The mark of a staging folder (``{out}.new``) of ours, until its manifest is written.
PARTIAL = ".hldgraph-partial"


def _sorted_lines(text: str) -> str:
    lines = sorted({line for line in text.splitlines() if line.strip()})
    return "\n".join(lines) + "\n"


def context(settings: Settings) -> dict[str, Any]:
    return framing.read_context(settings.ontology_dir, settings.base_iri)


def to_jsonld(ds: Dataset, ctx: dict[str, Any]) -> str:
    """Compact JSON-LD made by pyld (an independent processor), with the context inline.

    pyld is handed the quads already parsed, in a stable order: its own N-Quads parser took
    nearly all of the time of this dump, and grew faster than the graph.
    """
    from pyld import jsonld  # imported here: serving a finished build never needs it

    dataset: dict[str, list[dict[str, dict[str, str]]]] = {}
    for s, p, o, g in sorted(ds.quads(), key=lambda q: tuple(t.n3() for t in q[:3])):
        name = str(g.identifier if isinstance(g, Graph) else g)
        dataset.setdefault(name, []).append(
            {"subject": pyld_term(s), "predicate": pyld_term(p), "object": pyld_term(o)})
    expanded = jsonld.from_rdf(dataset, {"useNativeTypes": True})
    compacted = jsonld.compact(expanded, ctx["@context"], {"graph": False})
    return json.dumps(compacted, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def render(ds: Dataset, settings: Settings, ctx: dict[str, Any] | None = None) -> dict[str, bytes]:
    """Every dump, as bytes, keyed by file name (JSON-LD compacted with ``ctx``, by default
    the context of ontology/)."""
    union = union_graph(ds)
    nquads = _sorted_lines(ds.serialize(format="nquads"))
    ctx = ctx or context(settings)
    texts: dict[str, str] = {
        f"{NAME}.trig": _trig(ds),
        f"{NAME}.nq": nquads,
        f"{NAME}.ttl": union.serialize(format="turtle"),
        f"{NAME}.nt": _sorted_lines(union.serialize(format="nt")),
        f"{NAME}.jsonld": to_jsonld(ds, ctx),
        UNION_JSONLD: union_jsonld(union, ctx),
        CONTEXT: json.dumps(ctx, ensure_ascii=False, indent=1) + "\n",
    }
    return {name: text.encode("utf-8") for name, text in texts.items()}


def union_jsonld(union: Graph, ctx: dict[str, Any]) -> str:
    """Every triple in one graph (no named graphs), compacted JSON-LD with the context inline:
    a reader of plain RDF (rdflib's ``Graph().parse``) reads all of it."""
    doc = framing.form(framing.expanded(union), framing.COMPACTED, ctx)
    return framing.dumps(doc).decode("utf-8")


def _trig(ds: Dataset) -> str:
    """TriG with the graphs in a stable order (rdflib's own TriG writer orders them at random)."""
    graphs = sorted((g for g in ds.graphs() if len(g)), key=lambda g: str(g.identifier))
    head: list[str] = []
    blocks = []
    for g in graphs:
        lines = g.serialize(format="turtle").splitlines()
        head += [line for line in lines if line.startswith("@prefix")]
        body = [f"    {line}" if line else "" for line in lines if not line.startswith("@prefix")]
        blocks.append(f"<{g.identifier}> {{\n" + "\n".join(body).strip("\n") + "\n}\n")
    return "\n".join(sorted(set(head))) + "\n\n" + "\n".join(blocks)


def _gzip(content: bytes) -> bytes:
    # mtime=0 and no file name keep the archive byte-identical from build to build
    return gzip.compress(content, compresslevel=9, mtime=0)


def write_dumps(files: dict[str, bytes], out: Path, meta: dict[str, Any],
                extra: Callable[[Path], object] | None = None) -> dict[str, Any]:
    """Writes ``files`` (+ .sha256 and .gz) and a manifest to ``out``, replacing it only at the end.

    A failure at any point leaves the previous contents of ``out`` as they were.
    """
    out = replaceable(out)
    try:
        return _write_dumps(files, out, meta, extra)
    except OSError as e:
        where = f": {e.filename}" if e.filename else ""
        raise HldgraphError(f"{out}: cannot write the build there "
                            f"({e.strerror or e}{where})") from None


def _write_dumps(files: dict[str, bytes], out: Path, meta: dict[str, Any],
                 extra: Callable[[Path], object] | None) -> dict[str, Any]:
    staging = stage(out)
    manifest: dict[str, Any] = {**meta, "files": {}}
    for name, content in sorted(files.items()):
        digest = hashlib.sha256(content).hexdigest()
        (staging / name).write_bytes(content)
        (staging / f"{name}.sha256").write_text(checksum_text(name, digest), encoding="utf-8")
        (staging / f"{name}.gz").write_bytes(_gzip(content))
        manifest["files"][name] = {"sha256": digest, "bytes": len(content),
                                   "media_type": MEDIA_TYPES.get(name, "application/octet-stream")}
    manifest["digest"] = hashlib.sha256(files[f"{NAME}.nq"]).hexdigest()
    if extra:
        extra(staging)
    (staging / MANIFEST).write_text(manifest_text(manifest), encoding="utf-8")
    finish(staging, out)
    return manifest


def replaceable(out: Path) -> Path:
    """``out`` (made absolute) if it may be replaced whole: it and the folders written beside
    it (:func:`~hldgraph.dist.staging_of`, :func:`~hldgraph.dist.previous_of`) are each
    :func:`ours`; else HldgraphError, so that a mistyped ``--dist`` (a home folder, ``.``, a
    file), or a folder of someone's that happens to be named ``{dist}.new``, is refused instead
    of deleted."""
    out = Path(os.path.abspath(out))
    if not out.name or not ours(out):
        raise HldgraphError(f"{out}: not a build folder (no {MANIFEST}); a build replaces its "
                            "folder whole, so choose a new or an empty folder")
    for beside in (staging_of(out), previous_of(out)):
        if not ours(beside):
            raise HldgraphError(f"{beside}: not a folder of hldgraph's (no {MANIFEST}); a "
                                f"build of {out} writes there, so move it away")
    return out


def ours(folder: Path) -> bool:
    """The one rule of the folders hldgraph replaces or deletes: ``folder`` is absent, empty,
    a build (its manifest) or a staging folder of ours (its :data:`PARTIAL` mark)."""
    if not folder.exists():
        return True
    return folder.is_dir() and ((folder / MANIFEST).is_file() or (folder / PARTIAL).is_file()
                                or not any(folder.iterdir()))


def stage(folder: Path, staging: Path | None = None) -> Path:
    """An empty folder marked as ours (:data:`PARTIAL`) to write what replaces ``folder`` in:
    ``staging``, by default ``{folder}.new`` (:func:`~hldgraph.dist.staging_of`); a build's
    ``{dist}.new``, a release log entry's ``.{version}.new``. ``folder`` must be
    :func:`replaceable`; what an interrupted write of ours left in ``staging`` is deleted first,
    a folder of anyone else's is refused (HldgraphError), never deleted. :func:`finish` puts it
    in ``folder``'s place; :func:`discard` deletes it after a failed write."""
    out = replaceable(folder)
    staging = staging_of(out) if staging is None else staging
    _delete(staging)
    staging.mkdir(parents=True)
    (staging / PARTIAL).touch()
    return staging


def finish(staging: Path, folder: Path) -> None:
    """Put the complete ``staging`` (from :func:`stage`) in the place of ``folder``, without its
    mark: the folder it replaces waits in ``{folder}.old`` meanwhile, so that ``last_good``
    finds one of them even if this stops half-way. An interrupted write leaves ``staging``
    marked, so that the next :func:`stage` may clear it."""
    out = replaceable(folder)
    old = previous_of(out)
    _delete(old)
    (staging / PARTIAL).unlink(missing_ok=True)
    if out.exists():
        out.rename(old)
    staging.rename(out)
    with contextlib.suppress(OSError):  # the new folder is in place: a leftover is harmless
        _delete(old)


def discard(staging: Path) -> None:
    """Delete a staging folder of ours (still marked) after a failed write; one of anyone
    else's, or one already finished, is left where it is."""
    if staging.exists() and (staging / PARTIAL).is_file():
        _delete(staging)


def _delete(folder: Path) -> None:
    """Delete ``folder`` if it is :func:`ours` (else HldgraphError), its manifest and mark
    last: a deletion cut short leaves a folder still known as ours."""
    if not folder.exists():
        return
    if not ours(folder):  # checked again: it may have appeared since
        raise HldgraphError(f"{folder}: not a folder of hldgraph's (no {MANIFEST}); move it "
                            "away")
    for child in folder.iterdir():
        if child.name not in {MANIFEST, PARTIAL}:
            shutil.rmtree(child) if child.is_dir() and not child.is_symlink() else child.unlink()
    shutil.rmtree(folder)


def publish(settings: Settings, out: Path | None = None) -> dict[str, Any]:
    """Loads data/, builds, validates and dumps; nothing is written unless the graph conforms."""
    from hldgraph.validate import validate_graph  # a SHACL engine is slow to import; serve skips it

    out = replaceable(Path(out or settings.dist_dir))  # said before the minutes of a build
    built = build_dataset(settings)
    report = validate_graph(union_graph(built.dataset), settings, built.origins)
    if not report.conforms:
        raise ValidationFailed(report.text(), report.violations)
    ds = built.dataset
    union = union_graph(ds)
    meta = {
        "base_iri": settings.base_iri,
        "inputs": inputs_digest(settings),
        "triples": len(union),
        "graphs": {str(g.identifier): len(g) for g in ds.graphs() if len(g)},
    }
    things = lookup.collect(lambda text: select(union, text), built.iris)
    files = {**render(ds, settings), **exports.render(built, settings),
             lookup.FILE: lookup.render(things)}
    # the ontology's HTML page, in each language, is written beside the dumps (doc/def.html)
    return write_dumps(files, out, meta,
                       extra=lambda folder: docs.write(folder, built.graph("ontology"),
                                                       settings.base_iri))
