"""Sweeps from Python: ``codev.sweep``, the same as ``codev sweep``.

A sweep runs a base scenario at the points of a design over some of its
parameters (the factors, named by dotted keys): a full grid, a Latin
hypercube, Saltelli's scheme for Sobol' indices, or any N x D array (from
SALib, ``scipy.stats.qmc`` or by hand). Each point is a scenario of the
results, named ``<base>-0000``, ``<base>-0001``, ...; the ``scenario``
dimension carries the factor values as coordinates named after the keys
with ``.`` replaced by ``__`` (``programmes__codev__share``).

The jobs run in this process on the runner of ``codev.run``, on a thread of
their own. With ``out``, in blocks written to ``<out>.shards/`` as they
finish, so memory stays small whatever the size of the sweep and an
interrupted sweep continues with ``resume=True``; without, in memory.
"""

import os
from collections.abc import Mapping
from pathlib import Path

import numpy as np

from . import _core, _toml
from .ensemble import _check_writable, _integer, _wait
from .results import Results, open_results
from .scenario import Scenario

_DESIGNS = ("grid", "lhs", "sobol")


def sweep(
    base,
    factors,
    design: str = "grid",
    n: int | None = None,
    replicates: int = 1,
    seed: int = 0,
    out=None,
    design_matrix=None,
    resume: bool = False,
    progress: bool = True,
    threads: int | None = None,
    check: bool = False,
) -> Results:
    """Run a base scenario at every point of a design and return the results.

    Parameters
    ----------
    base : Scenario or path
        The scenario every point starts from.
    factors : dict or list
        ``{dotted key: (low, high) or [values]}``: a tuple of two numbers is a
        range, a list gives the values to use (numbers, strings or booleans).
        With ``design_matrix``, the keys of its columns in order (a list of
        keys, or a dict whose values are ignored).
    design : str
        ``"grid"``: every combination of ``n`` evenly spaced levels per
        range (ends included) and of the listed values, the first factor
        varying slowest; ``"lhs"``: a Latin hypercube of ``n`` points drawn
        from ``seed``; ``"sobol"``: Saltelli's scheme for ``n`` base points,
        ``n * (D + 2)`` points in the layout of SALib's
        ``saltelli.sample(problem, n, calc_second_order=False)``, so that
        ``SALib.analyze.sobol.analyze(problem, Y, calc_second_order=False)``
        takes the outputs in scenario order.
    n : int
        Levels (grid), points (lhs) or base points (sobol).
    replicates : int
        Replicates per point, 1 to 100000.
    seed : int
        Random seed of the runs (and of the Latin hypercube).
    out : str or os.PathLike, optional
        Results file to write, through shards; the returned results read
        from it. ``None`` keeps the results in memory.
    design_matrix : array-like, optional
        N x D values, one row per point, columns in the order of ``factors``;
        replaces ``design`` and ``n``. Integer parameters are rounded.
    resume : bool
        Continue an interrupted sweep into ``out`` from its finished blocks
        (it must be the same sweep: base, factors, design, seed, replicates).
    progress : bool
        Show a progress bar of the jobs.
    threads : int, optional
        Worker threads; ``None`` uses every core.
    check : bool
        Check the model's invariants every month.

    Returns
    -------
    Results
        One scenario per point; ``results.to_xarray()`` has the factors as
        coordinates along ``scenario``: ``ds.set_xindex([...]).sel(...)``,
        ``ds.groupby("programmes__codev__share")``.

    Raises
    ------
    ValueError
        For a bad factor, design or point (the message of ``codev sweep``),
        or shards of another sweep in ``<out>.shards/``.
    OSError
        When ``out`` cannot be written.
    KeyboardInterrupt
        On Ctrl-C: the jobs stop within about a second; finished blocks stay
        in ``<out>.shards/`` for ``resume=True``.

    Examples
    --------
    >>> results = codev.sweep("scenarios/codev-share-70.toml",
    ...                       {"programmes.codev.share": (0.5, 0.8), "behaviour.epsilon": [0.0, 0.3]},
    ...                       design="grid", n=4, seed=1)
    >>> ds = results.to_xarray()
    >>> ds.programme_disbursed.sum("month").groupby("programmes__codev__share").mean(...)
    """
    base = base if isinstance(base, Scenario) else Scenario.load(base)
    replicates = _integer("replicates", replicates, 1, 100_000)
    seed = _integer("seed", seed, 0, 2**64 - 1)
    threads = 0 if threads is None else _integer("threads", threads, 0, 1 << 16)
    keys, chosen = _design(base, factors, design, n, seed, design_matrix)
    command_line = f"python: codev.sweep({base.name!r}, {keys}, {chosen}, replicates={replicates}, seed={seed})"
    plan = _core.sweep_plan(
        base._core,
        _design_core(base, factors, design, n, seed, design_matrix, keys),
        replicates,
        seed,
        command_line,
        chosen,
    )
    if out is None:
        if resume:
            raise ValueError("resume=True needs the out file of the interrupted sweep")
        job = _core.run_in_memory(plan, threads, bool(check))
        _wait_for_jobs(job, progress)
        return Results._from_image(job.image())
    out = Path(out)
    _check_writable(out, base._core.sources)
    job = _core.run_sharded(plan, os.fspath(out), bool(resume), threads, bool(check))
    # Interrupted, the jobs stop and the finished blocks stay for resume=True.
    _wait_for_jobs(job, progress)
    return open_results(out)


def _design(base, factors, design, n, seed, design_matrix):
    """The factor keys and a one-line description of the design."""
    if isinstance(factors, Mapping) or (
        isinstance(factors, (list, tuple)) and all(isinstance(k, str) for k in factors)
    ):
        keys = list(factors)
    else:
        raise ValueError("factors: expected {dotted key: (low, high) or [values]}, or a list of keys")
    if not keys:
        raise ValueError("factors: a sweep needs at least one factor")
    if design_matrix is not None:
        return keys, f"design_matrix of {len(np.asarray(design_matrix))} points"
    if design not in _DESIGNS:
        raise ValueError(f"design: {design!r} is not a design (allowed: {', '.join(_DESIGNS)})")
    if not isinstance(factors, Mapping):
        raise ValueError("factors: give {dotted key: (low, high) or [values]} for a design")  # noqa: TRY004 (the API raises ValueError for bad arguments)
    return keys, f"design {design}, n {n}, factors {dict(factors)}"


def _design_core(base, factors, design, n, seed, design_matrix, keys):
    if design_matrix is not None:
        matrix = np.asarray(design_matrix, dtype=float)
        if matrix.ndim != 2 or matrix.shape[1] != len(keys):
            raise ValueError(
                f"design_matrix: expected N x {len(keys)} values (one column per factor), got shape {matrix.shape}"
            )
        return _core.matrix_design(base._core, keys, matrix.tolist())
    specs = [_factor(key, values) for key, values in factors.items()]
    levels = 0 if n is None else _integer("n", n, 0, 10_000_000)
    return _core.make_design(base._core, specs, design, levels, seed)


def _factor(key, values):
    if isinstance(values, tuple):
        if len(values) != 2:
            raise ValueError(f"{key}: a range is a tuple (low, high), got {values!r}")
        low, high = (float(v) for v in values)
        if not low <= high:
            raise ValueError(f"{key}: low {low} is above high {high}")
        return _core.range_factor(key, low, high)
    if isinstance(values, (list, np.ndarray)):
        if len(values) == 0:
            raise ValueError(f"{key}: no values listed")
        return _core.listed_factor(key, [_toml.value(v) for v in values])
    raise ValueError(f"{key}: expected a range (low, high) or a list of values, got {values!r}")


def _wait_for_jobs(job, show: bool) -> None:
    _wait(job, show, lambda: (job.jobs_done, job.jobs_total), desc="codev sweep", unit=" jobs", unit_scale=False)
    job.result()  # raises what the run raised
