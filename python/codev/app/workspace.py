"""The workbench's folder (``codev app --folder``): the designer's own
scenarios in ``scenarios/``, and each run in ``runs/ID/`` (its results file,
``run.json`` saying what was run, and the brief and tables made from it).

The catalogue lists the shipped scenarios and the designer's own, each with
its title and description in both languages and, for a file that does not
load, the loader's message (the one ``codev validate`` prints).
"""

import json
import os
import re
import secrets
import threading
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .. import _toml
from ..scenario import Scenario
from ..shipped import scenario_folder

_NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_RUN_ID = re.compile(r"^[0-9]{8}-[0-9]{6}-[0-9a-f]{4}$")


class InputError(ValueError):
    """Bad input from the page: ``key`` names its text in the catalogue, ``fields`` fill it."""

    def __init__(self, key: str, **fields):
        super().__init__(key)
        self.key = key
        self.fields = fields


@dataclass(frozen=True)
class Entry:
    """One scenario of the catalogue."""

    name: str
    path: Path
    own: bool  # the designer's, in the workbench's folder (else shipped)
    title: dict = field(default_factory=dict)  # {"en": ..., "fr": ...}
    description: dict = field(default_factory=dict)
    baseline: bool = False  # the file declares baseline = true
    problem: str = ""  # the loader's message when the file does not load
    clash: bool = False  # the designer's file has the name of a shipped scenario
    parent: str = ""  # the name of the scenario its file extends, if any

    def title_in(self, lang: str) -> str:
        return self.title.get(lang) or self.title.get("en") or self.name

    def description_in(self, lang: str) -> str:
        return self.description.get(lang) or self.description.get("en") or ""


def loader_message(error: BaseException) -> str:
    """The loader's one-line message without the place of a text made in memory
    (``<string>:3: ``): the key and what is wrong, as ``codev validate`` says them."""
    message = str(error).splitlines()[0] if str(error).strip() else type(error).__name__
    return re.sub(r"^<[^>]*>:\d+: ", "", message)


class Workspace:
    """The workbench's folder and the scenarios it can run."""

    def __init__(self, folder):
        self.folder = Path(folder).resolve()
        self.scenarios = self.folder / "scenarios"
        self.runs = self.folder / "runs"
        for directory in (self.scenarios, self.runs):
            directory.mkdir(parents=True, exist_ok=True)
        self._cache: dict[Path, tuple[tuple, list[str], Entry]] = {}
        self._lock = threading.Lock()

    # ---- the catalogue ----------------------------------------------------------

    def catalogue(self) -> list[Entry]:
        """Shipped scenarios first, then the designer's, each sorted by name. A
        file of the designer's named like a shipped one is listed with a problem."""
        shipped = sorted(scenario_folder().glob("*.toml"))
        entries = [self._entry(p, own=False) for p in shipped]
        names = {e.name for e in entries}
        for path in sorted(self.scenarios.glob("*.toml")):
            entry = self._entry(path, own=True)
            if entry.name in names:
                entry = Entry(entry.name, path, True, entry.title, entry.description, clash=True, parent=entry.parent)
            entries.append(entry)
        return entries

    def entry(self, name: str) -> Entry:
        for entry in self.catalogue():
            if entry.name == name:
                return entry
        raise InputError("error_no_scenario", name=name)

    def load(self, name: str) -> Scenario:
        entry = self.entry(name)
        if entry.clash:
            raise InputError("error_name_shipped", name=name)
        if entry.problem:
            raise InputError("error_scenario_problem", name=name, problem=entry.problem)
        try:
            return Scenario.load(entry.path)
        except (OSError, ValueError) as error:  # changed since the catalogue read it
            raise InputError("error_scenario_problem", name=name, problem=loader_message(error)) from None

    def _entry(self, path: Path, own: bool) -> Entry:
        """The entry of ``path``, read again when it or any file it was made
        from (its ``extends`` chain, its communes CSV) has changed."""
        with self._lock:
            cached = self._cache.get(path)
        if cached is not None and cached[0] == _stamps(cached[1]):
            return cached[2]
        entry, sources = _read_entry(path, own)
        with self._lock:
            self._cache[path] = (_stamps(sources), sources, entry)
        return entry

    # ---- saving a scenario --------------------------------------------------------

    def save(
        self, scenario: Scenario, name: str, texts: dict[str, str], baseline: bool, source: str, changed: dict
    ) -> Path:
        """Write ``scenario`` as the designer's scenario ``name``: every parameter
        (a file that stands alone, to share), the title and description given
        (``texts``: title_en, title_fr, description_en, description_fr; French
        defaults to English, a description to one saying what changed), the
        baseline flag given, and a header saying what was changed from which
        scenario. Never replaces a file."""
        if not _NAME.match(name or ""):
            raise InputError("error_name", name=name)
        if any(e.name == name for e in self.catalogue()):
            raise InputError("error_name_taken", name=name)
        title_en = " ".join(texts.get("title_en", "").split())
        if not title_en:
            raise InputError("error_title")
        said = "; ".join(f"{k} = {v}" for k, v in changed.items())
        description_en = texts.get("description_en", "").strip() or f"“{source}” with {said or 'no change'}."
        values = {
            "title": {"en": title_en, "fr": " ".join(texts.get("title_fr", "").split()) or title_en},
            "description": {
                "en": description_en,
                "fr": texts.get("description_fr", "").strip() or f"« {source} » avec {said or 'aucun changement'}.",
            },
            "baseline": bool(baseline),
        }
        try:
            scenario = scenario.renamed(name).with_(values)
        except ValueError as error:
            raise InputError("error_value", message=loader_message(error)) from None
        header = [
            f"# Made with `codev app` on {time.strftime('%Y-%m-%d')} from the scenario '{source}'.",
            f"# Changed: {said or 'nothing'}",
            "",
        ]
        path = self.scenarios / f"{name}.toml"
        _write_new(path, "\n".join(header) + scenario.to_toml())
        return path

    # ---- runs ---------------------------------------------------------------------

    def new_run(self, record: dict) -> str:
        run_id = time.strftime("%Y%m%d-%H%M%S") + "-" + secrets.token_hex(2)
        (self.runs / run_id).mkdir()
        self.write_record(run_id, record)
        return run_id

    def forget_run(self, run_id: str) -> None:
        """Remove the folder of a run that never started."""
        folder = self.runs / run_id
        (folder / "run.json").unlink(missing_ok=True)
        folder.rmdir()

    def run_folder(self, run_id: str) -> Path:
        if not _RUN_ID.match(run_id or "") or not (self.runs / run_id).is_dir():
            raise InputError("error_no_run", run=run_id)
        return self.runs / run_id

    def record(self, run_id: str) -> dict:
        """What ``run.json`` says of a run; InputError when it is missing or not
        what the workbench writes (a file edited or cut short)."""
        try:
            record = json.loads((self.run_folder(run_id) / "run.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raise InputError("error_bad_run", run=run_id) from None
        if not _is_record(record):
            raise InputError("error_bad_run", run=run_id)
        return record

    def write_record(self, run_id: str, record: dict) -> None:
        path = self.runs / run_id / "run.json"
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps(record, indent=1, sort_keys=True), encoding="utf-8")
        os.replace(temporary, path)

    def past_runs(self, limit: int = 12) -> list[dict]:
        found = []
        for folder in sorted(self.runs.iterdir(), reverse=True):
            if _RUN_ID.match(folder.name):
                try:
                    found.append(self.record(folder.name) | {"id": folder.name})
                except InputError:
                    continue
            if len(found) >= limit:
                break
        return found


_RECORD = {
    "baseline": str,
    "policies": list,
    "replicates": int,
    "seed": int,
    "titles": dict,
    "created": str,
    "state": str,
}


def _is_record(record) -> bool:
    return (
        isinstance(record, dict)
        and all(isinstance(record.get(k), kind) for k, kind in _RECORD.items())
        and all(isinstance(record["titles"].get(n), dict) for n in [record["baseline"], *record["policies"]])
    )


def _stamps(paths: list[str]) -> tuple:
    """(modification time, size) of each file, None for one that is gone."""
    found: list[tuple[int, int] | None] = []
    for p in paths:
        try:
            stat = os.stat(p)
            found.append((stat.st_mtime_ns, stat.st_size))
        except OSError:
            found.append(None)
    return tuple(found)


def _read_entry(path: Path, own: bool) -> tuple[Entry, list[str]]:
    """The catalogue's entry of one file (its own title, description and
    baseline flag, none of them inherited, and whether it loads), and the
    files it was made from."""
    name = path.stem
    try:
        with open(path, "rb") as f:
            document = tomllib.load(f)
    except (OSError, ValueError) as error:
        return Entry(name, path, own, problem=f"{path.name}: {error}"), [str(path)]
    title = document["title"] if isinstance(document.get("title"), dict) else {}
    description = document["description"] if isinstance(document.get("description"), dict) else {}
    try:
        sources = list(Scenario.load(path)._core.sources)
        problem = ""
    except (OSError, ValueError) as error:
        sources, problem = [str(path)], loader_message(error)
    extends = document.get("extends")
    parent = Path(extends).stem if isinstance(extends, str) else ""
    entry = Entry(name, path, own, title, description, document.get("baseline") is True, problem, parent=parent)
    return entry, sources


def _write_new(path: Path, content: str) -> None:
    """Write a file that did not exist, whole or not at all; FileExistsError
    names the path when it does (a name taken between the check and the write)."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    temporary.write_text(content, encoding="utf-8")
    try:
        os.link(temporary, path)  # fails if the name is taken: never replaces
    except FileExistsError:
        raise InputError("error_name_taken", name=path.stem) from None
    except OSError:  # a file system without hard links: create it exclusively instead
        try:
            with open(path, "x", encoding="utf-8") as f:
                f.write(content)
        except FileExistsError:
            raise InputError("error_name_taken", name=path.stem) from None
    finally:
        temporary.unlink(missing_ok=True)


def toml_text(value) -> str:
    """A parameter's value as the TOML text a form shows and reads back."""
    return _toml.value(value)
