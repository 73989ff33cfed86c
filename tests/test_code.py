"""The code's own checks, run by the test command so that CI and a newcomer run the same ones:
ruff (lint), mypy (types), import-linter (the layering contracts in pyproject.toml) and the
structure report (import cycles, modules over 400 lines, pipeline modules reached from the web
layer)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, shared_path

BIN = Path(sys.executable).parent

#: Modules of the build pipeline: the web process must never import one of them.
PIPELINE = ("load", "build", "catalog", "void", "validate", "exports", "docs", "dump")


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=600)


def _tool(name: str) -> str:
    path = BIN / name
    if not path.exists() and shutil.which(name) is None:
        pytest.fail(f"{name} is not installed: run ./scripts/install --test")
    return str(path) if path.exists() else name


def test_ruff_finds_nothing():
    r = _run(_tool("ruff"), "check", "src", "tests", "bench")
    assert r.returncode == 0, r.stdout + r.stderr


def test_mypy_finds_no_error():
    r = _run(_tool("mypy"))
    assert r.returncode == 0, r.stdout + r.stderr


def test_import_contracts_hold():
    r = _run(_tool("lint-imports"))
    assert r.returncode == 0, r.stdout + r.stderr


def test_no_cycle_no_large_module_and_a_web_layer_without_the_pipeline():
    tool = shared_path("tools", "structure.py")
    forbid = [arg for m in PIPELINE for arg in ("--forbid", f"hldgraph.{m}")]
    r = _run(sys.executable, str(tool), "src", "--from", "hldgraph.web", *forbid)
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.strip().splitlines() == [
        "structure: 0 cycles, 0 large modules, 0 forbidden imports"], r.stdout


#: Libraries that only the map (pyproj, shapely, antimeridian) and the search index (numpy) need:
#: imported with the web app, they were a third of the server's start-up (bench/RESULTS.md,
#: "Start-up, fifth session"); rapidfuzz, which only matching a name needs, was 80 ms more.
FIRST_USE_ONLY = ("numpy", "pyproj", "shapely", "antimeridian", "rapidfuzz")


def test_serving_an_up_to_date_build_starts_without_the_pipeline_and_first_use_libraries(dist):
    pipeline = [f"hldgraph.{m}" for m in (*PIPELINE, "release")]
    script = (
        "import sys\n"
        "import hldgraph.cli, hldgraph.release_folders\n"  # what `hldgraph serve` imports
        f"print(' '.join(m for m in {pipeline!r} if m in sys.modules))\n"
        "from hldgraph.settings import load_settings\n"
        "from hldgraph.store import open_store\n"
        "from hldgraph.web import create_app\n"
        "import hldgraph.web.server\n"
        "settings = load_settings()\n"
        "app = create_app(settings, open_store(settings))\n"
        f"loaded = lambda: ' '.join(m for m in {FIRST_USE_ONLY!r} if m in sys.modules)\n"
        "print(loaded())\n"
        "assert app.test_client().get('/calendar').status_code == 200\n"  # draws the map
        "assert app.test_client().get('/search.json?q=IOM').status_code == 200\n"
        "print(loaded())\n")
    r = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True,
                       timeout=120, env={**os.environ, "HLDGRAPH_DIST_DIR": str(dist)})
    assert r.returncode == 0, r.stderr
    pipeline_loaded, at_start, after_use = r.stdout.split("\n")[:3]
    assert pipeline_loaded == "", f"the command imports the pipeline to serve: {pipeline_loaded}"
    assert at_start == "", f"imported at start-up: {at_start}"
    assert after_use.split() == list(FIRST_USE_ONLY)  # and imported when first used
