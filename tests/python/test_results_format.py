"""The results file as the outside world reads it (docs/results-format.md).

The file is written by the C++ tool `codev_write_sample` (tests/cpp/CMakeLists.txt)
from the synthetic ensemble of tests/cpp/results/sample_results.hpp, whose value
formulas are repeated below. The tool is found in $CODEV_BUILD_DIR (default
/work/main/build/dev); the tests skip, saying so, when it is not built.
"""

import os
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
import xarray as xr

BUILD_DIR = Path(os.environ.get("CODEV_BUILD_DIR", "/work/main/build/dev"))
WRITER = BUILD_DIR / "tests" / "cpp" / "codev_write_sample"
ENGINES = ["h5netcdf", "netcdf4"]

FILL_INT64 = -9223372036854775806
MONTHS = {"baseline": 24, "reform": 18}
COMMUNES = {"baseline": 3, "reform": 2}
SECTORS = ["water", "health", "education", "energy", "agriculture"]
MONTHLY_SERIES = [
    "migrants",
    "migrants_employed",
    "association_members",
    "remit_formal",
    "remit_informal",
    "remit_fees",
    "dues_paid",
    "contributions_paid",
    "association_spending",
    "maintenance_paid",
    "association_treasury",
    "programme_budget_available",
    "programme_disbursed",
    "technical_assistance_paid",
    "commune_cofinancing_paid",
    "loan_disbursed",
    "debt_service_paid",
    "programme_budget_opened",
    "programme_committed",
    "programme_returned",
    "cofinanced_projects_completed",
    "cofinanced_association_spending",
    "association_fees",
    "solidarity_spending",
]
SECTOR_SERIES = [
    "projects_started",
    "projects_completed",
    "projects_abandoned",
    "projects_operating",
    "projects_broken",
    "people_served",
]

pytestmark = pytest.mark.skipif(
    not WRITER.exists(),
    reason=f"{WRITER} is not built: build target codev_write_sample "
    "or set CODEV_BUILD_DIR to the build directory that has it",
)


# ---- the formulas of tests/cpp/results/sample_results.hpp --------------------------


def sample_monthly(s, r, m, i):
    return 10_000_000_000 * (s + 1) + 1_000_000 * r + 1000 * m + i


def sample_sector(s, r, m, i, k):
    return 100_000 * s + 10_000 * r + 100 * m + 10 * i + k


def sample_served(s, r, y, c, k):
    return 100_000 * s + 10_000 * r + 1000 * y + 10 * c + k


def sample_programme(s, r, m, p, i):
    return 20_000_000_000 + 1_000_000 * r + 1000 * m + 100 * p + 10 * i + s


def write_sample(path, *extra):
    subprocess.run([str(WRITER), str(path), *extra], check=True)
    return path


@pytest.fixture(scope="module")
def sample_path(tmp_path_factory):
    return write_sample(tmp_path_factory.mktemp("results") / "sample.h5")


@pytest.fixture(params=ENGINES)
def dataset(request, sample_path):
    with xr.open_dataset(sample_path, engine=request.param) as ds:
        yield ds


# ---- tests -----------------------------------------------------------------


def test_dimensions_and_coordinates(dataset):
    assert dict(dataset.sizes) == {
        "scenario": 2,
        "replicate": 3,
        "month": 24,
        "sector": 5,
        "year": 2,
        "commune": 3,
        "programme": 1,
        "rule": 1,
    }
    assert list(dataset.scenario.values) == ["baseline", "reform"]
    assert list(dataset.sector.values) == SECTORS
    np.testing.assert_array_equal(dataset.replicate.values, [0, 1, 2])
    np.testing.assert_array_equal(dataset.month.values, np.arange(24))
    assert dataset.month.attrs["units"] == "1"


def test_every_variable_has_units_and_long_name(dataset):
    for name, variable in dataset.variables.items():
        # Decoding moves `time`'s units into the encoding.
        assert "units" in variable.attrs or "units" in variable.encoding, name
        assert variable.attrs["long_name"], name


def test_series_have_their_dimensions_units_and_values(dataset):
    for i, name in enumerate(MONTHLY_SERIES):
        variable = dataset[name]
        assert variable.dims == ("scenario", "replicate", "month")
        assert variable.attrs["units"] in ("1", "XOF")
        assert variable.attrs["kind"] in ("flow", "stock")
        assert variable.sel(scenario="reform", replicate=2, month=17).item() == sample_monthly(1, 2, 17, i)
    assert dataset.remit_formal.attrs["units"] == "XOF"
    assert dataset.remit_formal.attrs["kind"] == "flow"
    assert dataset.migrants.attrs["kind"] == "stock"
    for i, name in enumerate(SECTOR_SERIES):
        variable = dataset[name]
        assert variable.dims == ("scenario", "replicate", "month", "sector")
        value = variable.sel(scenario="baseline", replicate=1, month=23, sector="agriculture").item()
        assert value == sample_sector(0, 1, 23, i, 4)
    assert dataset.completed_value.attrs["units"] == "XOF"
    assert dataset.idea_to_completion_months.attrs["units"] == "month"
    trust = dataset.mean_trust.sel(scenario="reform", replicate=1, month=5).item()
    assert trust == pytest.approx(0.5 + 0.1 + 0.01 + 0.005, abs=1e-12)


def test_large_money_values_are_exact_before_masking(sample_path):
    # Masking turns int64 into float64; undecoded values stay exact int64.
    with xr.open_dataset(sample_path, engine="h5netcdf", mask_and_scale=False) as ds:
        assert ds.remit_formal.dtype == np.int64
        assert ds.remit_formal.values[1, 2, 17] == sample_monthly(1, 2, 17, 3)
        assert ds.remit_formal.values[1, 0, 18] == FILL_INT64


def test_months_past_a_shorter_scenario_are_masked(dataset):
    reform = dataset.migrants.sel(scenario="reform")
    assert reform.sel(month=slice(0, 17)).notnull().all()
    assert reform.sel(month=slice(18, 23)).isnull().all()
    assert dataset.mean_trust.sel(scenario="reform", month=20).isnull().all()
    assert dataset.migrants.sel(scenario="baseline").notnull().all()
    np.testing.assert_array_equal(dataset.months_in_scenario.values, [24, 18])


def test_communes_past_a_smaller_scenario_are_masked(dataset):
    population = dataset.commune_population
    assert population.dims == ("scenario", "commune")
    np.testing.assert_array_equal(population.sel(scenario="baseline").values, [1_000_000, 300_000, 50_000])
    assert population.sel(scenario="reform", commune=2).isnull()
    assert list(dataset.commune_name.sel(scenario="baseline").values) == ["Dakar", "Thiès", "Sédhiou"]
    served = dataset.people_served_by_commune
    assert served.dims == ("scenario", "replicate", "year", "commune", "sector")
    assert served.sel(scenario="baseline", replicate=2, year=1, commune=2, sector="energy").item() == sample_served(
        0, 2, 1, 2, 3
    )
    assert served.sel(scenario="reform", commune=2).isnull().all()
    operating = dataset.projects_operating_by_commune
    assert (
        operating.sel(scenario="reform", replicate=0, year=1, commune=1, sector="water").item()
        == 2 * sample_served(1, 0, 1, 1, 0) + 1
    )


def test_rule_firings_are_per_rule_with_names_and_padding(dataset):
    """Format 4: the months each rule fired along `rule`, with its name, its
    programme and its action per scenario; a scenario without rules holds fill values."""
    assert list(dataset.rules_in_scenario.values) == [0, 1]
    assert dataset.rule_name.sel(scenario="reform").values.tolist() == ["extra-call"]
    assert dataset.rule_programme.sel(scenario="reform").values.tolist() == ["codev"]
    assert dataset.rule_action.sel(scenario="reform").values.tolist() == ["extra_call"]
    assert dataset.rule_name.sel(scenario="baseline").values.tolist() == [""]
    fired = dataset.rule_fired
    assert fired.dims == ("scenario", "replicate", "month", "rule")
    for r in range(3):
        for m in range(18):
            expected = 1 if (m + r) % 5 == 0 else 0  # sample_rule_fired in sample_results.hpp
            assert fired.sel(scenario="reform", replicate=r, month=m, rule=0).item() == expected
    assert np.isnan(fired.sel(scenario="baseline", replicate=0, month=0, rule=0).item())


def test_programme_series_are_per_programme_with_names_funders_and_padding(dataset):
    """Format 3: each programme's own series along `programme`, its name and
    funder per scenario; a scenario without programmes holds fill values."""
    assert list(dataset.programmes_in_scenario.values) == [0, 1]
    assert dataset.programme_name.sel(scenario="reform").values.tolist() == ["codev"]
    assert dataset.programme_funder.sel(scenario="reform").values.tolist() == ["france"]
    assert dataset.programme_name.sel(scenario="baseline").values.tolist() == [""]
    names = [
        "programme_grants_disbursed",
        "programme_assistance_paid",
        "programme_loan_disbursed",
        "programme_debt_service_paid",
        "programme_budget_committed",
        "programme_projects_approved",
        "programme_skills_missions",
        "programme_reinsertion_grants_paid",
        "programme_reinsertion_businesses_started",
    ]
    for i, name in enumerate(names):
        variable = dataset[name]
        assert variable.dims == ("scenario", "replicate", "month", "programme")
        assert variable.attrs["kind"] == "flow"
        assert variable.sel(scenario="reform", replicate=2, month=17, programme=0).item() == sample_programme(
            1, 2, 17, 0, i
        )
        assert np.isnan(variable.sel(scenario="baseline", replicate=0, month=0, programme=0).item())
    completed = dataset.programme_projects_completed
    assert completed.dims == ("scenario", "replicate", "month", "programme", "sector")
    assert completed.sel(scenario="reform", replicate=1, month=3, programme=0, sector="energy").item() == 1000 + 30 + 3


def test_time_decodes_to_calendar_months(dataset):
    time = dataset.time
    assert time.dims == ("month",)
    assert np.issubdtype(time.dtype, np.datetime64)
    assert "time" in dataset.migrants.coords
    # Start 2024-01-31: later months clamp to the month's end.
    expected = ["2024-01-31", "2024-02-29", "2024-03-31", "2024-04-30"]
    np.testing.assert_array_equal(time.values[:4], np.array(expected, dtype="datetime64[ns]"))
    assert time.values[23] == np.datetime64("2025-12-31", "ns")


def test_provenance_attributes(dataset):
    attrs = dataset.attrs
    assert attrs["filetype"] == "codev-results"
    assert attrs["format_version"] == 4
    assert attrs["complete"] == 1
    assert attrs["seed"] == 12_345_678_901_234_567_890
    assert attrs["replicates"] == 3
    assert attrs["command_line"] == "codev run baseline.toml reform.toml --replicates 3"
    assert attrs["codev_version"]
    assert attrs["git_commit"]
    assert attrs["created"][:2] == "20"
    assert "months = 18" in dataset.scenario_toml.sel(scenario="reform").item()


def test_no_time_when_start_dates_differ(tmp_path):
    path = write_sample(tmp_path / "no-time.h5", "--different-start-dates")
    for engine in ENGINES:
        with xr.open_dataset(path, engine=engine) as ds:
            assert "time" not in ds.variables
            assert list(ds.scenario_start_date.values) == ["2024-01-31", ""]


def test_no_temporary_file_is_left_behind(sample_path):
    assert [p.name for p in sample_path.parent.iterdir()] == ["sample.h5"]


@pytest.mark.skipif(shutil.which("ncdump") is None, reason="ncdump (netcdf-bin) is not installed")
def test_ncdump_reads_the_header(sample_path):
    result = subprocess.run(["ncdump", "-h", str(sample_path)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert "int64 migrants(scenario, replicate, month)" in result.stdout
    assert ':filetype = "codev-results"' in result.stdout
