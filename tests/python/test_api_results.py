"""codev.open and Results: the file's data as xarray and tidy pandas with exact
integers, the summary equal to `codev run`'s table, paired comparisons, fan
charts, and clear errors for files that are not codev's."""

import re
import shutil
import subprocess
from pathlib import Path

import h5py
import matplotlib
import numpy as np
import pytest
import xarray as xr

import codev

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parents[2]
SMALL = ROOT / "tests" / "data" / "small"
NAMES = ["mali-kayes-baseline", "codev-share-70", "three-for-one"]


@pytest.fixture(scope="module")
def cli_run(request, tmp_path_factory):
    """Three small scenarios run by the `codev` command: the file and the table it printed."""
    command = request.getfixturevalue("codev")
    out = tmp_path_factory.mktemp("cli") / "three.h5"
    result = subprocess.run(
        [
            command,
            "run",
            *[str(SMALL / f"{n}.toml") for n in NAMES],
            "--replicates",
            "5",
            "--seed",
            "11",
            "--out",
            str(out),
            "--quiet",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return out, result.stdout


@pytest.fixture(scope="module")
def results(cli_run):
    with codev.open(cli_run[0]) as opened:
        yield opened


@pytest.fixture(scope="module")
def uneven():
    """A 24-month baseline beside a 36-month policy: the file pads the shorter one."""
    base = codev.Scenario.load(SMALL / "mali-kayes-baseline.toml").with_(**{"months": 24, "world.migrants": 5000})
    policy = codev.Scenario.load(SMALL / "codev-share-70.toml").with_(**{"months": 36, "world.migrants": 5000})
    return codev.run([base, policy], replicates=3, seed=1, progress=False)


# ---- opening ------------------------------------------------------------------


def test_open_reads_the_provenance(results, cli_run):
    assert results.path == cli_run[0]
    assert results.scenarios == NAMES and results.replicates == 5 and results.seed == 11
    assert "5 replicates" in repr(results)
    assert results.scenario("codev-share-70").to_toml() == codev.Scenario.load(SMALL / "codev-share-70.toml").to_toml()
    with pytest.raises(ValueError, match="no scenario 'nope'"):
        results.scenario("nope")


def test_a_missing_file_is_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError, match="does not exist"):
        codev.open(tmp_path / "missing.h5")


def test_a_file_that_is_not_hdf5_is_a_value_error(tmp_path):
    path = tmp_path / "notes.h5"
    path.write_text("not a results file\n")
    with pytest.raises(ValueError, match=r"notes.h5' is not an HDF5 file$"):
        codev.open(path)


def test_an_hdf5_file_that_is_not_codevs_is_a_value_error(tmp_path):
    path = tmp_path / "other.h5"
    with h5py.File(path, "w") as f:
        f["x"] = np.arange(3)
    with pytest.raises(ValueError, match="is an HDF5 file but not a codev results file"):
        codev.open(path)


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda attrs: attrs.__delitem__("complete"), "was not closed properly"),
        (lambda attrs: attrs.__setitem__("format_version", np.int32(99)), r"written by a newer codev \(format 99\)"),
    ],
)
def test_a_damaged_or_newer_results_file_is_a_value_error(cli_run, tmp_path, change, message):
    path = tmp_path / "damaged.h5"
    shutil.copy(cli_run[0], path)
    with h5py.File(path, "r+") as f:
        change(f.attrs)
    with pytest.raises(ValueError, match=message):
        codev.open(path)


# ---- data ---------------------------------------------------------------------


def test_to_xarray_keeps_exact_integers(results, cli_run):
    ds = results.to_xarray()
    assert ds["remit_formal"].dtype == np.int64 and ds["people_served"].dtype == np.int64
    assert ds["people_served"].dims == ("scenario", "replicate", "month", "sector")
    with xr.open_dataset(cli_run[0], engine="h5netcdf") as plain:
        np.testing.assert_array_equal(ds["remit_formal"].values, plain["remit_formal"].values)


def test_to_dataframe_is_tidy(results):
    monthly = results.to_dataframe("remit_formal")
    assert list(monthly.columns) == ["scenario", "replicate", "month", "remit_formal"]
    assert len(monthly) == 3 * 5 * 72 and monthly["remit_formal"].dtype == np.int64
    by_sector = results.to_dataframe("people_served")
    assert list(by_sector.columns) == ["scenario", "replicate", "month", "sector", "people_served"]
    assert len(by_sector) == 3 * 5 * 72 * 5
    one = by_sector.query("scenario == 'codev-share-70' and replicate == 2 and month == 71 and sector == 'water'")
    ds = results.to_xarray()
    expected = ds["people_served"].sel(scenario="codev-share-70", replicate=2, month=71, sector="water")
    assert one["people_served"].item() == int(expected)
    both = results.to_dataframe(["remit_formal", "remit_informal"])
    assert list(both.columns[-2:]) == ["remit_formal", "remit_informal"]
    communes = results.to_dataframe("people_served_by_commune")
    assert len(communes) == 3 * 5 * ds.sizes["year"] * ds.sizes["commune"] * 5


def test_to_dataframe_errors(results):
    with pytest.raises(ValueError, match="no variable 'remitances'"):
        results.to_dataframe("remitances")
    with pytest.raises(ValueError, match="different dimensions"):
        results.to_dataframe(["remit_formal", "people_served"])


def test_a_shorter_scenario_is_masked_past_its_horizon(uneven):
    ds = uneven.to_xarray()
    assert ds.sizes["month"] == 36
    base = ds["remit_formal"].sel(scenario="mali-kayes-baseline")
    assert base.sel(month=slice(24, None)).isnull().all() and base.sel(month=slice(0, 23)).notnull().all()
    frame = uneven.to_dataframe("remit_formal")
    assert len(frame) == 3 * (24 + 36) and frame["remit_formal"].dtype == np.int64
    # Projects working at the baseline's own horizon, month 23, not at month 35.
    at_23 = ds["projects_operating"].sel(scenario="mali-kayes-baseline", month=23).sum("sector")
    np.testing.assert_array_equal(uneven.indicators().loc["mali-kayes-baseline", "projects_working"], at_23.values)


# ---- tables -------------------------------------------------------------------

NUMBER = r"(-?[\d,.]+|-?∞)"
CELL = re.compile(rf"{NUMBER}(?: %| pt)? \[{NUMBER}(?: %| pt)?, {NUMBER}(?: %| pt)?\]")
CLI_ROWS = [  # label, effect and scale of rows of `codev run`'s effect table (model/results/summary.cpp)
    ("additional projects completed", "additional_projects_completed", 1),
    ("additional people reached", "additional_people_reached", 1),
    ("  total (programme and communes)", "additional_public_money", 1e6),
    ("  programme money", "cost_per_additional_person_reached", 1),
    ("  share that would have been built anyway", "built_anyway_share", 0.01),
]


def parse_cli_table(stdout: str) -> dict:
    """label -> [(mean, p5, p95) per policy column], the first row of each label."""
    rows = {}
    for line in stdout.splitlines():
        for label, _, _ in CLI_ROWS:
            if line.startswith(label + " ") and label not in rows:
                rows[label] = [
                    tuple(float(v.replace(",", "").replace("∞", "inf")) for v in m.groups())
                    for m in CELL.finditer(line[len(label) :])
                ]
    return rows


def test_compare_equals_the_table_codev_run_prints(results, cli_run):
    table = parse_cli_table(cli_run[1])
    assert cli_run[1].startswith("What each policy adds to mali-kayes-baseline")
    compared = results.compare()
    assert list(compared.index) == NAMES[1:]
    for label, effect, scale in CLI_ROWS:
        for name, printed in zip(NAMES[1:], table[label], strict=True):
            ours = compared.loc[name, effect]
            for stat, value in zip(["mean", "p5", "p95"], printed, strict=True):
                # Printed rounded: to 1 unit, one percentage point, or 1 M XOF (0.1 below 100 M).
                tolerance = 0.05 if scale == 1e6 and abs(value) < 100 else 0.5
                assert abs(ours[stat] / scale - value) <= tolerance + 1e-9, (name, effect, stat)


def test_summary_spreads_are_mean_and_linear_quantiles_over_replicates(results):
    per_replicate = results.indicators()
    summary = results.summary()
    values = per_replicate.loc["three-for-one", "people_reached"].to_numpy(float)
    assert summary.loc["three-for-one", ("people_reached", "mean")] == pytest.approx(values.mean())
    assert summary.loc["three-for-one", ("people_reached", "p5")] == pytest.approx(np.quantile(values, 0.05))
    assert summary.loc["three-for-one", ("people_reached", "p95")] == pytest.approx(np.quantile(values, 0.95))


def test_compare_takes_differences_replicate_by_replicate(results):
    compared = results.compare(baseline="mali-kayes-baseline")
    assert list(compared.index) == ["codev-share-70", "three-for-one"]
    per_replicate = results.indicators()
    diff = (
        per_replicate.loc["codev-share-70", "projects_completed_total"]
        - per_replicate.loc["mali-kayes-baseline", "projects_completed_total"]
    ).to_numpy(float)
    row = compared.loc["codev-share-70", "additional_projects_completed"]
    assert (row["mean"], row["p5"], row["p95"]) == pytest.approx((diff.mean(), *np.quantile(diff, [0.05, 0.95])))
    # A cost per additional person divides the mean additional money by the mean additional people.
    added = {
        name: (per_replicate.loc["codev-share-70", name] - per_replicate.loc["mali-kayes-baseline", name])
        for name in ("programme_money", "people_reached")
    }
    assert compared.loc["codev-share-70", ("cost_per_additional_person_reached", "mean")] == pytest.approx(
        added["programme_money"].mean() / added["people_reached"].mean()
    )
    # Common random numbers: the policies do not touch remittances, so replicate by
    # replicate the households receive exactly what they do in the baseline.
    assert (compared.loc[:, ("additional_household_receipts", "p95")] == 0).all()
    # No ratio divides public money by outcomes the baseline has too.
    assert not any("per_person_served" in c or c == "leverage" for c in compared.columns.get_level_values(0))


def test_compare_errors(results, uneven):
    with pytest.raises(ValueError, match="no scenario 'baseline' in these results"):
        results.compare(baseline="baseline")
    only = codev.run(
        codev.Scenario.load(SMALL / "mali-kayes-baseline.toml").with_(months=12), replicates=1, progress=False
    )
    with pytest.raises(ValueError, match="nothing to compare"):
        only.compare()


# ---- figures ------------------------------------------------------------------


def test_plot_draws_a_fan_per_scenario(results):
    figure = results.plot("people_served")
    ax = figure.axes[0]
    assert [line.get_label() for line in ax.lines] == NAMES
    assert len(ax.collections) == 3  # one 5-95 % band each
    assert ax.lines[0].get_xdata()[-1] == pytest.approx(71 / 12)
    figure = results.plot("programme_disbursed", scenarios=["codev-share-70"], cumulative=True)
    line = figure.axes[0].lines[0]
    assert line.get_ydata()[-1] == pytest.approx(results.summary().loc["codev-share-70", ("programme_grants", "mean")])
    matplotlib.pyplot.close("all")


def test_plot_differences_sectors_and_yearly_variables(results):
    figure = results.plot("people_served", sector="water", baseline="mali-kayes-baseline")
    assert [line.get_label() for line in figure.axes[0].lines] == ["codev-share-70", "three-for-one"]
    assert "difference to mali-kayes-baseline" in figure.axes[0].get_title()
    figure = results.plot("people_served_by_commune")
    assert len(figure.axes[0].lines[0].get_xdata()) == results.to_xarray().sizes["year"]
    matplotlib.pyplot.close("all")


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"variable": "nope"}, "no variable 'nope'"),
        ({"variable": "commune_population"}, "not a series over time"),
        ({"variable": "people_served", "sector": "roads"}, "no sector 'roads'"),
        ({"variable": "remit_formal", "sector": "water"}, "has no sector dimension"),
        ({"variable": "remit_formal", "scenarios": ["x"]}, "no scenario 'x'"),
    ],
)
def test_plot_errors(results, kwargs, message):
    with pytest.raises(ValueError, match=message):
        results.plot(**kwargs)
