"""How the cost of a build grows with the graph: time and peak memory of each stage.

    python bench/build.py [--sizes real,1000,10000,100000]

``real`` runs the pipeline on data/. A number N runs it on a calendar of N events more than the
real build's, copied from its own (synth.py ``write_like_build``: it conforms to shapes/ as a
published build must), from the point where the tables have become quads:

- load: the N-Quads read into a pyoxigraph store (what the SHACL engine reads);
- validate: SHACL over the store with the build's engine (pyshacl-turbo);
- dump: the N-Quads read into rdflib, the catalogue record and VoID computed (catalog.describe),
  every dump rendered (dump.render) and the calendar files (exports.render), as a build writes
  them.

Each stage runs in a process of its own, so that its peak memory (max RSS) is its own. A size
whose total passes --budget seconds stops the run (larger ones would pass it too).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
STAGES = ("load", "validate", "dump")


def _real(stage: str) -> dict[str, float]:
    from hldgraph.catalog import build_dataset
    from hldgraph.dataset import union_graph
    from hldgraph.dump import render
    from hldgraph.exports import render as render_exports
    from hldgraph.settings import load_settings
    from hldgraph.validate import validate_graph

    settings = load_settings()
    started = time.perf_counter()
    built = build_dataset(settings)
    info: dict[str, float] = {"triples": len(union_graph(built.dataset))}
    if stage == "validate":
        info["violations"] = validate_graph(union_graph(built.dataset), settings).violations
    elif stage == "dump":
        files = {**render(built.dataset, settings), **render_exports(built, settings)}
        info["bytes"] = sum(map(len, files.values()))
    info["stage_s"] = time.perf_counter() - started
    return info


def _synthetic(stage: str, source: str) -> dict[str, float]:
    import pyoxigraph

    from hldgraph.catalog import describe
    from hldgraph.dataset import Built, new_dataset, union_graph
    from hldgraph.dump import render
    from hldgraph.exports import render as render_exports
    from hldgraph.settings import load_settings
    from hldgraph.urls import Iris
    from hldgraph.validate import validate_store

    settings = load_settings()
    iris = Iris(settings.base_iri)
    started = time.perf_counter()
    info: dict[str, float] = {}
    if stage in ("load", "validate"):
        store = pyoxigraph.Store()
        store.bulk_load(path=source, format=pyoxigraph.RdfFormat.N_QUADS)
        info["triples"] = len(store)
        if stage == "validate":
            started = time.perf_counter()
            report = validate_store(store, settings, union_graph(new_dataset(iris)))
            info["violations"] = report.violations
    else:
        built = Built(new_dataset(iris), iris)
        built.dataset.parse(source, format="nquads")
        describe(built, settings)
        files = {**render(built.dataset, settings), **render_exports(built, settings)}
        info["bytes"] = sum(map(len, files.values()))
    info["stage_s"] = time.perf_counter() - started
    return info


def _stage(stage: str, source: str) -> dict[str, float]:
    """Runs in a child process: one stage on ``source`` ("real" or an N-Quads file)."""
    info = _real(stage) if source == "real" else _synthetic(stage, source)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    info["peak_mb"] = usage.ru_maxrss / 1024
    # CPU seconds beside the wall clock: on a shared machine they are what the stage costs
    info["cpu_s"] = usage.ru_utime + usage.ru_stime
    return info


def measure(source: str) -> dict[str, dict[str, float]]:
    """Each stage's figures, or its last error line (under "error") where it failed."""
    out: dict[str, dict] = {}
    for stage in STAGES:
        if source == "real" and stage == "load":
            out[stage] = {"stage_s": 0.0, "peak_mb": 0.0, "cpu_s": 0.0}
            continue
        rv = subprocess.run([sys.executable, __file__, "_stage", stage, source],
                            capture_output=True, text=True, timeout=7200)
        if rv.returncode != 0:
            out[stage] = {"error": (rv.stderr.strip().splitlines() or ["?"])[-1][:200]}
        else:
            out[stage] = json.loads(rv.stdout)
    return out


HEADER = (f"{'events':>7} {'triples':>9} {'load s':>7} {'validate s':>10} {'dump s':>7} "
          f"{'total s':>8} {'CPU s l/v/d':>16} {'peak MB l/v/d':>16} {'violations':>10}")


def row(size: str, events: int, r: dict[str, dict[str, float]]) -> str:
    load, valid, dump = (r[s] for s in STAGES)
    total = load["stage_s"] + valid["stage_s"] + dump["stage_s"]
    triples = int(valid.get("triples") or load.get("triples") or 0)
    return (f"{events if size != 'real' else 'real':>7} {triples:>9} {load['stage_s']:>7.1f} "
            f"{valid['stage_s']:>10.1f} {dump['stage_s']:>7.1f} {total:>8.1f} "
            f"{load['cpu_s']:>6.0f}/{valid['cpu_s']:.0f}/{dump['cpu_s']:.0f}".rjust(17) + " "
            f"{load['peak_mb']:>5.0f}/{valid['peak_mb']:.0f}/{dump['peak_mb']:.0f}".rjust(17) +
            f" {int(valid['violations']):>10}")


def main() -> None:
    if sys.argv[1:2] == ["_stage"]:
        print(json.dumps(_stage(sys.argv[2], sys.argv[3])))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="real,1000,10000,100000")
    parser.add_argument("--budget", type=float, default=3600.0)
    args = parser.parse_args()
    sys.path.insert(0, str(HERE))
    import synth

    print(HEADER, flush=True)
    with tempfile.TemporaryDirectory(prefix="hldgraph-bench-build-") as tmp:
        base = Path(tmp) / "real.nq"
        subprocess.run([sys.executable, "-m", "hldgraph", "--dist", str(Path(tmp) / "dist"),
                        "build"], check=True, capture_output=True)
        base.write_bytes((Path(tmp) / "dist" / "hld2006.nq").read_bytes())
        for size in args.sizes.split(","):
            source, events = "real", 0
            if size != "real":
                events = int(size)
                source = str(Path(tmp) / f"{size}.nq")
                synth.write_like_build(events, Path(source), base)
            r = measure(source)
            if any("error" in v for v in r.values()):
                print(f"{size:>7} failed: {r}", flush=True)
                continue
            print(row(size, events, r), flush=True)
            if sum(v["stage_s"] for v in r.values()) > args.budget:
                break


if __name__ == "__main__":
    main()
