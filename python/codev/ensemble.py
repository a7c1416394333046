"""Running ensembles from Python: ``codev.run``.

Every run, here and in ``codev.sweep``, is a plan of jobs run by the one C++
runner on a thread of its own (``codev::BackgroundRun``, ``_core.Run``);
this thread waits for it in slices of 0.1 s with the GIL released, so other
Python threads keep running, the progress bar moves and Ctrl-C (a
KeyboardInterrupt, or "interrupt kernel" in Jupyter) is seen within a slice,
stops every job after its current month and leaves no file behind. Results
kept in memory come back as the bytes of the results file made in memory,
which xarray reads as they are: one layout, no temporary file.
"""

import operator
import os
import warnings
from collections.abc import Callable
from pathlib import Path

from . import _core
from . import precision as _precision
from .results import Results, open_results
from .scenario import Scenario

_WAIT_SECONDS = 0.1
_MAX_REPLICATES = 100_000  # as `codev run --replicates`


def run(
    scenarios,
    replicates: int = 10,
    seed: int | None = None,
    threads: int | None = None,
    out=None,
    progress: bool = True,
    check: bool = False,
    precision=None,
    baseline: str | None = None,
    paired: bool = False,
    batch: int | None = None,
    max_replicates: int | None = None,
    from_states=None,
    save_state: int | str | None = None,
    state_dir=None,
) -> Results:
    """Run every scenario with the same replicates and write or return the results.

    Replicate ``r`` of every scenario uses the same random streams (common
    random numbers), so differences between scenarios are measured replicate
    by replicate (:meth:`Results.compare`). The results depend only on the
    scenarios, ``seed`` and ``replicates``: not on ``threads``, nor on the
    order of the scenarios. ``codev run`` gives the same numbers.

    Parameters
    ----------
    scenarios : Scenario, path, or a list of them
        Scenarios to run; paths are loaded with :meth:`Scenario.load`. Names
        must differ (see :meth:`Scenario.renamed`).
    replicates : int
        Replicates per scenario, 1 to 100000.
    seed : int, optional
        Random seed, 0 to 2**64 - 1 (default 0; with ``from_states``, theirs).
    threads : int, optional
        Worker threads; ``None`` (or 0) uses every core.
    out : str or os.PathLike, optional
        Results file (HDF5) to write; the returned results read from it.
        ``None`` keeps the results in memory only.
    progress : bool
        Show a progress bar (tqdm: a widget in Jupyter, a line in a terminal).
    check : bool
        Check the model's invariants every month (slower; ``codev run --check``).
    precision : dict, optional
        ``{indicator: tolerance}``, e.g. ``{"projects_completed_total": 5}``:
        after the first ``replicates``, add rounds of replicates until the
        half-width of the 95 % confidence interval of each indicator (one of
        :data:`codev.indicators.INDICATORS`, the per-job values the results
        file stores, e.g. ``people_reached``) is under its tolerance for
        every scenario, as ``codev run --precision``. The results are those of
        a run with the final number of replicates; ``Results.precision`` says
        what was needed. See docs/decision-analysis.md, section 5.
    baseline : str, optional
        With ``precision``: measure each scenario's difference with this one
        (Welch's interval for independent samples) instead of its mean.
    paired : bool
        With ``baseline``: measure the mean of replicate-by-replicate
        differences (common random numbers make it much narrower).
    batch : int, optional
        With ``precision``: replicates per added round (default: ``replicates``).
    max_replicates : int, optional
        With ``precision``: stop there even if a tolerance is not met (default
        1000); a warning then says which, and ``Results.precision.attrs["met"]``
        is False.
    from_states : str or os.PathLike, optional
        A directory of one scenario's statepoints (``save_state`` wrote them,
        or ``codev run --save-state``): every replicate continues its
        statepoint under the scenarios given, which may differ from the
        statepoints' scenario only in what starts at or after their month
        (programmes, shocks, fee paths). The results are those of runs from
        the first month with the statepoints' seed. See docs/statepoints.md.
    save_state : int or str, optional
        Save every replicate's state at the start of this month (a month
        number, negative in the spin-up, or ``"YYYY-MM"``) in
        ``state_dir/SCENARIO/``, for a later ``from_states``.
    state_dir : str or os.PathLike, optional
        Where ``save_state`` writes (default: ``out`` with ``.states`` for
        ``.h5``; required when ``out`` is None).

    Returns
    -------
    Results
        The results, in memory or backed by ``out``.

    Raises
    ------
    ValueError
        For an invalid scenario, argument, or repeated scenario name.
    OSError
        When ``out`` cannot be written (checked before the run starts).
    KeyboardInterrupt
        On Ctrl-C: the run stops within about a second and no file is
        written (``out`` keeps what it held before).
    RuntimeError
        When a check of ``check=True`` fails.

    Warns
    -----
    UserWarning
        When ``max_replicates`` was reached before every ``precision`` trigger was met.

    Examples
    --------
    >>> base = codev.Scenario.load("tests/data/small/mali-kayes-baseline.toml")
    >>> policy = codev.Scenario.load("tests/data/small/codev-share-70.toml")
    >>> results = codev.run([base, policy], replicates=5, seed=1)
    >>> results.compare(baseline="mali-kayes-baseline")   # what each policy adds
    """
    runs, replicates, seed, threads = _arguments(scenarios, replicates, seed, threads)
    if out is not None:
        out = Path(out)
        _check_writable(out, [source for s in runs for source in s._core.sources])
    if save_state is not None and state_dir is None and out is None:
        raise ValueError("save_state: give state_dir (or out, beside which the states go)")
    if from_states is not None and precision is not None:
        raise ValueError("precision adds replicates that from_states has no statepoints for: give replicates")
    states, seed = _core.state_setup(
        [s._core for s in runs],
        replicates,
        seed,
        "" if from_states is None else os.fspath(from_states),
        "" if save_state is None else str(save_state),
        "" if state_dir is None else os.fspath(state_dir),
        "" if out is None else os.fspath(out),
    )
    names = [s.name for s in runs]
    command_line = f"python: codev.run({names}, replicates={replicates}, seed={seed}, threads={threads or None}"
    if from_states is not None:
        command_line += f", from_states={os.fspath(from_states)!r}"
    if save_state is not None:
        command_line += f", save_state={save_state!r}, state_dir={states.save_directory!r}"
    if precision is None:
        if baseline is not None or paired or batch is not None or max_replicates is not None:
            raise ValueError("baseline, paired, batch and max_replicates apply only with precision")
        rule = {}
    else:
        rule = _precision_rule(precision, baseline, paired, batch, max_replicates)
        command_line += ", " + ", ".join(f"{key}={value!r}" for key, value in rule.items())
    plan = _core.scenarios_plan([s._core for s in runs], replicates, seed, command_line + ")")
    job = _core.run_in_memory(plan, threads, bool(check), **rule, states=states)
    _wait(job, progress, lambda: (job.months_done, job.months_total))
    if out is not None:
        job.write(os.fspath(out))
        return _warn_if_imprecise(open_results(out))
    return _warn_if_imprecise(Results._from_image(job.image()))


def start(scenarios, replicates: int = 10, seed: int | None = None, threads: int | None = None):
    """Start running every scenario with the same replicates on a thread of
    the C++ runner, and return at once: the run of :func:`run`, without the
    waiting, for a caller that waits its own way (``codev app`` polls it from
    a page and stops it from a button).

    Returns
    -------
    _core.Run
        ``months_done`` of ``months_total``; ``wait(seconds)`` (True once
        finished, the GIL released meanwhile); ``stop()`` (every job stops
        after its current month); ``result()`` (raises the run's error, if
        any); ``write(path)`` (the results file, as :func:`run` writes it).

    Raises
    ------
    ValueError
        For an invalid scenario or argument, or a repeated scenario name.
    """
    runs, replicates, seed, threads = _arguments(scenarios, replicates, seed, threads)
    states, seed = _core.state_setup([s._core for s in runs], replicates, seed, "", "", "", "")
    names = [s.name for s in runs]
    command_line = f"python: codev.run({names}, replicates={replicates}, seed={seed}, threads={threads or None})"
    plan = _core.scenarios_plan([s._core for s in runs], replicates, seed, command_line)
    return _core.run_in_memory(plan, threads, False, states=states)


def _arguments(scenarios, replicates, seed, threads) -> tuple[list[Scenario], int, int | None, int]:
    """The arguments every run takes, checked: scenarios loaded, numbers in range."""
    runs = _as_scenarios(scenarios)
    replicates = _integer("replicates", replicates, 1, _MAX_REPLICATES)
    seed = None if seed is None else _integer("seed", seed, 0, 2**64 - 1)
    threads = 0 if threads is None else _integer("threads", threads, 0, 1 << 16)
    return runs, replicates, seed, threads


def _precision_rule(precision, baseline, paired, batch, max_replicates) -> dict:
    """The keyword arguments of a precision-driven ``_core.run_in_memory``."""
    return {
        "triggers": _precision.triggers(precision),
        "baseline": "" if baseline is None else str(baseline),
        "paired": bool(paired),
        "batch": 0 if batch is None else _integer("batch", batch, 1, _MAX_REPLICATES),
        "max_replicates": 1000
        if max_replicates is None
        else _integer("max_replicates", max_replicates, 1, _MAX_REPLICATES),
    }


def _warn_if_imprecise(results: Results) -> Results:
    message = _precision.shortfall(results.precision)
    if message:
        warnings.warn(message, UserWarning, stacklevel=3)
    return results


def _as_scenarios(scenarios) -> list[Scenario]:
    if isinstance(scenarios, (Scenario, str, os.PathLike)):
        scenarios = [scenarios]
    runs = [s if isinstance(s, Scenario) else Scenario.load(s) for s in scenarios]
    if not runs:
        raise ValueError("no scenarios to run")
    seen = set()
    for s in runs:
        if s.name in seen:
            raise ValueError(
                f"scenario name '{s.name}' is used twice in one run (give one another name with Scenario.renamed)"
            )
        seen.add(s.name)
    return runs


def _integer(name: str, value, low: int, high: int) -> int:
    try:
        number = operator.index(value)
    except TypeError:
        raise ValueError(f"{name}: expected an integer, got {value!r}") from None
    if not low <= number <= high:
        raise ValueError(f"{name}: {number} is out of range (allowed: {low} to {high})")
    return number


def _check_writable(out: Path, inputs=()) -> None:
    try:
        _core.check_writable(os.fspath(out), list(inputs))
    except ValueError as error:  # a ResultsError: here it is about the file system
        raise OSError(str(error)) from None


def _wait(job, show: bool, progress: Callable[[], tuple[int, int]], **bar_options) -> None:
    """Waits for a background run (``_core.Run``: in memory or sharded), with a
    progress bar when ``show``. ``progress()`` gives (done, total); the total
    may appear late (a sharded run counts its jobs first) or grow (a
    precision-driven run adds rounds). Any exception while waiting,
    KeyboardInterrupt above all, stops the jobs before it goes through."""
    bar = None
    try:
        while not job.wait(_WAIT_SECONDS):
            bar = _advance(bar, show, *progress(), bar_options)
        _advance(bar, show, *progress(), bar_options)
    except BaseException:
        job.stop()
        job.join()
        raise
    finally:
        if bar is not None:
            bar.close()


def _advance(bar, show: bool, done: int, total: int, bar_options: dict):
    """The bar moved to ``done`` of ``total``; made when first there is a total."""
    if show and bar is None and total > 0:
        bar = _progress_bar(total, **bar_options)
    if bar is not None:
        if total != bar.total:
            bar.total = total
            bar.refresh()
        bar.update(done - bar.n)
    return bar


def _progress_bar(total: int, desc: str = "codev", unit: str = " job-months", unit_scale: bool = True):
    """A tqdm bar: a widget in notebooks (when ipywidgets is there), text elsewhere."""
    try:
        import ipywidgets  # noqa: F401  (tqdm's notebook widget needs it; without it, a text bar)
        from tqdm.auto import tqdm
    except ImportError:
        from tqdm import tqdm
    return tqdm(total=total, desc=desc, unit=unit, unit_scale=unit_scale, dynamic_ncols=True)
