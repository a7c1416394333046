"""The indicators of codev and the effects of a policy, each defined once.

Every indicator is computed by the compiled core (``model/results/indicators.cpp``)
when a results file is written, and stored there per job: a variable with
dimensions ``(scenario, replicate)`` (``(scenario, replicate, sector)`` for
the by-sector ones) and the indicator's name, units and description. The
effects of a policy against a baseline are computed by the same C++ code
``codev run --baseline`` prints (``model/results/effects.cpp``), paired replicate by
replicate. docs/indicators.md gives every formula, unit and estimator, and
what each does not say.

- :data:`INDICATORS`: name -> (units, description), per job;
- :data:`SECTOR_INDICATORS`: the same, by sector;
- :data:`EFFECTS`: name -> (units, description) of a policy's effects;
- :func:`table`: the indicators of a results Dataset;
- :func:`effects`: what each policy adds to a baseline, with 90 % ranges.

A name ending in ``_total`` is the sum over the horizon of the monthly
variable of the same stem (``projects_completed_total`` of
``projects_completed``).
"""

import tomllib

import numpy as np
import pandas as pd
import xarray as xr

from . import _core

#: name -> (units, description) of each per-job indicator, in the core's order.
INDICATORS: dict[str, tuple[str, str]] = {name: (units, text) for name, units, text in _core.JOB_INDICATORS}

#: name -> (units, description) of the indicators with a ``sector`` dimension.
SECTOR_INDICATORS: dict[str, tuple[str, str]] = {
    name: (units, text) for name, units, text in _core.JOB_SECTOR_INDICATORS
}

#: name -> (units, description) of each effect of a policy against a baseline.
EFFECTS: dict[str, tuple[str, str]] = {name: (units, text) for name, units, text in _core.EFFECTS}

#: A policy leaving more than this share of its money unspent gets a warning.
UNSPENT_WARNING_SHARE: float = _core.UNSPENT_WARNING_SHARE

_STATS = ("mean", "p5", "p95")


def table(ds: xr.Dataset) -> xr.Dataset:
    """The per-job indicators of a results Dataset (``Results.to_xarray()``).

    Returns
    -------
    xarray.Dataset
        One variable per indicator of :data:`INDICATORS`, dimensions
        ``(scenario, replicate)``, float64 (NaN where a ratio is undefined).

    Raises
    ------
    ValueError
        When the Dataset does not hold the indicators (a file of an older
        format).
    """
    _check_stored(ds)
    return xr.Dataset({name: ds[name].astype(float) for name in INDICATORS})


def effects(ds: xr.Dataset, baseline: str) -> pd.DataFrame:
    """What each policy adds to ``baseline``: every effect of :data:`EFFECTS`,
    with its central value and 90 % range.

    Replicate r of every scenario draws the same random numbers, so the
    policy's replicate r is compared with the baseline's replicate r.
    Differences: the mean and the 5 % and 95 % quantiles of the per-replicate
    differences. Costs per additional person or project: the ratio of the
    mean differences, and the quantiles of the per-replicate ratios (+inf
    where a replicate adds nobody). The share built anyway: ``1 - additional /
    co-financed`` projects completed. The policy's own levels (unspent share,
    leverage): mean and quantiles over replicates.

    Returns
    -------
    pandas.DataFrame
        Indexed by policy scenario (the baseline left out), columns
        ``(effect, stat)`` with ``stat`` in ``mean``, ``p5``, ``p95``; the
        by-sector effects as ``additional_projects_completed_SECTOR`` and
        ``additional_projects_working_SECTOR``.

    Raises
    ------
    ValueError
        When ``baseline`` is not a scenario, is the only one, or a policy has
        another horizon or another number of communes than the baseline.
    """
    _check_stored(ds)
    names = [str(s) for s in ds["scenario"].values]
    if baseline not in names:
        raise ValueError(f"no scenario '{baseline}' in these results (scenarios: {', '.join(names)})")
    if len(names) < 2:
        raise ValueError(f"nothing to compare: '{baseline}' is the only scenario")
    rows = {}
    for name in names:
        if name != baseline:
            _check_comparable(ds, name, baseline)
            rows[name] = _flatten(_core.policy_effects(name, *_job_arrays(ds, name), *_job_arrays(ds, baseline)))
    frame = pd.DataFrame.from_dict(rows, orient="index")
    frame.columns = pd.MultiIndex.from_tuples(frame.columns, names=["effect", "stat"])
    frame.index.name = "scenario"
    return frame


def declared_baseline(ds: xr.Dataset) -> str | None:
    """The scenario whose stored TOML declares ``baseline = true``, or None.

    Raises
    ------
    ValueError
        When several do.
    """
    declared = [
        str(s)
        for s, text in zip(ds["scenario"].values, ds["scenario_toml"].values, strict=True)
        if tomllib.loads(str(text)).get("baseline", False)
    ]
    if len(declared) > 1:
        raise ValueError(f"scenarios {declared} all declare baseline = true: name one")
    return declared[0] if declared else None


def _check_stored(ds: xr.Dataset) -> None:
    missing = [name for name in [*INDICATORS, *SECTOR_INDICATORS] if name not in ds.data_vars]
    if missing:
        raise ValueError(
            f"these results hold no indicator {missing[0]!r}: the file is of an older format (run its scenarios again)"
        )


def _check_comparable(ds: xr.Dataset, policy: str, baseline: str) -> None:
    """A policy is compared with its baseline replicate by replicate: the same
    months and the same communes with the same populations, or the
    differences count months or people the baseline does not have."""
    head = f"cannot compare '{policy}' with the baseline '{baseline}': "
    tail = " (a policy and its baseline must share the horizon and the world)"
    for variable, what in (("months_in_scenario", "months"), ("communes_in_scenario", "communes")):
        p, b = (int(ds[variable].sel(scenario=s)) for s in (policy, baseline))
        if p != b:
            raise ValueError(f"{head}{p} {what} against {b}{tail}")
    communes = int(ds["communes_in_scenario"].sel(scenario=policy))
    populations = [ds["commune_population"].sel(scenario=s).values[:communes] for s in (policy, baseline)]
    if not np.array_equal(populations[0], populations[1]):
        raise ValueError(f"{head}their communes have other populations{tail}")


def _job_arrays(ds: xr.Dataset, scenario: str) -> tuple[np.ndarray, np.ndarray]:
    """One scenario's indicators as the core takes them: (replicate, indicator)
    and (replicate, sector indicator, sector)."""
    one = ds.sel(scenario=scenario)
    values = np.stack([one[name].values.astype(float) for name in INDICATORS], axis=1)
    sectors = np.stack(
        [one[name].transpose("replicate", "sector").values.astype(float) for name in SECTOR_INDICATORS], axis=1
    )
    return values, sectors


def _flatten(effects: dict) -> dict:
    sectors = list(_core.SECTOR_NAMES)
    flat = {}
    for name, value in effects.items():
        if name.endswith("_by_sector"):
            stem = name.removesuffix("_by_sector")
            for sector, estimate in zip(sectors, value, strict=True):
                flat.update({(f"{stem}_{sector}", stat): v for stat, v in zip(_STATS, estimate, strict=True)})
        else:
            flat.update({(name, stat): v for stat, v in zip(_STATS, value, strict=True)})
    return flat
