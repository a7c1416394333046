"""The brief's charts (python/codev/report/charts.py): ticks written exactly,
and no legend entry for a flow that never happens."""

import numpy as np
import pytest

from codev.report import charts as report_charts
from codev.report.i18n import text


@pytest.mark.parametrize(
    ("value", "decimals"), [(12.5, 1), (2.0, 0), (1500.0, 0), (0.25, 2), (17.5, 1), (-2.5, 1), (0.0, 0)]
)
def test_a_tick_has_the_decimals_that_write_it_exactly(value, decimals):
    assert report_charts.tick_decimals(value) == decimals


def test_a_flow_that_is_zero_every_year_has_no_bar_and_no_legend_entry():
    years = [2027, 2028, 2029]
    grants, assistance = text("sch_grants", "en"), text("sch_ta", "en")
    bars = {(grants, "programme"): np.array([10.0, 20.0, 30.0]), (assistance, "ta"): np.zeros(3)}
    drawing = report_charts.yearly_money(years, bars, {}, "en", "t")
    # matplotlib's SVG keeps each text as a comment beside its glyph paths
    assert f"<!-- {grants} -->" in drawing
    assert f"<!-- {assistance} -->" not in drawing
    bars[(assistance, "ta")] = np.array([0.0, 1.0, 0.0])
    assert f"<!-- {assistance} -->" in report_charts.yearly_money(years, bars, {}, "en", "t")
