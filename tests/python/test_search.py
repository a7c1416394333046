"""Inverse policy search (issue 7): codev.search and `codev search` find the
smallest budget that meets a target with a given probability, by bisection
under common random numbers, with the bracket and the Wilson interval of the
share at the answer."""

import json
import math
import os
import subprocess
import sys

import numpy as np
import pytest

import codev
from codev.analysis.search import parse_target
from codev.analysis.search import search as codev_search
from conftest import wilson

BUDGET = "programmes.codev.budget_per_year_xof"
TARGET = "projects_completed_total >= 42"
SEARCH = {
    "factor": BUDGET,
    "target": TARGET,
    "probability": 0.9,
    "bounds": (0, 1e9),
    "replicates": 16,
    "seed": 3,
    "tolerance": 1e8,
}


def share_meeting(scenario, replicates, seed):
    """The share of replicates with at least 42 projects completed (TARGET), run afresh."""
    completed = codev.run([scenario], replicates=replicates, seed=seed, progress=False).indicators()
    return float((completed["projects_completed_total"] >= 42).mean())


@pytest.fixture(scope="module")
def base(small_scenarios):
    return codev.Scenario.load(small_scenarios["codev-share-70"])


@pytest.fixture(scope="module")
def found(base):
    return codev.search(base, **SEARCH)


def test_targets_read_as_indicator_operator_number():
    assert parse_target("projects_completed_total >= 100") == ("projects_completed_total", ">=", 100.0)
    assert parse_target(" cofinancing_leverage<2.5e0") == ("cofinancing_leverage", "<", 2.5)
    with pytest.raises(ValueError, match="'served' is not an indicator"):
        parse_target("served >= 3")
    with pytest.raises(ValueError, match="is not 'INDICATOR OP NUMBER'"):
        parse_target("projects_completed_total == 3")


def test_the_answer_meets_the_target_and_the_value_below_it_does_not(base, found):
    assert found.found and found.monotone
    short, answer = found.bracket
    assert answer == found.value and isinstance(answer, int)  # the budget is an integer parameter
    assert 0 < answer - short <= SEARCH["tolerance"]
    # Rerun at both ends with the same seed: the answer meets the probability, the value below does not.
    assert share_meeting(base.with_(**{BUDGET: answer}), 16, 3) == found.share >= 0.9
    assert share_meeting(base.with_(**{BUDGET: short}), 16, 3) < 0.9


def test_the_uncertainty_is_the_bracket_and_a_wilson_interval(found):
    met = round(found.share * found.replicates)
    assert found.interval == pytest.approx(wilson(met, found.replicates))
    assert found.interval[0] <= found.share <= found.interval[1]
    evaluations = found.evaluations
    assert list(evaluations.columns) == ["value", "met", "undefined", "share", "low", "high"]
    # Both bounds, then halvings down to the tolerance: log2(1e9 / 1e8) rounds up to 4.
    assert len(evaluations) == 2 + math.ceil(math.log2(1e9 / SEARCH["tolerance"]))
    assert list(evaluations["value"][:2]) == [1_000_000_000, 0]
    assert (np.diff(evaluations.sort_values("value")["share"]) >= 0).all()
    assert "bracket:" in str(found) and f"{found.value:,}" in str(found)


def test_a_target_out_of_reach_or_already_met_is_said_so(base):
    out_of_reach = codev.search(base, BUDGET, "projects_completed_total >= 100000", bounds=(0, 1e9), replicates=5)
    assert not out_of_reach.found and math.isnan(out_of_reach.value) and len(out_of_reach.evaluations) == 1
    assert "is not met with probability 0.9 within the bounds" in str(out_of_reach)
    already = codev.search(base, BUDGET, "projects_completed_total >= 1", bounds=(1e8, 1e9), replicates=5)
    assert already.found and already.value == 100_000_000 and math.isnan(already.bracket[0])
    assert "the lower bound already meets the target" in str(already)
    with pytest.raises(ValueError, match=r"bounds: low 2\.0 is not below high 1\.0"):
        codev.search(base, BUDGET, TARGET, bounds=(2, 1))


def run_cli(codev_command, *args):
    env = dict(os.environ, CODEV_PYTHON=sys.executable)  # build/dev has no Python beside it
    return subprocess.run(
        [codev_command, "search", *map(str, args)], capture_output=True, text=True, check=False, timeout=300, env=env
    )


def test_codev_search_on_the_command_line_gives_the_same_answer(codev, small_scenarios, base):
    quick = {**SEARCH, "replicates": 8, "tolerance": 2.5e8}
    found = codev_search(base, **quick)  # `codev` is the command here (conftest.py)
    result = run_cli(
        codev,
        small_scenarios["codev-share-70"],
        "--factor",
        BUDGET,
        "--target",
        TARGET,
        "--bounds",
        "0:1e9",
        "--probability",
        0.9,
        "--replicates",
        8,
        "--seed",
        3,
        "--tolerance",
        2.5e8,
        "--json",
    )
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["value"] == found.value and answer["bracket"] == list(found.bracket)
    assert answer["interval"] == pytest.approx(list(found.interval))
    assert result.stderr.count("codev search: ") == len(found.evaluations)  # a line per evaluation


def test_codev_search_exit_status(codev, small_scenarios):
    scenario = small_scenarios["codev-share-70"]
    unmet = run_cli(
        codev,
        scenario,
        "--factor",
        BUDGET,
        "--target",
        "projects_completed_total >= 100000",
        "--bounds",
        "0:1e9",
        "-r",
        3,
        "-q",
    )
    assert unmet.returncode == 1 and "is not met with probability" in unmet.stdout
    wrong = run_cli(codev, scenario, "--factor", BUDGET, "--target", "projects >= 1", "--bounds", "0:1e9")
    assert wrong.returncode == 2
    assert wrong.stderr.startswith("codev: error: search: target: 'projects' is not an indicator")
    assert run_cli(codev, "--help").returncode == 0


def test_importing_every_module_of_the_package_leaves_codev_search_the_function():
    """A module named `search` would replace the function once imported (issue 19)."""
    import importlib
    import pkgutil
    import types

    for module in pkgutil.iter_modules(codev.__path__):
        importlib.import_module(f"codev.{module.name}")
    assert not isinstance(codev.search, types.ModuleType) and codev.search is codev_search
