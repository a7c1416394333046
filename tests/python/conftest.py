"""Shared fixtures: where the `codev` command under test is, and small scenarios."""

import math
import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SMALL = ROOT / "tests" / "data" / "small"


def codev_command() -> str:
    """The `codev` built from this tree (build/dev), else the one on the venv's PATH."""
    build = Path(os.environ.get("CODEV_BUILD_DIR", ROOT / "build" / "dev"))
    if (build / "codev").exists():
        return str(build / "codev")
    found = shutil.which("codev") or str(ROOT / ".venv" / "bin" / "codev")
    if not Path(found).exists():
        pytest.skip("no codev executable built (run scripts/test.sh)")
    return found


@pytest.fixture(scope="session")
def codev() -> str:
    return codev_command()


@pytest.fixture(scope="session")
def small_scenarios() -> dict:
    """Test-scale versions of shipped scenarios, by name."""
    return {p.stem: p for p in sorted(SMALL.glob("*.toml"))}


def wilson(k: int, n: int, z: float = 1.959963984540054) -> tuple[float, float]:
    """The Wilson score interval of k successes in n, from its formula (Wilson 1927):
    the tests' own check of what codev.robust and codev.search report."""
    p = k / n
    centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
    half = z / (1 + z**2 / n) * math.sqrt(p * (1 - p) / n + z**2 / (4 * n**2))
    return centre - half, centre + half
