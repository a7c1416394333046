"""Regression tests: the small shipped scenarios' outputs under a fixed seed,
against stored expectations (docs/architecture.md 4.8).

Every output of a run under a fixed seed is a pure function of the scenario,
the seed and the code, whatever the thread count, build type or vector
kernel (docs/model.md sections 4.3 and 9). So any change in
these numbers is a change of results: if it is meant, regenerate the file with

    CODEV_UPDATE_EXPECTED=1 .venv/bin/python -m pytest tests/python/test_regression.py

and add a line under "Changed results" in CHANGELOG.md saying what moved and
why. The file is compared exactly for money and counts (integers), and to
1e-12 relatively for ratios.
"""

import json
import math
import os
import subprocess

import numpy as np
import pytest

import codev
from conftest import ROOT, SMALL, codev_command

EXPECTED = ROOT / "tests" / "data" / "expected" / "small-scenarios.json"
SCENARIOS = ["mali-kayes-baseline", "codev-share-70", "three-for-one", "fee-cut-3pct"]
SEED, REPLICATES = 20261129, 2


def outputs(results: codev.Results) -> dict:
    """{scenario: {replicate: {name: value}}}: every indicator of
    codev.indicators, and the sum over months (and sectors) of every monthly
    series of the file, a fingerprint of the whole run."""
    ds = results.to_xarray()
    monthly = [name for name, da in ds.data_vars.items() if "month" in da.dims and "replicate" in da.dims]
    assert len(monthly) >= 20, monthly  # every series of docs/results-format.md
    out: dict = {}
    for (scenario, replicate), row in results.indicators().iterrows():
        values = {name: _plain(value) for name, value in row.items()}
        job = ds.sel(scenario=scenario, replicate=replicate)
        for name in monthly:
            values[f"total_{name}"] = _plain(job[name].sum(skipna=True).values)
        out.setdefault(str(scenario), {})[str(int(replicate))] = values
    return out


def _plain(value):
    value = np.asarray(value).item()
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return None if isinstance(value, float) and math.isnan(value) else value


def compare(actual: dict, expected: dict) -> list[str]:
    problems = []
    for scenario, replicates in expected.items():
        for replicate, values in replicates.items():
            got = actual.get(scenario, {}).get(replicate)
            if got is None:
                problems.append(f"{scenario} replicate {replicate}: missing")
                continue
            if set(got) != set(values):
                problems.append(
                    f"{scenario} replicate {replicate}: outputs {sorted(set(got) ^ set(values))} "
                    "are new or gone (regenerate the file on purpose)"
                )
            for name, want in values.items():
                have = got.get(name)
                if want is None or have is None or (isinstance(want, int) and isinstance(have, int)):
                    same = want == have
                else:
                    same = math.isclose(have, want, rel_tol=1e-12, abs_tol=0.0)
                if not same:
                    problems.append(f"{scenario} replicate {replicate} {name}: {have!r}, expected {want!r}")
    if set(actual) != set(expected):
        problems.append(f"scenarios {sorted(actual)}, expected {sorted(expected)}")
    return problems


@pytest.fixture(scope="module")
def cli_outputs(tmp_path_factory):
    out = tmp_path_factory.mktemp("regression") / "small.h5"
    subprocess.run(
        [
            codev_command(),
            "run",
            *[SMALL / f"{s}.toml" for s in SCENARIOS],
            "--replicates",
            str(REPLICATES),
            "--seed",
            str(SEED),
            "--threads",
            "2",
            "--out",
            str(out),
            "-q",
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )
    with codev.open(out) as results:
        return outputs(results)


def test_the_small_scenarios_give_their_stored_outputs(cli_outputs):
    if os.environ.get("CODEV_UPDATE_EXPECTED") == "1":
        EXPECTED.parent.mkdir(parents=True, exist_ok=True)
        EXPECTED.write_text(json.dumps(cli_outputs, indent=1, sort_keys=True) + "\n")
        pytest.skip(f"wrote {EXPECTED.relative_to(ROOT)}: add a line under 'Changed results' in CHANGELOG.md")
    expected = json.loads(EXPECTED.read_text())
    problems = compare(cli_outputs, expected)
    assert not problems, "outputs moved under a fixed seed (see this file's docstring):\n  " + "\n  ".join(
        problems[:20]
    )


def test_the_python_api_and_one_thread_give_the_same_outputs(cli_outputs):
    # The package's Release build, in process, on one thread, against the
    # CLI's (RelWithDebInfo, two threads): the same numbers to the last digit.
    scenarios = [codev.Scenario.load(SMALL / f"{s}.toml") for s in SCENARIOS]
    results = codev.run(scenarios, replicates=REPLICATES, seed=SEED, threads=1, progress=False)
    assert compare(outputs(results), cli_outputs) == []


def test_a_changed_output_is_reported():
    # The comparison itself can fail: one franc more is a difference.
    expected = {"a": {"0": {"total_fees": 10, "leverage": 1.5}}}
    assert compare({"a": {"0": {"total_fees": 11, "leverage": 1.5}}}, expected) == [
        "a replicate 0 total_fees: 11, expected 10"
    ]
    assert compare({"a": {"0": {"total_fees": 10, "leverage": 1.5 * (1 + 1e-9)}}}, expected) != []
    # A new output is a change too: it is not in the stored file yet.
    assert compare({"a": {"0": {"total_fees": 10, "leverage": 1.5, "new": 1}}}, expected) == [
        "a replicate 0: outputs ['new'] are new or gone (regenerate the file on purpose)"
    ]
