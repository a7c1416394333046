"""The association stage of the calibration: ``codev calibrate --stage associations``.

Which of the association side's assumed parameters agree with what
associations report (scenarios/data/association-level.csv, docs/sources.md
§3, §3b, §5)? The parameters searched are discrete or nearly so (how many
projects an association runs at once, how many months of raising it plans a
campaign over), and the targets are ranges of low confidence, so the stage
is a grid search, not a gradient fit: every point of the grid is run with
the same seed and replicates (common random numbers), its association-level
figures (:mod:`codev.calibrate.association_level`) are compared with the reported
ranges, and the points are ranked by

    Q = sum_i (distance of m_i from [low_i, high_i] / tol_i) ** 2,

zero for a figure inside its range. Every point within 1 of the least Q
(worse by less than one tolerance on one target) fits as well: the figures
pin down how many projects associations complete, not which mix of
parameters produces that rate. Among those points the estimate is the one
fewest grid steps from the scenario's own values (then the least Q): the
assumptions move no further than the reported figures ask. With
``--policy``, the policy's effects are computed at every point that fits as
well, each against its own baseline, so a reader sees how much of a policy
conclusion the association data leave open.

The record (JSON) holds the grid, every point's figures and Q, the targets,
the estimate, the points that fit as well (with the policy's effects) and
the command that reproduces it; the shipped scenario's values must be the
record's estimate (a test checks it).
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .. import indicators
from .._cli import Parser, fail
from ..ensemble import _integer, run
from ..report import check_writable, write_atomically
from ..scenario import Scenario
from ..shipped import scenario_folder
from .association_level import FIRST_MONTH, moments

SCENARIOS = scenario_folder()
SCENARIO = SCENARIOS / "mali-kayes-baseline.toml"
RECORD = SCENARIOS / "mali-kayes-association-calibration.json"
TARGETS = SCENARIOS / "data" / "association-level.csv"
# The association side's assumptions the reported figures can speak to (docs/sources.md, Parameters):
# projects at once (no source), the campaign horizon (the one to three years campaigns take, sources
# §3b), ideas a month (set by the same project counts).
GRID = {
    "associations.projects_under_way_max": (1, 2, 3),
    "associations.planning_months": (12, 24, 36),
    "associations.idea_rate": (0.03, 0.05, 0.08),
}
EQUALLY_GOOD = 1.0  # points with Q below the least + this are reported as fitting as well


@dataclasses.dataclass(frozen=True)
class Target:
    """A reported range of one association-level figure, and our tolerance outside it."""

    moment: str
    low: float
    high: float
    tolerance: float
    fitted: bool
    source: str

    def distance(self, simulated: float) -> float:
        """How far ``simulated`` lies outside [low, high], in tolerances (0 inside)."""
        return max(self.low - simulated, 0.0, simulated - self.high) / self.tolerance


def load_targets(path: Path = TARGETS) -> list[Target]:
    table = pd.read_csv(path, comment="#")
    targets = []
    for row in table.itertuples():
        if not (row.low <= row.high and row.tolerance > 0):
            raise ValueError(f"{path.name}: {row.moment}: needs low <= high and a positive tolerance")
        targets.append(
            Target(
                str(row.moment),
                float(row.low),
                float(row.high),
                float(row.tolerance),
                bool(row.fitted),
                f"{row.source} ({row.confidence})",
            )
        )
    return targets


def objective(figures: dict[str, float], targets: list[Target]) -> float:
    """Q of one point: the sum of squared distances of its fitted figures."""
    return float(sum(t.distance(figures[t.moment]) ** 2 for t in targets if t.fitted))


@dataclasses.dataclass(frozen=True)
class Config:
    seed: int = 2026
    replicates: int = 8
    first_month: int = FIRST_MONTH
    threads: int | None = None


def grid_points(grid: dict[str, tuple]) -> list[dict[str, float]]:
    keys = list(grid)
    return [dict(zip(keys, values, strict=True)) for values in itertools.product(*grid.values())]


def _steps(point: dict[str, float], base: Scenario, grid: dict[str, tuple]) -> int:
    """Grid steps from ``base``'s own values (each at its nearest grid value) to ``point``."""
    total = 0
    for key, values in grid.items():
        own = float(base.get(key))
        nearest = min(range(len(values)), key=lambda i: abs(values[i] - own))
        total += abs(values.index(point[key]) - nearest)
    return total


def calibrate(
    base: Scenario,
    config: Config = Config(),
    grid: dict[str, tuple] | None = None,
    targets: list[Target] | None = None,
    policy: Scenario | None = None,
) -> dict:
    """Run every grid point of ``base`` and rank them; with ``policy``, its
    effects at every point that fits as well. Returns the record."""
    grid = GRID if grid is None else grid
    targets = load_targets() if targets is None else targets
    points = grid_points(grid)
    started = time.monotonic()
    dataset = _run([base.with_(point).renamed(f"p{i:03d}") for i, point in enumerate(points)], config)
    rows: list[dict[str, Any]] = []
    q: list[float] = []
    for i, point in enumerate(points):
        figures = moments(dataset.sel(scenario=f"p{i:03d}"), config.first_month)
        means = {name: float(np.mean(values)) for name, values in figures.items()}
        q.append(objective(means, targets))
        rows.append({"parameters": point, "figures": means, "Q": q[-1]})
    least = min(q)
    good = [i for i in range(len(rows)) if q[i] < least + EQUALLY_GOOD]
    best = min(good, key=lambda i: (_steps(points[i], base, grid), q[i]))
    record = {
        "scenario": base.name,
        "config": dataclasses.asdict(config),
        "reproduce": _reproduce_line(config, policy),
        "grid": {key: list(values) for key, values in grid.items()},
        "own_values": {key: base.get(key) for key in grid},
        "targets": [dataclasses.asdict(t) for t in targets],
        "points": rows,
        "estimate": rows[best]["parameters"],
        "equally_good": [rows[i]["parameters"] for i in good],
    }
    if policy is not None:
        record["policy"] = policy.name
        record["policy_effects"] = policy_effects(base, policy, [points[i] for i in good], config)
    record["seconds"] = round(time.monotonic() - started, 1)
    return record


def _run(scenarios: list[Scenario], config: Config):
    results = run(scenarios, replicates=config.replicates, seed=config.seed, threads=config.threads, progress=False)
    return results.to_xarray()


EFFECTS_SHOWN = ("additional_projects_completed", "additional_people_reached", "built_anyway_share")


def policy_effects(base: Scenario, policy: Scenario, points: list[dict], config: Config) -> list[dict]:
    """The policy's effects against the baseline at each point (both with the point's values)."""
    scenarios = []
    for i, point in enumerate(points):
        scenarios += [base.with_(point).renamed(f"b{i:03d}"), policy.with_(point).renamed(f"q{i:03d}")]
    dataset = _run(scenarios, config)
    out = []
    for i, point in enumerate(points):
        table = indicators.effects(dataset.sel(scenario=[f"b{i:03d}", f"q{i:03d}"]), f"b{i:03d}")
        row = table.loc[f"q{i:03d}"]
        out.append(
            {
                "parameters": point,
                **{name: [float(row[(name, stat)]) for stat in ("mean", "p5", "p95")] for name in EFFECTS_SHOWN},
            }
        )
    return out


def _reproduce_line(config: Config, policy: Scenario | None) -> str:
    return (
        f"codev calibrate --stage associations --seed {config.seed} --replicates {config.replicates} "
        f"--from-month {config.first_month}" + (f" --policy {policy.name}" if policy is not None else "")
    )


def table(record: dict) -> str:
    """The ranked points as a plain-text table (what the command prints)."""
    fitted = [t for t in record["targets"] if t["fitted"]]
    keys = list(record["grid"])
    head = [k.rsplit(".", 1)[-1] for k in keys] + [t["moment"] for t in fitted] + ["Q"]
    lines = ["  ".join(head)]
    for row in sorted(record["points"], key=lambda r: r["Q"]):
        cells = [f"{row['parameters'][k]:g}" for k in keys]
        cells += [f"{row['figures'][t['moment']]:.4g}" for t in fitted]
        cells.append(f"{row['Q']:.2f}")
        lines.append("  ".join(cells))
    for effect in record.get("policy_effects", []):
        cells = [f"{effect['parameters'][k]:g}" for k in keys]
        cells += [f"{name} {v[0]:.4g} [{v[1]:.4g}, {v[2]:.4g}]" for name, v in effect.items() if name != "parameters"]
        lines.append(f"{record['policy']} at " + "  ".join(cells))
    return "\n".join(lines)


def main(argv=None) -> int:
    try:
        return _main(argv)
    except (OSError, KeyError, ValueError) as error:
        return fail("calibrate", error)


def _main(argv) -> int:
    defaults = Config()
    parser = Parser("calibrate --stage associations", description=__doc__.splitlines()[0])
    parser.add_argument("scenario", nargs="?", default=str(SCENARIO), help="scenario (mali-kayes-baseline.toml)")
    parser.add_argument("--seed", type=int, default=defaults.seed)
    parser.add_argument("--replicates", type=int, default=defaults.replicates)
    parser.add_argument("--from-month", type=int, default=defaults.first_month, help="first month of the flows")
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument(
        "--policy", default=None, help="a policy scenario: its effects at every point that fits as well"
    )
    parser.add_argument("--record", default=str(RECORD), help="JSON record to write")
    args = parser.parse_args(argv)
    _integer("--replicates", args.replicates, 1, 1000)  # before minutes of work
    record_path = Path(args.record)
    check_writable(record_path, [args.scenario])  # before minutes of work
    config = Config(seed=args.seed, replicates=args.replicates, first_month=args.from_month, threads=args.threads)
    policy = None if args.policy is None else Scenario.load(args.policy)
    record = calibrate(Scenario.load(args.scenario), config, policy=policy)
    write_atomically(record_path, json.dumps(record, indent=1) + "\n")
    print(table(record))
    print(f"estimate: {record['estimate']}; fitting as well (Q within {EQUALLY_GOOD:g}): {record['equally_good']}")
    print(f"wrote {record_path} in {record['seconds']:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
