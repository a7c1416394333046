"""Global sensitivity analysis through SALib: which factors drive an indicator.

Three steps (docs/decision-analysis.md has a worked example):

1. :func:`sample` draws a design from SALib's problem dict, whose ``names``
   are dotted scenario keys and ``bounds`` their ranges;
2. ``codev.sweep(base, problem["names"], design_matrix=design)`` runs the
   model at each point (same seed for every point: common random numbers,
   docs/model.md 4.2);
3. :func:`analyze` gives a tidy table of the indices with their confidence
   intervals, from the outputs (an array) or straight from the results
   (results or file, and an indicator name of :mod:`codev.indicators`).

Sobol' (Saltelli's scheme, ``calc_second_order=False``, the layout of
``codev sweep --design sobol``) gives the first-order index ``S1`` (share of
the output's variance due to the factor alone) and the total index ``ST``
(its share with all its interactions); Morris's elementary effects give
``mu_star`` (mean absolute effect of moving the factor over its range),
``mu`` (the signed mean) and ``sigma`` (their spread: non-linearity or
interactions). The sampling and the estimates are SALib's; this module only
checks what goes in (design order, NaN) and shapes what comes out.

SALib is an optional dependency: ``pip install 'codev[analysis]'``.
"""

import importlib
import os

import numpy as np
import pandas as pd
import xarray as xr

from ..results import Results, open_results
from . import _factors

METHODS = ("sobol", "morris")
# (index, its confidence half-width in SALib's output or None), per method.
_INDICES: dict[str, list[tuple[str, str | None]]] = {
    "sobol": [("S1", "S1_conf"), ("ST", "ST_conf")],
    "morris": [("mu_star", "mu_star_conf"), ("mu", None), ("sigma", None)],
}


def sample(problem: dict, n: int, method: str = "sobol", seed: int | None = None, num_levels: int = 4) -> pd.DataFrame:
    """A design for :func:`analyze`, drawn by SALib's sampler.

    Parameters
    ----------
    problem : dict
        SALib's problem: ``names`` (dotted scenario keys, e.g.
        ``"behaviour.epsilon"``), ``bounds`` (``[low, high]`` per name) and
        optionally ``groups`` or ``dists``; ``num_vars`` may be left out.
    n : int
        Sobol': base points (a power of 2), giving ``n * (D + 2)`` points;
        Morris: trajectories, giving ``n * (D + 1)`` points (D factors or
        groups).
    method : {"sobol", "morris"}
        ``"sobol"``: ``SALib.sample.sobol.sample(..., calc_second_order=False)``;
        ``"morris"``: ``SALib.sample.morris.sample``.
    seed : int, optional
        Seed of the sampler (the design is then reproducible).
    num_levels : int
        Morris: levels of the grid each factor moves on (give the same to
        :func:`analyze`).

    Returns
    -------
    pandas.DataFrame
        One row per point (index ``point``), one column per name, in SALib's
        order: run it with ``codev.sweep(base, problem["names"],
        design_matrix=design)`` and keep the order.

    Raises
    ------
    ValueError
        For an unknown method or a malformed problem.
    ImportError
        When SALib is not installed.
    """
    problem = _problem(problem)
    sampler = _salib("sample", _method(method))
    if method == "sobol":
        points = sampler.sample(problem, int(n), calc_second_order=False, seed=seed)
    else:
        points = sampler.sample(problem, int(n), num_levels=num_levels, seed=seed)
    return pd.DataFrame(points, columns=problem["names"]).rename_axis("point")


def analyze(
    problem: dict,
    X,
    Y,
    method: str = "sobol",
    seed: int | None = None,
    conf_level: float = 0.95,
    num_resamples: int = 100,
    num_levels: int = 4,
) -> pd.DataFrame:
    """Sensitivity indices with their confidence intervals, by SALib's analyzer.

    Parameters
    ----------
    problem : dict
        The problem given to :func:`sample`.
    X : array-like, codev.Results or path
        The design, N x D in the order it was run; or the results of the
        sweep that ran it (a :class:`codev.Results` or a results file), whose
        factor coordinates then give the design.
    Y : array-like or str
        The output at each point (N values, no NaN); or, with results for
        ``X``, the name of an indicator of :mod:`codev.indicators`, averaged
        over each point's replicates.
    method : {"sobol", "morris"}
        The method the design was drawn for.
    seed : int, optional
        Seed of the bootstrap behind the confidence intervals (SALib treats
        0 as no seed).
    conf_level : float
        Confidence level of the intervals (SALib's bootstrap).
    num_resamples : int
        Bootstrap resamples.
    num_levels : int
        Morris: the levels given to :func:`sample`.

    Returns
    -------
    pandas.DataFrame
        Tidy: one row per factor and index, columns ``factor`` (the name, or
        the group), ``index`` (``S1``, ``ST``; or ``mu_star``, ``mu``,
        ``sigma``), ``value``, ``conf`` (half-width of the interval; NaN where
        SALib gives none), ``low``, ``high``. ``attrs`` hold the method, the
        confidence level, the number of points and the output's name.
        ``frame.pivot(index="factor", columns="index", values="value")`` gives
        the wide table.

    Raises
    ------
    ValueError
        When an output is NaN (the message names its rows, or its scenarios
        and replicates: failed or undefined runs are reported, never
        dropped), when the output does not vary, when ``X`` and ``Y`` differ
        in length, when the design is not in the order the method needs, or
        lies outside the bounds.
    TypeError
        When ``X`` is results but ``Y`` is not an indicator name.
    ImportError
        When SALib is not installed.
    """
    problem, method = _problem(problem), _method(method)
    output = Y if isinstance(Y, str) else "Y"
    if isinstance(Y, str):
        X, Y = _from_results(problem, X, Y)
    else:
        X, Y = _arrays(problem, X), np.asarray(Y, dtype=float).ravel()
        _check_outputs(X, Y)
    _check_bounds(problem, X)
    if np.ptp(Y) == 0:
        raise ValueError(f"{output} is the same at every point: there is no variance to attribute")
    if method == "sobol":
        _check_saltelli_layout(problem, X)
        found = _salib("analyze", method).analyze(
            problem, Y, calc_second_order=False, conf_level=conf_level, num_resamples=num_resamples, seed=seed
        )
    else:
        found = _salib("analyze", method).analyze(
            problem, X, Y, conf_level=conf_level, num_levels=num_levels, num_resamples=num_resamples, seed=seed
        )
    table = _tidy(_labels(problem), found, method)
    table.attrs = {"method": method, "conf_level": conf_level, "points": len(Y), "output": output}
    return table


def _problem(problem: dict) -> dict:
    """A copy of SALib's problem dict, checked, with ``num_vars``."""
    if not isinstance(problem, dict) or "names" not in problem or "bounds" not in problem:
        raise ValueError("problem: expected SALib's dict with 'names' (dotted keys) and 'bounds' ([low, high] each)")
    names, bounds = list(problem["names"]), [list(map(float, b)) for b in problem["bounds"]]
    if not names or len(bounds) != len(names) or any(len(b) != 2 for b in bounds):
        raise ValueError(f"problem: {len(names)} names need as many [low, high] bounds, got {problem['bounds']}")
    uniform = all(d == "unif" for d in problem.get("dists", ["unif"] * len(names)))
    for name, (low, high) in zip(names, bounds, strict=True):
        if uniform and not low < high:
            raise ValueError(f"problem: {name}: low {low} is not below high {high}")
    return {**problem, "names": names, "bounds": bounds, "num_vars": len(names)}


def _method(method: str) -> str:
    if method not in METHODS:
        raise ValueError(f"method: {method!r} is not a method (allowed: {', '.join(METHODS)})")
    return method


def _salib(kind: str, method: str):
    """SALib's ``SALib.<kind>.<method>`` module, imported when first needed."""
    try:
        return importlib.import_module(f"SALib.{kind}.{method}")
    except ImportError as error:
        raise ImportError("codev.sensitivity needs SALib: pip install 'codev[analysis]'") from error


def _labels(problem: dict) -> list[str]:
    """The factors SALib reports on: the names, or the groups when given."""
    return list(dict.fromkeys(problem.get("groups") or problem["names"]))


def _from_results(problem: dict, results, name: str):
    """The design and the outputs (mean over replicates) of a sweep's results."""
    ds = _dataset(results)
    X = _factors.factor_table(ds, problem["names"]).to_numpy(dtype=float)
    values = _factors.indicator(ds, name)
    _factors.check_no_nan(values, name)
    return X, values.mean("replicate").values


def _arrays(problem: dict, X) -> np.ndarray:
    if isinstance(X, (str, os.PathLike, Results)):
        raise TypeError("with results for X, give Y as the name of an indicator (e.g. 'people_served')")
    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or X.shape[1] != problem["num_vars"]:
        raise ValueError(f"X: expected N x {problem['num_vars']} values (one column per name), got shape {X.shape}")
    return X


def _check_outputs(X: np.ndarray, Y: np.ndarray) -> None:
    if len(Y) != len(X):
        raise ValueError(f"Y has {len(Y)} values for {len(X)} points of X")
    message = _factors.nan_rows_message(Y)
    if message:
        raise ValueError(f"{message}. Failed or undefined runs cannot be analysed: rerun or replace those points")


def _check_bounds(problem: dict, X: np.ndarray) -> None:
    """Every point within its bounds (the wrong sweep's results fail here);
    half a unit of slack for integer factors, which the sweep rounds."""
    if any(d != "unif" for d in problem.get("dists", [])):
        return
    low, high = np.array(problem["bounds"]).T
    integer = np.all(X == np.round(X), axis=0)
    slack = np.where(integer, 0.5, 1e-9 * (high - low))
    outside = np.flatnonzero(np.any((X < low - slack) | (X > high + slack), axis=1))
    if outside.size:
        raise ValueError(
            f"X: {outside.size} points lie outside the problem's bounds (rows "
            f"{_factors.listed(outside)}): is this the sweep of this problem?"
        )


def _check_saltelli_layout(problem: dict, X: np.ndarray) -> None:
    """Saltelli's layout without second order: blocks of D + 2 rows A, AB_1,
    ..., AB_D, B, where AB_i is A with factor (or group) i taken from B."""
    labels = _labels(problem)
    groups = problem.get("groups") or problem["names"]
    size = len(labels) + 2
    if len(X) == 0 or len(X) % size:
        raise ValueError(
            f"X: {len(X)} points are not a Sobol' design of {len(labels)} factors (a multiple of {size} is needed)"
        )
    blocks = X.reshape(-1, size, X.shape[1])
    first, last = blocks[:, 0], blocks[:, -1]
    for i, label in enumerate(labels):
        from_last = np.array([group == label for group in groups])
        if not np.array_equal(blocks[:, 1 + i], np.where(from_last, last, first)):
            raise ValueError(
                "X is not in the order of a Sobol' design from sample(..., method='sobol'): "
                "run the design in its order (codev.sweep(design_matrix=...) keeps it)"
            )


def _tidy(labels: list[str], found, method: str) -> pd.DataFrame:
    rows = []
    for label_index, label in enumerate(labels):
        for index, conf_key in _INDICES[method]:
            value = float(found[index][label_index])
            conf = float(found[conf_key][label_index]) if conf_key else np.nan
            rows.append(
                {
                    "factor": label,
                    "index": index,
                    "value": value,
                    "conf": conf,
                    "low": value - conf,
                    "high": value + conf,
                }
            )
    return pd.DataFrame(rows)


def _dataset(results) -> xr.Dataset:
    """The Dataset of a :class:`codev.Results` or of a results file's path."""
    if isinstance(results, (str, os.PathLike)):
        return open_results(results).to_xarray()
    if hasattr(results, "to_xarray"):
        return results.to_xarray()
    raise ValueError(f"expected codev results or the path of a results file, got {type(results).__name__}")
