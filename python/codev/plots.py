"""Fan charts of results over time (matplotlib): ``Results.plot``."""

import warnings

import xarray as xr

_BAND = (0.05, 0.95)


def fan_chart(
    ds: xr.Dataset, variable: str, scenarios: list[str], sector=None, cumulative=False, baseline=None, ax=None
):
    """Mean over replicates and 5-95 % band of ``variable`` per scenario; see ``Results.plot``."""
    series = _series(ds, variable, sector)
    time_dim = "month" if "month" in series.dims else "year"
    if cumulative:
        series = series.cumsum(time_dim, skipna=True).where(series.notnull())
    if baseline is not None:
        series = series - series.sel(scenario=baseline)  # paired: replicate r against replicate r
    if ax is None:
        import matplotlib.pyplot as plt  # here, not at import: `import codev` stays quick

        _, ax = plt.subplots(figsize=(8, 4.5), layout="constrained")
    years = series[time_dim] / 12.0 if time_dim == "month" else series[time_dim] + 1.0
    for name in scenarios:
        if name == baseline:
            continue
        one = series.sel(scenario=name).astype(float)
        with warnings.catch_warnings():  # months past a shorter scenario's horizon are all NaN
            warnings.simplefilter("ignore", RuntimeWarning)
            low, high = (one.quantile(q, dim="replicate", skipna=True) for q in _BAND)
            mean = one.mean("replicate", skipna=True)
        (line,) = ax.plot(years, mean, label=name)
        ax.fill_between(years, low, high, color=line.get_color(), alpha=0.2, linewidth=0)
    ax.set_xlabel("years since start" if time_dim == "month" else "end of year")
    ax.set_ylabel(_label(ds[variable], baseline, cumulative))
    what = ds[variable].attrs.get("long_name", variable) + (f" ({sector})" if sector else "")
    ax.set_title(what if baseline is None else f"{what}: difference to {baseline}")
    ax.legend(title="mean, 5-95 % band", fontsize="small")
    ax.grid(alpha=0.3)
    return ax.figure


def _series(ds: xr.Dataset, variable: str, sector) -> xr.DataArray:
    if variable not in ds.data_vars:
        raise ValueError(f"no variable '{variable}' in these results (variables: {', '.join(map(str, ds.data_vars))})")
    da = ds[variable]
    if "replicate" not in da.dims or not {"month", "year"} & set(da.dims):
        raise ValueError(f"'{variable}' is not a series over time (dimensions {da.dims})")
    if "sector" in da.dims:
        if sector is not None:
            if sector not in ds["sector"].values:
                raise ValueError(f"no sector '{sector}' (sectors: {', '.join(map(str, ds['sector'].values))})")
            da = da.sel(sector=sector)
        else:
            da = da.sum("sector", min_count=1)
    elif sector is not None:
        raise ValueError(f"'{variable}' has no sector dimension")
    if "commune" in da.dims:
        da = da.sum("commune", min_count=1)
    return da


def _label(da: xr.DataArray, baseline, cumulative) -> str:
    units = da.attrs.get("units", "")
    label = {"1": "count", "XOF": "XOF"}.get(units, units)
    if cumulative:
        label = f"cumulative {label}"
    return f"difference, {label}" if baseline else label
