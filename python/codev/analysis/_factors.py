"""What the decision-analysis tools read from a sweep's results: the factor
values of each point and an indicator per point and replicate, with every
NaN named (docs/decision-analysis.md).

A sweep (``codev.sweep``, ``codev sweep``) stores each factor as a
coordinate of the ``scenario`` dimension named after its dotted key with
``.`` replaced by ``__``, and lists the keys in the root attribute
``factors`` (docs/results-format.md).
"""

import numpy as np
import pandas as pd
import xarray as xr

from .. import indicators

_NAMED_AT_MOST = 10  # NaN rows named in an error message; the rest are counted


def factor_keys(ds: xr.Dataset) -> list[str]:
    """The dotted keys of the sweep's factors, in the order of the sweep."""
    return str(ds.attrs.get("factors", "")).split()


def factor_table(ds: xr.Dataset, keys=None) -> pd.DataFrame:
    """The factor values of each point: one row per scenario (in file order),
    one column per dotted key (``keys``, default: all the sweep's factors).

    Raises
    ------
    ValueError
        When the results are not a sweep or lack one of ``keys``.
    """
    stored = factor_keys(ds)
    keys = stored if keys is None else list(keys)
    if not stored:
        raise ValueError("these results hold no factors: they are not a sweep (codev.sweep or `codev sweep`)")
    missing = [key for key in keys if key not in stored]
    if missing:
        raise ValueError(f"factors {missing} are not in these results (their factors: {', '.join(stored)})")
    columns = {key: ds[key.replace(".", "__")].values for key in keys}
    return pd.DataFrame(columns, index=pd.Index(ds["scenario"].values.astype(str), name="scenario"))


def check_indicator(name: str, context: str = "") -> None:
    """Raises ValueError ("CONTEXT'NAME' is not an indicator (indicators: ...)")
    unless ``name`` is one of :mod:`codev.indicators`."""
    if name not in indicators.INDICATORS:
        raise ValueError(f"{context}'{name}' is not an indicator (indicators: {', '.join(indicators.INDICATORS)})")


def indicator(ds: xr.Dataset, name: str) -> xr.DataArray:
    """Indicator ``name`` of :mod:`codev.indicators`, per scenario and replicate."""
    check_indicator(name)
    return indicators.table(ds)[name].transpose("scenario", "replicate")


def check_no_nan(values: xr.DataArray, name: str) -> None:
    """Raises ValueError naming each scenario (and its replicates) where
    ``values`` (scenario, replicate) is NaN: a failed or undefined run is
    reported, never dropped."""
    bad = values.isnull() | np.isinf(values)
    if not bool(bad.any()):
        return
    scenarios = values["scenario"].values[bad.any("replicate").values]
    named = [
        f"{s} (replicates {listed(values['replicate'].values[bad.sel(scenario=s).values])})"
        for s in scenarios[:_NAMED_AT_MOST]
    ]
    more = f" and {len(scenarios) - _NAMED_AT_MOST} more" if len(scenarios) > _NAMED_AT_MOST else ""
    raise ValueError(
        f"{name} is NaN in {len(scenarios)} of {values.sizes['scenario']} scenarios: "
        f"{'; '.join(named)}{more}. An undefined indicator (a ratio with nothing to divide by, "
        f"codev.indicators) cannot be analysed: change the factor bounds or the indicator"
    )


def nan_rows_message(y: np.ndarray, name: str = "Y") -> str | None:
    """The message naming the rows of ``y`` that are NaN or infinite, or None
    (an infinite output made every Sobol' index 0, silently)."""
    rows = np.flatnonzero(~np.isfinite(y))
    if rows.size == 0:
        return None
    what = "NaN" if np.isnan(y[rows]).all() else "NaN or infinite"
    return f"{name} is {what} at {rows.size} of {y.size} rows: {listed(rows)}"


def wilson_interval(successes: int, trials: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval of a share ``successes / trials`` (scipy's)."""
    from scipy.stats import binomtest  # here, not at import: `import codev` stays quick

    interval = binomtest(int(successes), int(trials)).proportion_ci(confidence, method="wilson")
    return float(interval.low), float(interval.high)


def listed(values) -> str:
    values = [str(v) for v in values]
    if len(values) > _NAMED_AT_MOST:
        return ", ".join(values[:_NAMED_AT_MOST]) + f", ... ({len(values) - _NAMED_AT_MOST} more)"
    return ", ".join(values)
