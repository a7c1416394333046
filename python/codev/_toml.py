"""TOML text from Python values: the values of ``Scenario.with_`` and the
nested tables of ``Scenario.from_dict``.

A small writer for what scenarios hold (tables, arrays of tables, strings,
numbers, booleans, arrays); reading TOML is ``tomllib``'s job.
"""

import math
import numbers
import re
from collections.abc import Mapping

import numpy as np

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+\Z")
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


def value(v) -> str:
    """The TOML text of one value.

    ``True`` gives ``true``, ``3`` gives ``3``, ``1e9`` gives ``1000000000.0``,
    ``"x"`` gives ``"x"`` (escaped), lists give arrays and mappings inline
    tables. NumPy scalars and arrays are accepted.

    Raises
    ------
    TypeError
        For a value with no TOML form (None, a date object, ...).
    """
    if isinstance(v, (bool, np.bool_)):
        return "true" if v else "false"
    if isinstance(v, numbers.Integral):
        return str(int(v))
    if isinstance(v, numbers.Real):
        return _float(float(v))
    if isinstance(v, str):
        return _string(v)
    if isinstance(v, Mapping):
        items = ", ".join(f"{key(k)} = {value(x)}" for k, x in v.items())
        return "{ " + items + " }" if items else "{}"
    if isinstance(v, (list, tuple, np.ndarray)):
        return "[" + ", ".join(value(x) for x in v) + "]"
    raise TypeError(f"a {type(v).__name__} has no TOML form (use a bool, number, string, list or dict)")


def key(k) -> str:
    """A key as TOML writes it: bare when it can be, else quoted."""
    if not isinstance(k, str):
        raise TypeError(f"TOML keys are strings, not {type(k).__name__} ({k!r})")
    return k if _BARE_KEY.match(k) else _string(k)


def document(table: Mapping) -> str:
    """TOML text of a nested mapping: scalars first, then ``[sub.tables]``,
    then ``[[arrays.of.tables]]`` (lists whose items are all mappings)."""
    lines: list[str] = []
    _write_table(lines, table, ())
    return "\n".join(lines) + "\n"


def _float(x: float) -> str:
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return repr(x)  # always has '.' or an exponent, both valid TOML floats


def _string(s: str) -> str:
    out = []
    for ch in s:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _is_array_of_tables(v) -> bool:
    return isinstance(v, (list, tuple)) and len(v) > 0 and all(isinstance(x, Mapping) for x in v)


def _write_table(lines: list[str], table: Mapping, path: tuple) -> None:
    scalars = {k: v for k, v in table.items() if not isinstance(v, Mapping) and not _is_array_of_tables(v)}
    tables = {k: v for k, v in table.items() if isinstance(v, Mapping)}
    arrays = {k: v for k, v in table.items() if _is_array_of_tables(v)}
    header = ".".join(key(k) for k in path)
    # A table with only sub-tables is implied by their headers; an empty one is not.
    if path and (scalars or not (tables or arrays)):
        lines.append(f"\n[{header}]")
    lines += [f"{key(k)} = {value(v)}" for k, v in scalars.items()]
    for k, sub in tables.items():
        _write_table(lines, sub, (*path, k))
    for k, items in arrays.items():
        name = ".".join(key(p) for p in (*path, k))
        for item in items:
            lines.append(f"\n[[{name}]]")
            lines += [f"{key(ik)} = {value(iv)}" for ik, iv in item.items()]
