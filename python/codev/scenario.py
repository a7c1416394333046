"""Scenarios in Python: the parsed, validated, immutable description of one
policy and world (docs/architecture.md 4.2), wrapping the C++ ``codev::Scenario``.

Every check and every message comes from the C++ loader, so a mistake reads
the same here as from ``codev validate``: ``FILE:LINE: KEY: what is wrong
(what is allowed)``, raised as ``ValueError``.
"""

import os
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path

from . import _core, _toml
from .shipped import scenario_argument

_NAME = re.compile(r"[A-Za-z0-9_-]+\Z")


class Scenario:
    """A validated scenario: every parameter resolved, ``extends`` applied.

    Make one with :meth:`Scenario.load` (a TOML file), :meth:`Scenario.from_dict`
    or :meth:`Scenario.from_toml`; derive variants with :meth:`with_`. A
    scenario never changes: ``with_`` and ``renamed`` return new ones.

    Two scenarios are equal when they have the same name and the same resolved
    parameters (:meth:`to_toml`).

    Examples
    --------
    >>> base = codev.Scenario.load("scenarios/codev-share-70.toml")
    >>> half = base.with_(**{"programmes.codev.share": 0.5}).renamed("share-50")
    >>> half.get("programmes.codev.share")
    0.5
    """

    __slots__ = ("_core",)

    def __init__(self, core: "_core.Scenario"):
        # Not for users: the constructors are load, from_dict and from_toml.
        if not isinstance(core, _core.Scenario):
            raise TypeError("use Scenario.load, Scenario.from_dict or Scenario.from_toml to make a Scenario")
        self._core = core

    # ---- making scenarios ---------------------------------------------------

    @classmethod
    def load(cls, path) -> "Scenario":
        """Load and validate a scenario file.

        Parameters
        ----------
        path : str or os.PathLike
            A TOML scenario file, or the name of a shipped scenario
            (``codev.scenarios()``). Its ``extends`` and CSV paths are relative
            to its own directory. The scenario's name is the file's stem.

        Returns
        -------
        Scenario

        Raises
        ------
        FileNotFoundError
            When ``path`` does not exist.
        ValueError
            When the file is not a valid scenario; the message is the one
            ``codev validate`` prints (``FILE:LINE: KEY: ...``).
        """
        path = scenario_argument(path)
        try:
            return cls(_core.load_scenario(path))
        except ValueError as error:
            if not os.path.exists(path):
                raise FileNotFoundError(str(error)) from None
            raise

    @classmethod
    def from_toml(cls, text: str, name: str = "scenario", base_dir=None) -> "Scenario":
        """Parse and validate scenario text.

        Parameters
        ----------
        text : str
            TOML text, as in a scenario file (``extends`` allowed).
        name : str
            The scenario's name (letters, digits, ``_`` and ``-``).
        base_dir : str or os.PathLike, optional
            Directory that relative ``extends`` and CSV paths start from;
            the current directory by default.

        Raises
        ------
        ValueError
            When the text is not a valid scenario. Messages locate the
            problem as ``<string>:LINE: KEY: ...``.
        """
        _check_name(name)
        base = os.fspath(base_dir) if base_dir is not None else os.getcwd()
        return cls(_core.parse_scenario(text, name, "<string>", base))

    @classmethod
    def from_dict(cls, d: Mapping, name: str = "scenario", base_dir=None) -> "Scenario":
        """Build a scenario from nested dictionaries, as a TOML file would hold them.

        Parameters
        ----------
        d : mapping
            For example ``{"extends": "scenarios/mali-kayes-baseline.toml",
            "months": 72, "world": {"migrants": 20000}}``. Tables are dicts,
            arrays of tables (``shocks``) lists of dicts.
        name : str
            The scenario's name.
        base_dir : str or os.PathLike, optional
            Directory that a relative ``extends`` starts from (default: the
            current directory).

        Raises
        ------
        ValueError
            When the result is not a valid scenario (``<dict>:LINE: KEY: ...``,
            the line being that of the TOML text made from ``d``).
        TypeError
            When a value has no TOML form (None, an object, ...).
        """
        _check_name(name)
        base = os.fspath(base_dir) if base_dir is not None else os.getcwd()
        return cls(_core.parse_scenario(_toml.document(d), name, "<dict>", base))

    def with_(self, overrides: Mapping | None = None, /, **kwargs) -> "Scenario":
        """A copy with some parameters changed, each named by its dotted key.

        Parameters
        ----------
        overrides : mapping, optional
            ``{dotted key: value}``; the same as keyword arguments, for keys
            that are not Python names.
        **kwargs
            ``**{"programmes.codev.share": 0.5, "months": 120}``. Values are
            Python bools, numbers, strings, lists or dicts; an index selects
            an element of an array of tables (``"shocks.0.end_month"``). A
            dict merges into the table it names, key by key: the keys it does
            not give keep their values (as in a file that ``extends``).

        Returns
        -------
        Scenario
            A new scenario with the same name, validated as if the values had
            been written in its file.

        Raises
        ------
        ValueError
            For an unknown key, a value of the wrong type or out of range, with
            the loader's message (``<override>:1: KEY: ...``).
        """
        core = self._core
        for dotted, v in {**(overrides or {}), **kwargs}.items():
            core = _core.with_override(core, dotted, _toml.value(v))
        return Scenario(core)

    def renamed(self, name: str) -> "Scenario":
        """The same scenario under another name (names must differ within one run)."""
        _check_name(name)
        return Scenario(_core.renamed(self._core, name))

    # ---- reading it ---------------------------------------------------------

    @property
    def name(self) -> str:
        """The scenario's name: the file's stem, or the name it was given."""
        return self._core.name

    @property
    def path(self) -> Path | None:
        """The file it was loaded from (None when built in memory)."""
        return Path(self._core.path) if self._core.path else None

    @property
    def months(self) -> int:
        """Months simulated."""
        return self._core.months

    def to_toml(self) -> str:
        """The full resolved TOML: every parameter, with its meaning, unit and
        range in comments. ``Scenario.from_toml(sc.to_toml(), sc.name) == sc``."""
        return self._core.toml

    def to_dict(self) -> dict:
        """Every parameter as nested dicts (``tomllib`` over :meth:`to_toml`)."""
        return tomllib.loads(self._core.toml)

    def get(self, dotted_key: str):
        """The value of one parameter, e.g. ``sc.get("programmes.codev.share")``.

        Raises
        ------
        KeyError
            When the scenario has no such key.
        """
        node = self.to_dict()
        for part in dotted_key.split("."):
            if isinstance(node, list) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]
            elif isinstance(node, dict) and part in node:
                node = node[part]
            else:
                raise KeyError(f"{dotted_key}: no such key in scenario '{self.name}'")
        return node

    def save(self, path) -> Path:
        """Write :meth:`to_toml` to ``path``; loading it back gives an equal
        scenario when the file's stem is the scenario's name."""
        path = Path(path)
        path.write_text(self.to_toml(), encoding="utf-8")
        return path

    def __eq__(self, other) -> bool:
        if not isinstance(other, Scenario):
            return NotImplemented
        return self.name == other.name and self.to_toml() == other.to_toml()

    def __hash__(self) -> int:
        return hash((self.name, self.to_toml()))

    def __repr__(self) -> str:
        d = self.to_dict()
        programmes = list(d.get("programmes", {}))
        return (
            f"Scenario({self.name!r}: {self.months} months, {d['world']['migrants']} migrants, programmes {programmes})"
        )


def _check_name(name: str) -> None:
    # Names label the scenario dimension of results files: keep them plain.
    if not isinstance(name, str) or not _NAME.match(name):
        raise ValueError(f"{name!r} is not a scenario name (allowed: letters, digits, '_' and '-')")
