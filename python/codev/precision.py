"""What a precision-driven run asked for and achieved: ``Results.precision``.

``codev run --precision INDICATOR=TOL`` and ``codev.run(precision={...})``
add replicates in rounds until the 95 % confidence interval of each named
indicator is narrower than its tolerance (docs/decision-analysis.md, section 5). The results file
records the triggers along a ``trigger`` dimension (docs/results-format.md,
"Precision"); this module turns them into a table.
"""

import pandas as pd
import xarray as xr


def table(ds: xr.Dataset) -> pd.DataFrame | None:
    """One row per (trigger, scenario) with the trigger's ``tolerance`` and
    ``units``, the ``half_width`` at the final replicates, whether it is under
    the tolerance (``met``, NA where nothing was measured), and the
    ``replicates_needed`` by the trigger (NA when it was not met). None for a
    run with a fixed number of replicates. The rule is in ``.attrs``."""
    if "trigger" not in ds.dims:
        return None
    half_width = ds["precision_half_width"].transpose("trigger", "scenario").to_series().rename("half_width")
    frame = half_width.to_frame()
    triggers = frame.index.get_level_values("trigger")
    per_trigger = {
        "tolerance": ds["precision_tolerance"].to_series(),
        "units": ds["precision_units"].to_series().astype(str),
        "replicates_needed": ds["precision_replicates_needed"].to_series(),
    }
    for name, values in per_trigger.items():
        frame[name] = values.reindex(triggers).to_numpy()
    frame["met"] = (frame["half_width"] < frame["tolerance"]).astype("boolean")
    frame.loc[frame["half_width"].isna(), "met"] = pd.NA
    # The file's fill value (and NaN after xarray's masking) mean "not met".
    needed = frame["replicates_needed"].where(frame["replicates_needed"] > 0)
    frame["replicates_needed"] = needed.astype("Int64")
    frame = frame[["tolerance", "units", "half_width", "met", "replicates_needed"]]
    baseline = ds.attrs.get("precision_baseline")
    if baseline:
        frame = frame.drop(index=baseline, level="scenario")
    frame.attrs = {
        "replicates": int(ds.attrs["replicates"]),
        "met": bool(ds.attrs["precision_met"]),
        "measure": str(ds.attrs["precision_measure"]),
        "baseline": str(baseline) if baseline else None,
        "initial_replicates": int(ds.attrs["precision_initial_replicates"]),
        "batch": int(ds.attrs["precision_batch"]),
        "max_replicates": int(ds.attrs["precision_max_replicates"]),
    }
    return frame


def shortfall(frame: pd.DataFrame) -> str:
    """What was not met, in one line ("" when every trigger was)."""
    if frame is None or frame.attrs["met"]:
        return ""
    missed = frame[frame["met"].eq(False).fillna(False)]
    parts = [
        f"{trigger} {_number(row.half_width)} >= {_number(row.tolerance)} ({scenario})"
        for (trigger, scenario), row in missed.iterrows()
    ]
    replicates = frame.attrs["replicates"]
    return (
        f"precision not reached with {replicates} replicates, the maximum: " + "; ".join(parts)
        if parts
        else f"precision not reached with {replicates} replicates"
    )


def _number(value: float) -> str:
    """As `codev run` prints it: three significant digits, whole numbers from 1000 up."""
    return f"{value:.0f}" if abs(value) >= 1000 else f"{value:.3g}"


def triggers(precision) -> list[tuple[str, float]]:
    """``{"indicator": tolerance}`` (or pairs) as a list of pairs; the names
    and tolerances are checked by the compiled core."""
    items = precision.items() if isinstance(precision, dict) else precision
    pairs = []
    for item in items:
        try:
            indicator, tolerance = item
            pairs.append((str(indicator), float(tolerance)))
        except (TypeError, ValueError):
            raise ValueError(f"precision: expected {{indicator: tolerance}}, got {item!r}") from None
    if not pairs:
        raise ValueError("precision: no trigger given")
    return pairs
