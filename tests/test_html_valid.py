"""Every page type is valid HTML: the Nu Html Checker (vnu.jar, the W3C's checker) reports no
error on what the server sends, in English and in French.

The checker runs offline: Debian's default Java runtime and the jar of the npm package
``vnu-jar`` (scripts/install --test installs both). Skipped where either is absent, unless
HLDGRAPH_REQUIRE_BROWSER=1 (CI), which makes that a failure.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import requests

from tests.pages import NODE_MODULES, PAGES, require

VNU = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.fixture(scope="module")
def nu_messages(live, tmp_path_factory) -> dict[str, list[dict]]:
    """The checker's messages for each page, by page name: one run of the jar for all pages."""
    java = shutil.which("java")
    require("Nu Html Checker", [p for p, ok in (("java", java), (str(VNU), VNU.exists()))
                                if not ok],
            "Debian: default-jre-headless; npm install (vnu-jar)")
    folder = tmp_path_factory.mktemp("html")
    files = {}
    for name, path in PAGES:
        r = requests.get(live + path, headers={"Accept": BROWSER}, timeout=60)
        assert r.headers["Content-Type"].startswith("text/html"), (path, r.status_code)
        files[name] = folder / f"{name}.html"
        files[name].write_bytes(r.content)
    run = subprocess.run([java, "-jar", str(VNU), "--format", "json", "--exit-zero-always",
                          *map(str, files.values())], capture_output=True, text=True,
                         timeout=240, check=True)
    messages = json.loads(run.stderr)["messages"]
    out: dict[str, list[dict]] = {name: [] for name in files}
    for m in messages:  # "url" is the file's, as file:/path/name.html
        out[Path(m["url"]).stem].append(m)
    return out


@pytest.mark.parametrize("name, path", PAGES, ids=[n for n, _ in PAGES])
def test_page_is_valid_html(nu_messages, name, path):
    errors = [f"{m.get('lastLine', '?')}: {m['message']} [{m.get('extract', '').strip()}]"
              for m in nu_messages[name] if m["type"] == "error" or m.get("subType") == "fatal"]
    assert errors == [], f"{path}: " + "\n".join(errors)
