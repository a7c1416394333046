"""The association stage of the calibration (codev.calibrate.associations,
`codev calibrate --stage associations`): its objective, its ranking and
estimate rule on real runs, the policy's effects at the points that fit as
well, and that the shipped baseline carries the shipped record's estimate."""

import json
import os
import subprocess
import sys

import numpy as np
import pytest

import codev
from codev.calibrate import associations as stage
from codev.calibrate.association_level import moments

GRID = {"associations.projects_under_way_max": (1, 2), "associations.planning_months": (24, 36)}
CONFIG = stage.Config(seed=3, replicates=2, first_month=24)


def test_a_figure_inside_its_range_costs_nothing_and_outside_costs_its_distance_in_tolerances():
    t = stage.Target("projects_per_association_year", 0.19, 0.4, 0.05, True, "test")
    assert t.distance(0.19) == t.distance(0.3) == t.distance(0.4) == 0.0
    assert t.distance(0.09) == pytest.approx(2.0)
    assert t.distance(0.5) == pytest.approx(2.0)
    held_out = stage.Target("raised_per_association_year_xof", 1.0, 1.0, 1.0, False, "test")
    assert stage.objective({t.moment: 0.09, held_out.moment: 100.0}, [t, held_out]) == pytest.approx(4.0)


def test_the_shipped_targets_name_figures_the_association_level_measures(small_scenarios):
    targets = stage.load_targets()
    names = {t.moment for t in targets}
    with codev.run(small_scenarios["mali-kayes-baseline"], replicates=1, seed=1, progress=False).to_xarray() as ds:
        measured = moments(ds.sel(scenario="mali-kayes-baseline"), 24)
    assert names <= set(measured)
    assert {"projects_per_association_year", "spent_per_association_year_xof"} <= {
        t.moment for t in targets if t.fitted
    }
    assert all(t.source for t in targets)


@pytest.fixture(scope="module")
def record(small_scenarios):
    base = codev.Scenario.load(small_scenarios["mali-kayes-baseline"])
    policy = codev.Scenario.load(small_scenarios["codev-share-70"])
    return base, stage.calibrate(base, CONFIG, GRID, policy=policy)


def test_each_point_is_the_run_of_the_baseline_with_its_values(record):
    base, rec = record
    assert len(rec["points"]) == 4
    targets = stage.load_targets()
    for row in rec["points"][::3]:  # the first and the last point, run again on their own
        alone = codev.run(base.with_(row["parameters"]), replicates=2, seed=3, progress=False).to_xarray()
        figures = moments(alone.sel(scenario=base.name), 24)
        for name, values in figures.items():
            assert row["figures"][name] == pytest.approx(float(np.mean(values)), rel=1e-12, nan_ok=True)
        by_hand = sum(t.distance(row["figures"][t.moment]) ** 2 for t in targets if t.fitted)
        assert row["Q"] == pytest.approx(by_hand)


def test_the_estimate_fits_as_well_as_the_best_and_moves_the_assumptions_least(record):
    base, rec = record
    least = min(row["Q"] for row in rec["points"])
    good = [row["parameters"] for row in rec["points"] if row["Q"] < least + stage.EQUALLY_GOOD]
    assert rec["equally_good"] == good and rec["estimate"] in good
    own = {key: base.get(key) for key in GRID}  # 1 project at a time, 36 months: on the grid

    def steps(point):
        return sum(abs(GRID[k].index(point[k]) - GRID[k].index(own[k])) for k in GRID)

    fewest = min(steps(p) for p in good)
    assert steps(rec["estimate"]) == fewest
    q = {json.dumps(row["parameters"], sort_keys=True): row["Q"] for row in rec["points"]}
    assert q[json.dumps(rec["estimate"], sort_keys=True)] == min(
        q[json.dumps(p, sort_keys=True)] for p in good if steps(p) == fewest
    )


def test_the_policy_effects_at_a_point_are_those_of_codev_compare(record, small_scenarios):
    base, rec = record
    assert [e["parameters"] for e in rec["policy_effects"]] == rec["equally_good"]
    effect = rec["policy_effects"][0]
    policy = codev.Scenario.load(small_scenarios["codev-share-70"])
    both = codev.run(
        [base.with_(effect["parameters"]), policy.with_(effect["parameters"])], replicates=2, seed=3, progress=False
    )
    table = both.compare(base.name).loc[policy.name]
    for name in stage.EFFECTS_SHOWN:
        assert effect[name] == pytest.approx([table[(name, s)] for s in ("mean", "p5", "p95")])


def test_the_shipped_baseline_carries_the_shipped_records_estimate():
    rec = json.loads(stage.RECORD.read_text())
    base = codev.Scenario.load(stage.SCENARIO)
    for key, value in rec["estimate"].items():
        assert base.get(key) == pytest.approx(value), key
    assert rec["grid"] == {k: list(v) for k, v in stage.GRID.items()}
    assert [t["moment"] for t in rec["targets"]] == [t.moment for t in stage.load_targets()]
    assert rec["estimate"] in rec["equally_good"]


def test_a_stage_that_does_not_exist_or_a_bad_option_is_one_clear_error(codev, tmp_path):
    env = dict(os.environ, CODEV_PYTHON=sys.executable)  # build/dev has no Python beside it
    done = subprocess.run([codev, "calibrate", "--stage", "dues"], capture_output=True, text=True, check=False, env=env)
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "invalid choice: 'dues'" in done.stderr
    done = subprocess.run(
        [codev, "calibrate", "--stage=associations", "--replicates", "0", "--record", str(tmp_path / "r.json")],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "--replicates" in done.stderr
    assert not (tmp_path / "r.json").exists()
