"""Every performance figure of docs/performance.md, measured side by side in one run.

Runs `codev bench` (national world at one and two threads, then 100k and 500k
migrants and 96 months), bench/reference_numpy.py and bench/reference_agents.py,
each `--repeat` times in turn (interleaved, so a burst of load from elsewhere
hits every implementation alike), keeps each one's median, and prints a
Markdown table with the ratios the issue's targets are stated in, then one
JSON line with every figure.

Times on a shared machine are noisy: read the ratios, and the load averages
printed before and after, not the absolute rates.

    .venv/bin/python bench/compare.py [--codev build/release/codev] [--repeat 3]
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "scenarios" / "codev-share-70.toml"

TARGETS = {  # issue 4 (performance); a ratio is met when at least this
    "full_per_thread": 5e7,
    "two_thread_speedup": 1.8,
    "core_vs_numpy": 4.0,
    "core_vs_agents": 100.0,
}
MAX_BYTES_PER_MIGRANT = 64


def json_line(command: list[str]) -> dict:
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def benches(codev: str) -> dict[str, list[str]]:
    """The measurements, by name: each a command printing one JSON line."""
    bench = [codev, "bench", str(SCENARIO)]
    python = sys.executable
    return {
        "codev_1": [*bench, "--threads", "1"],
        "codev_2": [*bench, "--threads", "2"],
        "codev_100k": [*bench, "--threads", "1", "--migrants", "100000"],
        "codev_500k": [*bench, "--threads", "1", "--migrants", "500000"],
        "codev_96_months": [*bench, "--threads", "1", "--months", "96"],
        "numpy": [python, str(ROOT / "bench" / "reference_numpy.py")],
        "agents": [python, str(ROOT / "bench" / "reference_agents.py")],
    }


def measure(commands: dict[str, list[str]], repeat: int) -> dict[str, dict]:
    """Each command `repeat` times, interleaved; the run with the median full-step rate."""
    runs: dict[str, list[dict]] = {name: [] for name in commands}
    for _ in range(repeat):
        for name, command in commands.items():
            runs[name].append(json_line(command))
    median = {}
    for name, lines in runs.items():
        lines.sort(key=lambda line: line["migrant_steps_per_second"])
        median[name] = lines[len(lines) // 2]
    return median


def ratios(m: dict[str, dict]) -> dict[str, float]:
    core = m["codev_1"]["core_migrant_steps_per_second_per_thread"]
    return {
        "full_per_thread": m["codev_1"]["migrant_steps_per_second_per_thread"],
        "two_thread_speedup": m["codev_2"]["migrant_steps_per_second"] / m["codev_1"]["migrant_steps_per_second"],
        "core_vs_numpy": core / m["numpy"]["core_migrant_steps_per_second"],
        "core_vs_agents": core / m["agents"]["core_migrant_steps_per_second"],
    }


def table(m: dict[str, dict], r: dict[str, float]) -> str:
    rows = [
        "| measurement | migrants | months | threads | full step /s | core /s | bytes/migrant |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, line in m.items():
        full = line["migrant_steps_per_second"] if name.startswith("codev") else None
        rows.append(
            f"| {name} | {line['migrants']:,} | {line['months']} | {line['threads']} | "
            f"{'-' if full is None else f'{full:.3g}'} | {line['core_migrant_steps_per_second']:.3g} | "
            f"{line['bytes_per_migrant']} |"
        )
    rows += ["", "| target | measured | needed | status |", "|---|---|---|---|"]
    for key, needed in TARGETS.items():
        rows.append(f"| {key} | {r[key]:.3g} | >= {needed:g} | {'met' if r[key] >= needed else 'MISSED'} |")
    size = m["codev_1"]["bytes_per_migrant"]
    rows.append(
        f"| bytes_per_migrant | {size} | <= {MAX_BYTES_PER_MIGRANT} | "
        f"{'met' if size <= MAX_BYTES_PER_MIGRANT else 'MISSED'} |"
    )
    return "\n".join(rows)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = shutil.which("codev") or str(ROOT / ".venv" / "bin" / "codev")
    p.add_argument("--codev", default=default, help="the codev executable to time (default: %(default)s)")
    p.add_argument("--repeat", type=int, default=3, help="runs of each measurement; the median is kept")
    args = p.parse_args()
    if args.repeat < 1:
        p.error("--repeat must be at least 1")
    load_before = os.getloadavg()[0]
    m = measure(benches(args.codev), args.repeat)
    load_after = os.getloadavg()[0]
    r = ratios(m)
    print(
        f"load average (1 min): {load_before:.2f} before, {load_after:.2f} after; "
        f"medians of {args.repeat} interleaved runs; simd: {m['codev_1'].get('simd', '?')}\n"
    )
    print(table(m, r))
    print(
        json.dumps(
            {"load_before": load_before, "load_after": load_after, "repeat": args.repeat, "ratios": r, "runs": m}
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
