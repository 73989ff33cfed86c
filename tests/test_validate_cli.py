"""``hldgraph validate FILE`` on a file with a malformed value: the real command, as a person
runs it. One clear line per problem; no library traceback or warning; no false consequence."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
START = 'schema:startDate "2006-02-08"^^xsd:date'  # event 1: 8-17 February 2006
END = 'schema:endDate "2006-02-17"^^xsd:date'


def validate(path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run([sys.executable, "-m", "hldgraph", "validate", str(path)], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("old, new, value", [
    (START, 'schema:startDate "2006-2-08"^^xsd:date', "2006-2-08"),
    (END, 'schema:endDate "2006-02-017"^^xsd:date', "2006-02-017"),
    (END, 'schema:endDate "17/02/2006"^^xsd:date', "17/02/2006"),
])
def test_a_malformed_date_is_one_clear_message(dist, tmp_path, old, new, value):
    turtle = (dist / "hld2006.ttl").read_text(encoding="utf-8")
    assert turtle.count(old) == 1
    bad = tmp_path / "bad.ttl"
    bad.write_text(turtle.replace(old, new), encoding="utf-8")
    run = validate(bad)
    assert run.returncode == 1
    assert run.stderr == ""  # no traceback, no library warning
    lines = run.stdout.splitlines()
    assert lines == [f"Violation: https://w3id.org/hld2006/id/event/1 {new.split()[0]}: "
                     f"value '{value}': not a valid xsd:date (write YYYY-MM-DD, e.g. 2006-02-08)"]


def test_dates_out_of_order_are_still_one_violation(dist, tmp_path):
    turtle = (dist / "hld2006.ttl").read_text(encoding="utf-8")
    bad = tmp_path / "order.ttl"
    bad.write_text(turtle.replace(END, 'schema:endDate "2006-02-07"^^xsd:date'), encoding="utf-8")
    run = validate(bad)
    assert run.returncode == 1 and run.stderr == ""
    assert run.stdout.splitlines() == [
        "Violation: https://w3id.org/hld2006/id/event/1 schema:startDate: value '2006-02-08': "
        "An event cannot end before it starts: its start date 2006-02-08 is after its end date "
        "2006-02-07."]
