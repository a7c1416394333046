"""A sweep's results in the form EMA Workbench's scenario discovery reads:
``Results.to_ema()`` (docs/decision-analysis.md).

EMA Workbench (PyPI ``ema-workbench``, an optional extra:
``pip install 'codev[analysis]'``) takes an ``(experiments, outcomes)``
pair: a DataFrame with one row per experiment and one column per uncertain
parameter, and a dict of one array per outcome, in the same order. PRIM
(``ema_workbench.analysis.prim.Prim(experiments, y, threshold=...)``), CART
and feature scoring then find which ranges of the parameters lead to the
outcomes of interest. Nothing here imports EMA Workbench.
"""

import pandas as pd
import xarray as xr

from .. import indicators
from . import _factors

REPLICATES = ("mean", "each")


def experiments_and_outcomes(ds: xr.Dataset, outcomes=None, replicates: str = "mean"):
    """The ``(experiments, outcomes)`` pair of a sweep's results; see :meth:`codev.Results.to_ema`."""
    if replicates not in REPLICATES:
        raise ValueError(f"replicates: {replicates!r} is not one of {', '.join(REPLICATES)}")
    if outcomes is None:
        names = list(indicators.INDICATORS)
    else:
        names = [outcomes] if isinstance(outcomes, str) else list(outcomes)
    factors = _factors.factor_table(ds)
    values = {name: _factors.indicator(ds, name) for name in names}
    if replicates == "mean":
        # NaN in any replicate stays NaN: an undefined run is shown, not averaged away.
        return factors, {name: v.mean("replicate", skipna=False).values for name, v in values.items()}
    experiments = factors.loc[factors.index.repeat(ds.sizes["replicate"])]
    experiments.index = pd.MultiIndex.from_product(
        [factors.index, ds["replicate"].values], names=["scenario", "replicate"]
    )
    return experiments, {name: v.values.ravel() for name, v in values.items()}
