"""How the cost of a build grows with the graph: time and peak memory of each stage.

    python bench/build.py [--sizes real,1000,5000,10000]

``real`` runs the whole pipeline on data/ (load + build, validate, dump). A number runs the
stages that do not depend on the tables on a synthetic calendar of that many events (synth.py):
parse the N-Quads into rdflib, validate with SHACL (shapes/), render every dump. Each stage runs
in a process of its own, so that its peak memory (max RSS) is its own.
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
STAGES = ("build", "validate", "dump")


def _stage(stage: str, source: str) -> dict[str, float]:
    """Runs in a child process: one stage on ``source`` ("real" or an N-Quads file)."""
    from rdflib import Dataset

    from hldgraph.build import load_ontology
    from hldgraph.catalog import build_dataset
    from hldgraph.dataset import union_graph
    from hldgraph.dump import render
    from hldgraph.settings import load_settings
    from hldgraph.urls import Iris
    from hldgraph.validate import validate_graph

    settings = load_settings()
    started = time.perf_counter()
    if source == "real":
        ds = build_dataset(settings).dataset
    else:
        ds = Dataset(default_union=True)
        ds.parse(source, format="nquads")
    built = time.perf_counter()
    info = {"triples": len(union_graph(ds)), "build_s": built - started}
    if stage == "validate":
        data = union_graph(ds)
        data += load_ontology(settings, Iris(settings.base_iri))
        report = validate_graph(data, settings)
        info["violations"] = report.violations
    elif stage == "dump":
        info["bytes"] = sum(len(b) for b in render(ds, settings).values())
    info["stage_s"] = time.perf_counter() - built
    info["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return info


def measure(source: str) -> dict[str, dict[str, float]]:
    out = {}
    for stage in STAGES:
        rv = subprocess.run([sys.executable, __file__, "_stage", stage, source],
                            capture_output=True, text=True, timeout=3600)
        if rv.returncode != 0:
            out[stage] = {"error": rv.stderr.strip().splitlines()[-1][:200]}
        else:
            out[stage] = json.loads(rv.stdout)
    return out


def main() -> None:
    if sys.argv[1:2] == ["_stage"]:
        print(json.dumps(_stage(sys.argv[2], sys.argv[3])))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="real,1000,5000,10000")
    args = parser.parse_args()
    sys.path.insert(0, str(HERE))
    import synth

    print(f"{'size':>7} {'triples':>9} {'parse/build s':>13} {'validate s':>10} "
          f"{'dump s':>7} {'peak MB b/v/d':>16}")
    with tempfile.TemporaryDirectory(prefix="hldgraph-bench-build-") as tmp:
        for size in args.sizes.split(","):
            source = "real"
            if size != "real":
                source = str(Path(tmp) / f"{size}.nq")
                synth.write(int(size), Path(source))
            r = measure(source)
            if any("error" in v for v in r.values()):
                print(f"{size:>7} failed: {r}")
                continue
            b, v, d = (r[s] for s in STAGES)
            print(f"{size:>7} {b['triples']:>9} {b['build_s']:>13.2f} {v['stage_s']:>10.2f} "
                  f"{d['stage_s']:>7.2f} {b['peak_mb']:>5.0f}/{v['peak_mb']:.0f}/"
                  f"{d['peak_mb']:.0f}", flush=True)


if __name__ == "__main__":
    main()
