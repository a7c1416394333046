"""The association level of docs/validation.md (scripts/association_level.py)
on a real results file, and the identities of the associations' monthly
counts (docs/model.md 7.5.1): what was active or dormant at month 0, plus
foundings, less dissolutions, is what is active or dormant at every month."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import xarray as xr

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "association_level.py"


@pytest.fixture(scope="module")
def results(codev, small_scenarios, tmp_path_factory):
    out = tmp_path_factory.mktemp("association_level") / "small.h5"
    subprocess.run(
        [
            codev,
            "run",
            small_scenarios["mali-kayes-baseline"],
            small_scenarios["codev-share-70"],
            "--replicates",
            "3",
            "--seed",
            "5",
            "--out",
            str(out),
            "--quiet",
        ],
        check=True,
        capture_output=True,
    )
    return out


def test_the_counts_of_associations_add_up_month_by_month(results):
    with xr.open_dataset(results) as ds:
        existing = (ds.associations_active + ds.associations_dormant).astype(np.int64)
        founded = ds.associations_founded.cumsum("month")
        dissolved = ds.associations_dissolved.cumsum("month")
        before = (
            existing.isel(month=0) - ds.associations_founded.isel(month=0) + ds.associations_dissolved.isel(month=0)
        )
        assert (existing == before + founded - dissolved).all()
        assert (ds.associations_registered <= existing).all()
        assert (ds.registrations_supported <= ds.registrations).all()
        # The shipped baseline's associations come and go (its six years are too few for dormancy).
        assert int(ds.associations_founded.sum()) > 0 and int(ds.registrations.sum()) > 0


def test_the_script_prints_the_association_level_from_the_file(results):
    done = subprocess.run(
        [sys.executable, str(SCRIPT), str(results), "--from-month", "36"], check=True, capture_output=True, text=True
    )
    lines = dict(line.strip().split(": ", 1) for line in done.stdout.splitlines() if ": " in line)
    with xr.open_dataset(results) as ds:
        base = ds.sel(scenario="mali-kayes-baseline")
        share = (base.association_members / base.migrants).isel(month=0).values * 100
        assert lines["members among migrants, month 0 (%)"].startswith(f"{share.mean():,.1f} [")
        active = base.associations_active.isel(month=-1).values
        assert lines["associations active at the horizon"].startswith(f"{active.mean():,.0f} [")
    assert "co-financed projects completed" in lines


def test_a_first_month_outside_the_run_is_refused(results):
    done = subprocess.run([sys.executable, str(SCRIPT), str(results)], check=False, capture_output=True, text=True)
    assert done.returncode != 0 and "first month 120 is outside the run's 72 months" in done.stderr
