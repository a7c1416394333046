"""Inverse policy search: the smallest value of one policy factor that meets
a target with a given probability (docs/decision-analysis.md).

``codev.search(base, factor="programmes.codev.budget_per_year_xof",
target="projects_completed >= 100", probability=0.9, bounds=(1e8, 2e9))``
bisects the factor between its bounds. At each value it runs the same
replicates with the same seed (common random numbers, docs/model.md 4.2):
replicate r meets the same world at every value, so the share of replicates
meeting the target moves only through the factor, and bisection on it is
steady. The answer is the smallest value evaluated whose share reaches the
probability; its uncertainty is the bracket left (the largest value that
fell short, the answer) and a Wilson interval on the share at the answer
(the replicates are a sample of the model's randomness).

The response is assumed to rise with the factor; the search checks this on
the values it evaluated and says when it does not hold.

From the shell: ``codev search BASE.toml --factor KEY --target "INDICATOR >= X"
--bounds LOW:HIGH [--probability P] [--replicates N] [--seed S]``, which runs
``python -m codev.search`` (:mod:`codev.search`; this module is apart so that
``import codev``, which gives ``codev.search``, does not load that one).
"""

import dataclasses
import json
import math
import operator
import re
import sys

import numpy as np
import pandas as pd

from ..ensemble import run
from ..scenario import Scenario
from . import _factors

_OPERATORS = {">=": operator.ge, ">": operator.gt, "<=": operator.le, "<": operator.lt}
_TARGET = re.compile(r"^\s*(\w+)\s*(>=|<=|>|<)\s*([-+0-9.eE_]+)\s*$")


@dataclasses.dataclass(frozen=True)
class SearchResult:
    """What :func:`search` found.

    Attributes
    ----------
    factor, target : str
        The factor searched and the target, as given.
    probability : float
        The probability the target must be met with.
    found : bool
        Whether the target is met with that probability within the bounds.
    value : float or int
        The smallest value evaluated that meets it (NaN when not found).
    bracket : tuple of two numbers
        The largest value evaluated that fell short and ``value``: the answer
        lies between them; ``(NaN, low)`` when the lower bound already meets
        the target, ``(high, NaN)`` when the upper bound does not.
    share : float
        Share of replicates meeting the target at ``value`` (NaN when not found).
    interval : tuple of two floats
        Wilson interval of that share at ``confidence``.
    replicates, seed : int
        Replicates per evaluation and their seed (the same at every value).
    monotone : bool
        Whether the shares evaluated rise with the factor, as bisection assumes.
    evaluations : pandas.DataFrame
        Every evaluation in order: ``value``, ``met`` (replicates meeting the
        target), ``undefined`` (replicates where the indicator is NaN, counted
        as not meeting it), ``share``, ``low``, ``high``.
    """

    factor: str
    target: str
    probability: float
    found: bool
    value: float
    bracket: tuple
    share: float
    interval: tuple
    replicates: int
    seed: int
    monotone: bool
    evaluations: pd.DataFrame = dataclasses.field(repr=False)

    def __str__(self) -> str:
        if not self.found:
            return (
                f"{self.target} is not met with probability {self.probability:g} within the bounds: "
                f"at {self.factor} = {self.bracket[0]:,} the share is {self._share_at(self.bracket[0]):.3f}"
            )
        low, high = self.interval
        lines = [
            (
                f"{self.factor} = {self.value:,}: {self.target} in {self.share:.3f} of {self.replicates} "
                f"replicates (Wilson {self._confidence_percent} % interval {low:.3f}-{high:.3f}; "
                f"wanted {self.probability:g})"
            )
        ]
        if math.isnan(self.bracket[0]):
            lines.append("the lower bound already meets the target: the answer may be lower")
        else:
            lines.append(
                f"bracket: {self.bracket[0]:,} (short) to {self.bracket[1]:,} (meets), "
                f"width {self.bracket[1] - self.bracket[0]:,}"
            )
        if not self.monotone:
            lines.append(
                "warning: the share meeting the target does not rise with the factor over the values "
                "evaluated; bisection may have missed a smaller value"
            )
        return "\n".join(lines)

    @property
    def _confidence_percent(self) -> str:
        return f"{100 * self.evaluations.attrs.get('confidence', 0.95):g}"

    def _share_at(self, value) -> float:
        return float(self.evaluations.loc[self.evaluations["value"] == value, "share"].iloc[0])

    def to_dict(self) -> dict:
        """The result as plain Python values (the ``--json`` line of ``codev search``)."""
        fields = {f.name: getattr(self, f.name) for f in dataclasses.fields(self) if f.name != "evaluations"}
        fields["evaluations"] = self.evaluations.to_dict(orient="records")
        return json.loads(json.dumps(fields, default=_plain))


def search(
    base,
    factor: str,
    target: str,
    probability: float = 0.9,
    bounds=None,
    replicates: int = 40,
    seed: int = 0,
    tolerance: float | None = None,
    max_evaluations: int = 30,
    confidence: float = 0.95,
    threads: int | None = None,
    progress: bool = False,
) -> SearchResult:
    """The smallest value of one factor that meets a target with a given probability.

    Parameters
    ----------
    base : Scenario or path
        The policy scenario; only ``factor`` changes.
    factor : str
        Dotted key of a numeric parameter, e.g.
        ``"programmes.codev.budget_per_year_xof"``; integer parameters are
        searched over integers.
    target : str
        ``"INDICATOR OP NUMBER"``: an indicator of :mod:`codev.indicators`,
        one of ``>=``, ``>``, ``<=``, ``<``, and a number, e.g.
        ``"projects_completed >= 100"``. A replicate where the indicator is
        NaN does not meet the target.
    probability : float
        Share of replicates that must meet the target, in (0, 1].
    bounds : (low, high)
        The interval searched.
    replicates : int
        Replicates at each value; the share's Wilson interval narrows as
        ``1 / sqrt(replicates)``.
    seed : int
        Seed of every evaluation (common random numbers).
    tolerance : float, optional
        Stop when the bracket is this narrow (default: a hundredth of the bounds).
    max_evaluations : int
        Stop after this many evaluations, whatever the bracket.
    confidence : float
        Confidence level of the Wilson intervals.
    threads : int, optional
        Worker threads (None: every core).
    progress : bool
        Print a line per evaluation on stderr.

    Returns
    -------
    SearchResult
        ``str(result)`` says it in words.

    Raises
    ------
    ValueError
        For a malformed target, an unknown indicator, bad bounds or
        probability, or a value the scenario refuses.
    KeyError
        For a factor the scenario does not have.
    """
    base = base if isinstance(base, Scenario) else Scenario.load(base)
    goal = parse_target(target)
    low, high = _bounds(bounds)
    if not 0 < probability <= 1:
        raise ValueError(f"probability: {probability} is not in (0, 1]")
    integer = isinstance(base.get(factor), int) and not isinstance(base.get(factor), bool)
    tolerance = max((high - low) / 100 if tolerance is None else float(tolerance), 1 if integer else 0)
    evaluate = _Evaluator(base, factor, goal, replicates, seed, confidence, threads, progress, integer)
    if evaluate(high) < probability:
        return evaluate.result(target, probability, found=False, bracket=(evaluate.value(high), math.nan))
    if evaluate(low) >= probability:
        return evaluate.result(target, probability, found=True, bracket=(math.nan, evaluate.value(low)))
    low, high = evaluate.value(low), evaluate.value(high)
    while high - low > tolerance and len(evaluate.rows) < max_evaluations:
        middle = evaluate.value((low + high) / 2)
        if middle in (low, high):
            break
        if evaluate(middle) >= probability:
            high = middle
        else:
            low = middle
    return evaluate.result(target, probability, found=True, bracket=(low, high))


def parse_target(text: str):
    """``"projects_completed >= 100"`` -> ``("projects_completed", ">=", 100.0)``.

    Raises
    ------
    ValueError
        When the text is not ``INDICATOR OP NUMBER`` or names no indicator.
    """
    match = _TARGET.match(str(text))
    if not match:
        raise ValueError(f"target: {text!r} is not 'INDICATOR OP NUMBER' (OP one of {', '.join(_OPERATORS)})")
    name, comparison, number = match.groups()
    _factors.check_indicator(name, context="target: ")
    try:
        return name, comparison, float(number)
    except ValueError:
        raise ValueError(f"target: {number!r} is not a number") from None


class _Evaluator:
    """Runs the base at one value of the factor and keeps every evaluation."""

    def __init__(self, base, factor, goal, replicates, seed, confidence, threads, progress, integer):
        self.base, self.factor, self.goal = base, factor, goal
        self.replicates, self.seed, self.confidence = replicates, seed, confidence
        self.threads, self.progress, self.integer = threads, progress, integer
        self.rows = []

    def value(self, x):
        return round(x) if self.integer else float(x)

    def __call__(self, x) -> float:
        """The share of replicates meeting the target at factor value ``x``."""
        x = self.value(x)
        scenario = self.base.with_(**{self.factor: x})
        ds = run(
            [scenario], replicates=self.replicates, seed=self.seed, threads=self.threads, progress=False
        ).to_xarray()
        name, comparison, threshold = self.goal
        values = _factors.indicator(ds, name).values.ravel()
        met = int(np.sum(_OPERATORS[comparison](values[~np.isnan(values)], threshold)))
        low, high = _factors.wilson_interval(met, len(values), self.confidence)
        self.rows.append(
            {
                "value": x,
                "met": met,
                "undefined": int(np.isnan(values).sum()),
                "share": met / len(values),
                "low": low,
                "high": high,
            }
        )
        if self.progress:
            print(
                f"codev search: {self.factor} = {x:,}: {met} of {len(values)} replicates meet the target",
                file=sys.stderr,
            )
        return met / len(values)

    def result(self, target, probability, found, bracket) -> SearchResult:
        rows = pd.DataFrame(self.rows)
        rows.attrs["confidence"] = self.confidence
        share, interval = math.nan, (math.nan, math.nan)
        if found:
            answer = rows.loc[rows["value"] == bracket[1]].iloc[0]
            share, interval = float(answer["share"]), (float(answer["low"]), float(answer["high"]))
        by_value = rows.sort_values("value")["share"].to_numpy()
        return SearchResult(
            factor=self.factor,
            target=target,
            probability=probability,
            found=found,
            value=bracket[1] if found else math.nan,
            bracket=bracket,
            share=share,
            interval=interval,
            replicates=self.replicates,
            seed=self.seed,
            monotone=bool(np.all(np.diff(by_value) >= 0)),
            evaluations=rows,
        )


def _bounds(bounds):
    if bounds is None or len(bounds) != 2:
        raise ValueError(f"bounds: expected (low, high), got {bounds!r}")
    low, high = (float(b) for b in bounds)
    if not low < high:
        raise ValueError(f"bounds: low {low} is not below high {high}")
    return low, high


def _plain(value):
    """JSON for NumPy numbers (NaN becomes null)."""
    if isinstance(value, np.generic):
        value = value.item()
    return None if isinstance(value, float) and math.isnan(value) else value
