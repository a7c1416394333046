"""The scenarios shipped with codev and their data, found by name.

``codev.scenarios()`` lists them; ``codev.Scenario.load("mali-kayes-baseline")``
and ``codev run mali-kayes-baseline`` load one from any directory. The folder
is, in order: ``$CODEV_SCENARIOS``; the source tree's ``scenarios/`` when the
package runs from a checkout (an editable install); the copy inside the
installed package (``pip install .`` puts it there, read with
:mod:`importlib.resources`).
"""

import os
from importlib import resources
from pathlib import Path

_SOURCE = Path(__file__).resolve().parents[2] / "scenarios"


def scenario_folder() -> Path:
    """The folder of the shipped scenarios (``*.toml``) and their ``data/``."""
    if os.environ.get("CODEV_SCENARIOS"):
        return Path(os.environ["CODEV_SCENARIOS"])
    if (_SOURCE / "mali-kayes-baseline.toml").is_file():
        return _SOURCE
    return Path(str(resources.files("codev") / "scenarios"))


def scenarios() -> list[str]:
    """Names of the shipped scenarios (file stems), sorted.

    >>> "mali-kayes-baseline" in codev.scenarios()  # doctest: +SKIP
    True
    """
    folder = scenario_folder()
    return sorted(p.stem for p in folder.glob("*.toml")) if folder.is_dir() else []


def data_file(name: str) -> Path:
    """A data file the scenarios ship (``scenarios/data/NAME``)."""
    return scenario_folder() / "data" / name


def scenario_argument(argument) -> str:
    """``argument`` when it names a file, a path or a ``.toml``; else the path of
    the shipped scenario of that name. Raises FileNotFoundError naming the
    shipped scenarios when there is none."""
    text = os.fspath(argument)
    if "/" in text or text.endswith(".toml") or not text or os.path.exists(text):
        return text
    candidate = scenario_folder() / f"{text}.toml"
    if candidate.is_file():
        return str(candidate)
    raise FileNotFoundError(
        f"no scenario file '{text}', and no shipped scenario of that name "
        f"(shipped: {', '.join(scenarios()) or 'none found'})"
    )
