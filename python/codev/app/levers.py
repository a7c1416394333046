"""The form of a scenario's main levers, built from the scenario schema.

Each field's unit, allowed values and one line of meaning come from the C++
schema (``_core.parameter_docs()``, the table that also validates files and
comments resolved ones), and a value typed in the form is checked by the
same loader, so the page says what ``codev validate`` says of the same value
in a file. Values are TOML text (``0.7``, ``1_000_000_000``, ``[3, 9]``):
what the designer types is what the saved file holds.
"""

import functools
import tomllib
from dataclasses import dataclass

from .. import _core
from ..scenario import Scenario
from .workspace import InputError, loader_message, toml_text

# The levers a designer changes, by table of the schema ("*": each programme
# of the scenario), in the order the form shows them. A component's table
# (technical assistance, loan) is shown when the scenario has it.
LEVERS: dict[str, tuple[str, ...]] = {
    "": ("months",),
    "programmes.*": (
        "rule",
        "share",
        "ratio",
        "commune_share",
        "cap_xof",
        "floor_xof",
        "budget_per_year_xof",
        "carry_over",
        "total_budget_xof",
        "call_months",
        "selection",
        "approval_probability",
        "start_year",
        "end_year",
    ),
    "programmes.*.technical_assistance": ("cost_xof", "failure_factor", "overrun_factor"),
    "programmes.*.loan": ("amount_xof", "interest_rate", "grace_years", "tenor_years"),
    "fees": ("formal_fee_pct",),
}


@dataclass(frozen=True)
class Field:
    """One lever of one scenario: its dotted key and what the schema says of it."""

    key: str  # "programmes.codev.share"
    group: str  # "programmes.codev", "" for the top level
    name: str  # "share"
    unit: str
    doc: str
    allowed: str
    value: str  # the scenario's value as TOML text ("" when unset)
    choices: tuple[str, ...] = ()  # TOML texts of the allowed names, for a choice


@functools.cache
def schema() -> dict[tuple[str, str], dict]:
    """The schema's entry of each parameter, by (table, key)."""
    return {(d["table"], d["key"]): d for d in _core.parameter_docs()}


def fields(scenario: Scenario) -> list[Field]:
    """The levers of ``scenario``, each with its current value."""
    tree = scenario.to_dict()
    found = []
    for table, keys in LEVERS.items():
        for group, values in _tables(tree, table):
            for key in keys:
                doc = schema().get((table, key))
                if doc is None:
                    raise KeyError(f"the form names '{table}.{key}', which is not in the scenario schema")
                found.append(
                    Field(
                        key=f"{group}.{key}" if group else key,
                        group=group,
                        name=key,
                        unit=doc["unit"],
                        doc=doc["doc"],
                        allowed=doc["allowed"],
                        value=toml_text(values[key]) if key in values else "",
                        choices=_choices(doc["allowed"]),
                    )
                )
    return found


def apply(
    scenario: Scenario, submitted: dict[str, str]
) -> tuple[Scenario, dict[str, str], dict[str, InputError | str]]:
    """``scenario`` with the form's values: (the new scenario, the values
    changed by key, the problems by key). Each changed value is checked by the
    scenario loader; the values of one table go in together, so that two
    values checked against each other (a share and the commune's share) can
    change at once. With any problem, the scenario comes back unchanged. A
    problem is the loader's message (str) or an InputError of the page."""
    changed: dict[str, str] = {}
    problems: dict[str, InputError | str] = {}
    by_group: dict[str, dict[str, str]] = {}
    for f in fields(scenario):
        typed = " ".join(submitted.get(f.key, f.value).split())
        if typed == f.value:
            continue
        if not typed:
            problems[f.key] = InputError("error_empty")
            continue
        try:
            parsed = tomllib.loads(f"v = {typed}")["v"]
        except tomllib.TOMLDecodeError:
            problems[f.key] = InputError("error_not_toml", value=typed)
            continue
        canonical = toml_text(parsed)  # what was typed, without a comment or an odd spelling
        if canonical == f.value:
            continue
        changed[f.key] = canonical
        by_group.setdefault(f.group, {})[f.name] = canonical
    if problems:
        return scenario, changed, problems
    core = scenario._core
    for group, values in by_group.items():
        try:
            if group:
                inline = "{ " + ", ".join(f"{k} = {v}" for k, v in values.items()) + " }"
                core = _core.with_override(core, group, inline)
            else:
                for k, v in values.items():
                    core = _core.with_override(core, k, v)
        except ValueError as error:
            message = loader_message(error)
            keys = [f"{group}.{k}" if group else k for k in values]
            named = [k for k in keys if message.startswith(k + ":") or f" {k}:" in message] or keys[:1]
            problems[named[0]] = message
            return scenario, changed, problems
    return Scenario(core), changed, problems


def _tables(tree: dict, table: str):
    """(dotted name, values) of the tables ``table`` names in ``tree``."""
    if table == "":
        yield "", tree
        return
    parts = table.split(".")
    found = [("", tree)]
    for part in parts:
        step = []
        for name, node in found:
            if not isinstance(node, dict):
                continue
            if part == "*":
                step += [(f"{name}.{k}".lstrip("."), v) for k, v in node.items() if isinstance(v, dict)]
            elif isinstance(node.get(part), dict):
                step.append((f"{name}.{part}".lstrip("."), node[part]))
        found = step
    yield from found


def _choices(allowed: str) -> tuple[str, ...]:
    """The TOML texts of a choice's names ('"share", "ratio"'), else ()."""
    parts = [p.strip() for p in allowed.split(",")]
    if len(parts) > 1 and all(len(p) > 2 and p[0] == p[-1] == '"' for p in parts):
        return tuple(parts)
    return ()
