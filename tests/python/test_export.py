"""`codev export` (python/codev/report/export.py): the brief's numbers as tables for a
spreadsheet, equal to those of Results, with units in the headers and numbers
in the cells, written to an Excel workbook that openpyxl reads back or to CSV."""

import os
import subprocess
import sys

import openpyxl
import pandas as pd
import pytest

import codev
from codev.report import data as report_data
from codev.report import export
from conftest import ROOT

BASELINE = "mali-kayes-baseline"


@pytest.fixture(scope="module")
def small_results_file(small_scenarios, tmp_path_factory):
    """The test-scale baseline and two policies, 3 replicates."""
    out = tmp_path_factory.mktemp("export") / "small.h5"
    names = (BASELINE, "codev-share-70", "three-for-one")
    with codev.run(
        [codev.Scenario.load(small_scenarios[n]) for n in names], replicates=3, seed=5, out=out, progress=False
    ):
        pass
    return out


@pytest.fixture(scope="module")
def results(small_results_file):
    with codev.open(small_results_file) as opened:
        yield opened


def test_the_effects_and_indicators_are_those_of_results(results):
    found = export.tables(results, BASELINE)
    compared, summary = results.compare(baseline=BASELINE), results.summary()
    effects, scenarios = found["effects"], found["scenarios"]
    assert list(effects.index) == list(compared.index) and list(scenarios.index) == list(summary.index)
    column = "additional_people_reached [number] p95"
    assert effects[column].tolist() == compared[("additional_people_reached", "p95")].tolist()
    assert "cost_per_additional_person_reached [XOF] mean" in effects.columns
    assert scenarios["programme_grants [XOF] mean"].tolist() == summary[("programme_grants", "mean")].tolist()


def test_money_by_year_adds_up_to_the_summary(results):
    by_year = export.tables(results, BASELINE)["money_by_year"]
    summary = results.summary()
    for scenario in results.scenarios:
        rows = by_year[by_year["scenario"] == scenario]
        assert rows["year"].tolist() == list(range(1, len(rows) + 1))
        total = rows["programme grants paid [XOF] mean"].sum()
        assert total == pytest.approx(summary.loc[scenario, ("programme_grants", "mean")], rel=1e-12)
        assert (rows["programme grants paid [XOF] p5"] <= rows["programme grants paid [XOF] p95"]).all()


def test_the_communes_table_is_the_brief_s_spread_over_communes(results):
    table = export.tables(results, BASELINE)["communes"]
    working = report_data.communes_with_working_project(results.to_xarray())
    for scenario in results.scenarios:
        mean = table.loc[scenario, "communes with a working project at the horizon [number] mean"]
        assert mean == pytest.approx(float(working.sel(scenario=scenario).mean()))
        gini = table.loc[scenario, "served_per_capita_gini [number] mean"]
        assert gini == results.summary().loc[scenario, ("served_per_capita_gini", "mean")]


def test_a_file_of_the_baseline_alone_exports_all_but_the_effects(small_scenarios, tmp_path):
    alone = tmp_path / "alone.h5"
    base = codev.Scenario.load(small_scenarios[BASELINE])
    with codev.run([base], replicates=2, seed=3, out=alone, progress=False) as opened:
        found = export.tables(opened)
    assert list(found) == ["scenarios", "money_by_year", "communes", "provenance"]


def test_a_file_of_the_baseline_and_its_risk_run_exports_its_effects_without_an_appraisal(small_scenarios, tmp_path):
    base = codev.Scenario.load(small_scenarios[BASELINE])
    recession = codev.Scenario.load(ROOT / "scenarios" / "recession-shock.toml").with_(
        months=base.months, **{"world.migrants": base.get("world.migrants")}
    )
    with codev.run([base, recession], replicates=2, seed=3, out=tmp_path / "risk.h5", progress=False) as opened:
        found = export.tables(opened, BASELINE)
        with pytest.raises(ValueError, match="draw_replicates: 0 is out of range"):
            export.tables(opened, BASELINE, draws=4, draw_replicates=0)
    assert "effects" in found and "economics" not in found


def test_the_workbook_has_a_sheet_a_table_with_numbers_in_cells(results, tmp_path):
    found = export.tables(results, BASELINE)
    path = export.write_xlsx(found, tmp_path / "brief.xlsx")
    book = openpyxl.load_workbook(path, read_only=True)
    assert book.sheetnames == list(found)
    sheet = book["effects"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "policy" and rows[0][1:] == tuple(found["effects"].columns)
    assert all(isinstance(v, (int, float)) for row in rows[1:] for v in row[1:] if v is not None)
    ranges = " \u2013 "  # the brief's "60 [53 - 67]" cells, with an en dash
    assert not any(isinstance(v, str) and ranges in v for row in rows for v in row)
    back = pd.read_excel(path, sheet_name="money_by_year")
    pd.testing.assert_frame_equal(back, found["money_by_year"], check_dtype=False)


def export_command(codev_path, *args):
    env = dict(os.environ, CODEV_PYTHON=sys.executable)  # build/dev has no Python beside it
    return subprocess.run(
        [codev_path, "export", *map(str, args)], capture_output=True, text=True, env=env, timeout=300, check=False
    )


def test_codev_export_writes_csv_and_xlsx_and_refuses_bad_input_in_one_line(codev, small_results_file, tmp_path):
    done = export_command(
        codev, small_results_file, "--baseline", BASELINE, "--csv", tmp_path / "csv", "--xlsx", tmp_path / "brief.xlsx"
    )
    assert done.returncode == 0, done.stderr
    written = sorted(p.name for p in (tmp_path / "csv").iterdir())
    assert written == sorted(
        f"{name}.csv"
        for name in (
            *("communes", "effects", "money_by_year", "provenance", "scenarios"),
            *("economics", "incremental_flows", "uncertainty", "switching_values", "results_framework"),
            *("financing", "risks"),  # no loans table: no scenario of the file has a loan
        )
    )
    assert (tmp_path / "brief.xlsx").stat().st_size > 0
    effects = pd.read_csv(tmp_path / "csv" / "effects.csv", index_col="policy")
    assert BASELINE not in effects.index and len(effects) > 0
    for args, words in (
        ([small_results_file], "say where to write"),
        ([tmp_path / "missing.h5", "--csv", tmp_path / "x"], "missing.h5"),
        ([small_results_file, "--baseline", "nobody", "--csv", tmp_path / "y"], "nobody"),
    ):
        bad = export_command(codev, *args)
        assert bad.returncode == 2, (args, bad.stderr)
        assert words in bad.stderr and "Traceback" not in bad.stderr, bad.stderr
        assert len([line for line in bad.stderr.splitlines() if "error" in line]) == 1, bad.stderr


def test_the_module_runs_as_python_m(small_results_file, tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "codev.report.export", str(small_results_file), "--csv", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
