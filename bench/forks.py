"""The time forks save (docs/statepoints.md §2.1), measured side by side.

Runs each case twice, with forks and with `--no-forks`, checks that the two
results files hold the same numbers, variable by variable, and prints a
Markdown table of the times and their ratio. Times on a shared machine are
noisy: read the ratios.

    .venv/bin/python bench/forks.py [--codev build/dev/codev] [--case readme|history|sweep] [--points 1000]
"""

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import h5py
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
S = ROOT / "scenarios"
FORK_VARIABLES = {"scenario_forked_from", "scenario_fork_month"}


def cases(points: int) -> dict:
    readme = [
        "run",
        *(
            str(S / f"{name}.toml")
            for name in (
                "mali-kayes-baseline",
                "codev-share-70",
                "three-for-one",
                "codev-with-ta",
                "fee-cut-3pct",
                "recession-shock",
                "regional-bank-line",
            )
        ),
        "--replicates",
        "20",
        "--seed",
        "1",
    ]
    history = [
        "run",
        *(str(S / f"mali-codev-{name}.toml") for name in ("history", "future-mali-budget", "future-regional-bank")),
        "--replicates",
        "4",
        "--seed",
        "1",
    ]
    sweep = [
        "sweep",
        str(S / "mali-codev-future-mali-budget.toml"),
        "--factor",
        "programmes.ctc_mali.share=0.5:0.8",
        "--factor",
        "programmes.ctc_mali.cap_xof=10000000:40000000",
        "--design",
        "lhs",
        "--n",
        str(points),
        "--replicates",
        "1",
        "--seed",
        "1",
    ]
    return {"readme": readme, "history": history, "sweep": sweep}


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def same_numbers(a: Path, b: Path) -> bool:
    with h5py.File(a) as x, h5py.File(b) as y:
        for name in set(x) - FORK_VARIABLES:
            u, v = x[name][()], y[name][()]
            if isinstance(u, np.ndarray) and u.dtype.kind == "f":
                if not np.array_equal(u, v, equal_nan=True):
                    return False
            elif not np.array_equal(u, v):
                return False
    return True


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--codev", default=str(ROOT / "build" / "dev" / "codev"))
    parser.add_argument("--case", action="append", choices=["readme", "history", "sweep"])
    parser.add_argument("--points", type=int, default=1000, help="points of the sweep case")
    args = parser.parse_args()
    chosen = args.case or ["history", "readme", "sweep"]
    print("| case | with forks (s) | without forks (s) | ratio | same numbers |")
    print("|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as folder:
        for name in chosen:
            command = cases(args.points)[name]
            forked, separate = Path(folder) / f"{name}-forks.h5", Path(folder) / f"{name}-no-forks.h5"
            with_forks = timed([args.codev, *command, "-q", "--out", str(forked)])
            without = timed([args.codev, *command, "-q", "--no-forks", "--out", str(separate)])
            same = same_numbers(forked, separate)
            print(f"| {name} | {with_forks:.1f} | {without:.1f} | {without / with_forks:.2f} | {same} |", flush=True)
            if not same:
                return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
