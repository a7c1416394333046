"""Opening a results file (or the bytes of one made in memory) as an xarray
Dataset with the file's padding masked: what :mod:`codev.results` reads, and
the appraisal's runs (:mod:`codev.report.uncertainty`), which sit below it.
"""

import functools
import io
import operator
from pathlib import Path

import xarray as xr


def open_dataset(path: Path | io.BytesIO) -> xr.Dataset:
    """The file at ``path`` (or in a BytesIO), its padding masked."""
    ds = xr.open_dataset(path, engine="h5netcdf", mask_and_scale=False)
    return _mask_padding(ds)


def _mask_padding(ds: xr.Dataset) -> xr.Dataset:
    """Masks the values past each scenario's months, communes and programmes (the
    file's fill values), only in variables that have any; the rest keep their type."""
    months = ds["months_in_scenario"]
    communes = ds["communes_in_scenario"]
    valid = {"month": ds["month"] < months, "year": ds["year"] * 12 < months, "commune": ds["commune"] < communes}
    if "programme" in ds.dims:  # only when some scenario has programmes
        valid["programme"] = ds["programme"] < ds["programmes_in_scenario"]
    padded = {dim: mask for dim, mask in valid.items() if not bool(mask.all())}
    for name, var in ds.data_vars.items():
        fill = var.attrs.pop("_FillValue", None)
        if fill is not None:
            var.encoding["_FillValue"] = fill
        masks = [padded[dim] for dim in var.dims if dim in padded]
        if masks and var.dtype.kind in "iuf":
            masked = var.where(functools.reduce(operator.and_, masks))
            masked.attrs, masked.encoding = var.attrs, var.encoding
            ds[name] = masked
    return ds
