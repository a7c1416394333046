"""Every numeric parameter at each end of its documented range (issue 20: the
cases of items 5 and 12 came from this): a tiny world runs with `--check`,
or the scenario is refused in one line with exit status 2. Never a crash, a
hang, an invariant violation or an overflow.

The ranges are read from the resolved scenario's comments, which the schema
writes beside each key (`# meaning [unit; allowed values; default]`), so a
parameter added to the schema is tested without a change here.
"""

import concurrent.futures
import math
import os
import re
import subprocess
from pathlib import Path

import codev

# A world small enough for hundreds of runs in well under a minute, with a
# programme, a loan and technical assistance so that their keys are read.
TINY = """\
months = 24
[world]
migrants = 300
communes = 4
[corridors.france]
[programmes.p]
budget_per_year_xof = 100000000
[programmes.p.technical_assistance]
[programmes.p.loan]
amount_xof = 1000000000
disbursement = [0.5, 0.5]
tenor_years = 10
[[shocks]]
kind = "host_recession"
start_month = 2
end_month = 6
[[communes]]
name = "a"
region = "r"
population = 5000
diaspora_weight = 1.0
[[communes]]
name = "b"
region = "r"
population = 8000
diaspora_weight = 2.0
"""
# Stand-ins for an end the schema leaves open ("at least 0"): far out, finite.
HUGE_REAL, HUGE_INTEGER = 1e300, 2**62
# Keys whose far end is a world, not a value: they are tested at sizes that
# finish (the memory check refuses the rest, tested in test_reliability.py).
SIZES = {"months": [1, 1200], "world.migrants": [1, 20000], "world.communes": [1, 2000]}
_ALLOWED = re.compile(r"\[(?:[^;\]]*; )?(?P<allowed>[^;\]]*); default [^\]]*\]\s*$")


def _ends(allowed: str, integer: bool) -> list:
    """The values at each end of a documented range ("0 to 1", "at least 1",
    "greater than 0 and less than 1", "any finite number")."""
    huge = HUGE_INTEGER if integer else HUGE_REAL
    tiny_step = 1 if integer else 5e-324
    number = r"(-?[0-9.e+]+)"
    if m := re.fullmatch(rf"{number} to {number}", allowed):
        return [float(m[1]), float(m[2])]
    if m := re.fullmatch(rf"at least {number}", allowed):
        return [float(m[1]), huge]
    if m := re.fullmatch(rf"greater than {number}", allowed):
        return [float(m[1]) + tiny_step, huge]
    if m := re.fullmatch(rf"greater than {number} and less than {number}", allowed):
        low, high = float(m[1]), float(m[2])
        return [low + tiny_step, math.nextafter(high, low)]
    if m := re.fullmatch(rf"greater than {number} and at most {number}", allowed):
        return [float(m[1]) + tiny_step, float(m[2])]
    if allowed == "any finite number":
        return [-huge, huge]
    return []  # not a plain number: a path, a choice, a list, a date


def parameter_ends() -> list:
    """(dotted key, value) for each end of each numeric parameter of TINY."""
    lines = codev.Scenario.from_toml(TINY, "tiny").to_toml().splitlines()
    table, cases, doc, seen = "", [], "", {}
    for line in lines:
        if line.startswith("[["):
            name = line.strip("[] ")
            seen[name] = seen.get(name, -1) + 1
            table = f"{name}.{seen[name]}"
        elif line.startswith("["):
            table = line.strip("[] ")
        elif line.startswith("#"):
            doc = line
        elif "=" in line:
            key, value = (part.strip() for part in line.split("=", 1))
            if not re.fullmatch(r"-?[0-9][0-9.e+-]*", value):
                continue  # an array, a table, a text: no range to test
            dotted = f"{table}.{key}" if table else key
            integer = "." not in value and "e" not in value
            m = _ALLOWED.search(doc)
            allowed = m["allowed"] if m else _allowed_by_the_loader(dotted, integer)
            ends = SIZES.get(dotted) or _ends(allowed, integer)
            cases += [(dotted, int(v) if integer else v) for v in ends]
        doc = "" if not line.startswith("#") else doc
    return cases


def _allowed_by_the_loader(dotted: str, integer: bool) -> str:
    """The range of a key written without its doc ([[communes]]), from the
    loader's message for a value below any range."""
    try:
        codev.Scenario.from_toml(TINY, "tiny").with_(**{dotted: -(2**63) + 1 if integer else -1e308})
    except ValueError as error:
        if m := re.search(r"\(allowed: ([^)]*)\)$", str(error)):
            return m[1]
    return "any finite number"


CASES = parameter_ends()


def _toml(value) -> str:
    return str(value) if isinstance(value, int) else repr(float(value)).replace("inf", "1e999")


def _run(codev_command: str, directory: Path, index: int, key: str, value) -> tuple:
    scenario = codev.Scenario.from_toml(TINY, "tiny")
    try:
        scenario = scenario.with_(**{key: value})
    except ValueError as error:  # refused as an override: the loader's one line
        return key, value, 2, str(error)
    path = directory / f"case-{index}.toml"
    path.write_text(scenario.to_toml())
    result = subprocess.run(
        [
            codev_command,
            "run",
            str(path),
            "-r",
            "2",
            "--check",
            "-q",
            "--threads",
            "1",
            "--out",
            str(directory / f"case-{index}.h5"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return key, value, result.returncode, result.stderr.strip()


def test_the_ranges_are_read_from_the_schema():
    keys = {key for key, _ in CASES}
    assert len(keys) > 60, sorted(keys)
    for key in (
        "behaviour.trust_concentration",
        "behaviour.propensity_concentration",
        "programmes.p.share",
        "corridors.france.income_sigma",
        "world.slot_slack",
        "shocks.0.risk_multiplier",
        "communes.1.diaspora_weight",
        "communes.0.population",
    ):
        assert key in keys, key
    assert ("behaviour.propensity_concentration", HUGE_REAL) in CASES
    assert ("corridors.france.income_median_xof", 1e9) in CASES


def test_every_parameter_at_each_end_of_its_range_runs_checked_or_is_refused(codev, tmp_path):
    workers = max(1, min(2, os.cpu_count() or 1))
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        outcomes = list(
            pool.map(
                lambda case: _run(codev, tmp_path, *case), [(i, key, value) for i, (key, value) in enumerate(CASES)]
            )
        )
    failures = [
        f"{key} = {value}: exit {status}: {err[-300:]}"
        for key, value, status, err in outcomes
        if status not in (0, 2) or (status == 2 and len(err.splitlines()) != 1)
    ]
    assert not failures, "\n".join(failures)
    print(f"{len(CASES)} cases, {sum(status == 0 for *_, status, _ in outcomes)} ran with --check")
