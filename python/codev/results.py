"""Results of an ensemble: ``codev.open(path)`` and what ``codev.run``
returns, one class over the results file (docs/results-format.md).

The file is read with xarray (engine ``h5netcdf``) without xarray's own
masking, so counts and XOF amounts stay exact int64; only where a scenario is
shorter, or has fewer communes, than the longest one are its padding values
masked (the variable then becomes float64 with NaN there).
"""

import io
import os
import warnings
from pathlib import Path
from typing import Self

import pandas as pd
import xarray as xr

from . import _core, indicators, plots
from ._dataset import open_dataset
from .precision import table as precision_table
from .scenario import Scenario

_STATS = ("mean", "p5", "p95")


def open_results(path) -> "Results":
    """Open a results file written by ``codev run`` or :func:`codev.run`.

    Parameters
    ----------
    path : str or os.PathLike
        An HDF5 results file.

    Returns
    -------
    Results
        Backed by the file (read as needed); close it with ``.close()`` or a
        ``with`` block.

    Raises
    ------
    FileNotFoundError
        When there is no such file.
    ValueError
        When the file is not a complete codev results file this version reads
        (not HDF5, no ``filetype = "codev-results"``, not closed properly, a
        newer ``format_version``): the message of ``codev info``.
    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"results file '{path}' does not exist")
    _core.describe_results(os.fspath(path))  # the checks, and the messages, of `codev info`
    return Results(open_dataset(path), path)


class Results:
    """The results of an ensemble: scenarios x replicates x months.

    Attributes
    ----------
    path : pathlib.Path or None
        The file behind the results (None when held in memory only).
    scenarios : list of str
        Scenario names, in the order of the run.
    replicates, seed : int
        Replicates per scenario and the ensemble's seed.
    """

    def __init__(self, dataset: xr.Dataset, path: Path | None = None):
        self._ds = dataset
        self.path = path

    @classmethod
    def _from_image(cls, image: bytes) -> "Results":
        """Results held in memory, from the bytes of a results file made in memory."""
        with open_dataset(io.BytesIO(image)) as ds:
            return cls(ds.load(), None)

    # ---- what the results are ------------------------------------------------

    @property
    def scenarios(self) -> list[str]:
        return [str(s) for s in self._ds["scenario"].values]

    @property
    def replicates(self) -> int:
        return int(self._ds.attrs["replicates"])

    @property
    def seed(self) -> int:
        return int(self._ds.attrs["seed"])

    @property
    def precision(self) -> pd.DataFrame | None:
        """What a precision-driven run (``codev run --precision``,
        ``codev.run(precision=...)``) needed; None for a fixed number of replicates.

        One row per (trigger, scenario), the baseline left out: ``tolerance``,
        ``units``, ``half_width`` (of the 95 % confidence interval at the final
        replicates: of the scenario's mean, or of its difference with the
        baseline), ``met``, and ``replicates_needed`` by the trigger (NA if it
        was not met). ``.attrs`` holds ``replicates``, ``met``, ``measure``
        (``mean``, ``difference``, ``paired difference``), ``baseline``,
        ``initial_replicates``, ``batch`` and ``max_replicates``.
        """
        return precision_table(self._ds)

    def scenario(self, name: str) -> Scenario:
        """The scenario ``name`` as it was run, rebuilt from the TOML stored in the file."""
        self._check_scenario(name)
        return Scenario.from_toml(str(self._ds["scenario_toml"].sel(scenario=name).values), name=name)

    # ---- data ------------------------------------------------------------------

    def to_xarray(self) -> xr.Dataset:
        """The results as an xarray Dataset: dimensions ``scenario``, ``replicate``,
        ``month``, ``sector``, ``year``, ``commune``; variables and attributes as in
        docs/results-format.md."""
        return self._ds

    def to_dataframe(self, variable) -> pd.DataFrame:
        """A tidy DataFrame of one variable (or several with the same dimensions).

        Parameters
        ----------
        variable : str or list of str
            E.g. ``"remit_formal"`` (one row per scenario, replicate and month),
            ``"people_served"`` (per scenario, replicate, month and sector) or
            ``"people_served_by_commune"`` (per year, commune and sector).

        Returns
        -------
        pandas.DataFrame
            One column per dimension (and ``time`` when the file has a
            calendar), one per variable; rows past a scenario's own horizon or
            communes are left out, and integer variables stay integers.

        Raises
        ------
        ValueError
            For an unknown variable or variables with different dimensions.
        """
        names = [variable] if isinstance(variable, str) else list(variable)
        for name in names:
            if name not in self._ds.data_vars:
                raise ValueError(
                    f"no variable '{name}' in these results (variables: {', '.join(map(str, self._ds.data_vars))})"
                )
        dims = {self._ds[name].dims for name in names}
        if len(dims) != 1:
            raise ValueError(f"variables {names} have different dimensions: {sorted(dims)}")
        frame = self._ds[names].to_dataframe().reset_index()
        valid = self._valid_rows(frame)
        frame = frame.loc[valid].reset_index(drop=True)
        first = [c for c in frame.columns if c not in names]  # dimensions, then `time` where there is one
        frame = frame[first + names]
        for name in names:
            if self._ds[name].encoding.get("dtype", self._ds[name].dtype).kind in "iu":
                frame[name] = frame[name].astype(self._ds[name].encoding.get("dtype", "int64"))
        return frame

    def yearly(self, variable: str) -> xr.DataArray:
        """A monthly variable by year: flows summed over each year's months,
        stocks at each year's last month.

        Years are calendar years when the file has a calendar (``time``, from
        the scenarios' shared ``start_date``), else model years 0, 1, ... of
        twelve months from month 0. A year the run covers only in part is
        summed over the months it has (a run from July has a half first year).

        Parameters
        ----------
        variable : str
            A variable with a ``month`` dimension, e.g. ``"remit_formal"``
            (a flow) or ``"migrants"`` (a stock); its ``kind`` attribute says which.

        Returns
        -------
        xarray.DataArray
            The variable with ``month`` replaced by ``year``; months past a
            scenario's own horizon are left out (NaN where a whole year is).

        Raises
        ------
        ValueError
            For an unknown variable or one without a ``month`` dimension.
        """
        if variable not in self._ds.data_vars or "month" not in self._ds[variable].dims:
            monthly = [str(n) for n, v in self._ds.data_vars.items() if "month" in v.dims]
            raise ValueError(f"'{variable}' is not a monthly variable (monthly: {', '.join(monthly)})")
        data = self._ds[variable]
        data = data.drop_vars([c for c in data.coords if c not in data.dims and c != "time"])
        if "time" in data.coords:
            year = data["time"].dt.year.drop_vars("time").rename("year")
        else:
            year = (data["month"] // 12).rename("year")
        grouped = data.drop_vars("time", errors="ignore").groupby(year)
        if data.attrs.get("kind") == "stock":
            result = grouped.last(skipna=True)
        elif data.dtype.kind in "iu":  # no padding: exact integer sums
            result = grouped.sum("month")
        else:
            result = grouped.sum("month", skipna=True, min_count=1)
        result.attrs = {**data.attrs, "long_name": f"{data.attrs.get('long_name', variable)}, by year"}
        return result

    def programmes(self) -> pd.DataFrame:
        """Each scenario's programmes, in their order, with who pays each.

        Returns
        -------
        pandas.DataFrame
            One row per (scenario, programme): ``name`` and ``funder`` (the
            programme's ``funder`` key). Empty when no scenario has a programme.
        """
        if "programme" not in self._ds.dims:
            return pd.DataFrame(
                {"name": [], "funder": []}, index=pd.MultiIndex.from_arrays([[], []], names=["scenario", "programme"])
            )
        frame = self._ds[["programme_name", "programme_funder"]].to_dataframe()
        frame = frame.rename(columns={"programme_name": "name", "programme_funder": "funder"})
        frame = frame.loc[self._valid_rows(frame.reset_index()).to_numpy()]
        return frame.astype(str)

    def rule_firings(self) -> pd.DataFrame:
        """Every firing of the scenarios' rules (policies that react, docs/model.md 7.6.11).

        Returns
        -------
        pandas.DataFrame
            One row per firing: ``scenario``, ``replicate``, ``month`` (and
            ``time`` when the file has a calendar), ``rule`` (its name),
            ``programme`` (the programme it changed) and ``action``, in
            scenario, replicate and month order. Empty when no scenario has a rule.
        """
        columns = ["scenario", "replicate", "month", "rule", "programme", "action"]
        if "rule" not in self._ds.dims:
            return pd.DataFrame({c: [] for c in columns})
        fired = self._ds["rule_fired"].to_dataframe().reset_index()
        fired = fired.loc[self._valid_rows(fired).to_numpy()]
        fired = fired.loc[fired["rule_fired"] == 1]
        names = self._ds[["rule_name", "rule_programme", "rule_action"]].to_dataframe()
        fired = fired.join(names, on=["scenario", "rule"])
        fired = fired.drop(columns=["rule", "rule_fired"]).rename(
            columns={"rule_name": "rule", "rule_programme": "programme", "rule_action": "action"}
        )
        keep = columns[:3] + (["time"] if "time" in fired else []) + columns[3:]
        return (
            fired[keep].astype(dict.fromkeys(("scenario", "rule", "programme", "action"), str)).reset_index(drop=True)
        )

    def by_programme(self, variable: str = "projects_completed", over_life: bool = False) -> pd.DataFrame:
        """A programme series by year and programme: mean and 90 % range over replicates.

        Parameters
        ----------
        variable : str
            One of :data:`PROGRAMME_VARIABLES`: ``"projects_completed"`` (the
            projects the programme co-financed that were completed, all
            sectors; ``"projects_completed_<sector>"`` for one),
            ``"projects_approved"``, ``"grants_disbursed"``,
            ``"assistance_paid"``, ``"loan_disbursed"``,
            ``"debt_service_paid"``, ``"budget_committed"``,
            ``"skills_missions"``, ``"reinsertion_grants_paid"``,
            ``"reinsertion_businesses_started"``, or ``"public_money"``
            (grants, assistance and reinsertion grants paid).
        over_life : bool
            Sum each replicate's years first: one row per programme, the spread
            of its whole life's total.

        Returns
        -------
        pandas.DataFrame
            Index (scenario, programme name, funder, year), or without ``year``
            with ``over_life``; columns ``mean``, ``p5``, ``p95`` of the sum
            over replicates. Years are calendar years when the file has a
            calendar (as :meth:`yearly`).
        """
        data = self._programme_yearly(variable)
        index = ["scenario", "programme"] if over_life else ["scenario", "programme", "year"]
        if over_life:
            data = data.sum("year", skipna=True, min_count=1)
        frame = _replicate_spread(data, index).dropna(how="all")
        names = self.programmes()
        frame = frame.loc[[key for key in frame.index if (key[0], key[1]) in names.index]]
        labels = [(s, names.loc[(s, p), "name"], names.loc[(s, p), "funder"], *rest) for s, p, *rest in frame.index]
        frame.index = pd.MultiIndex.from_tuples(labels, names=["scenario", "programme", "funder", *index[2:]])
        return frame

    def by_funder(self, variable: str = "public_money") -> pd.DataFrame:
        """Money (or projects) by funder and year: the programme series summed
        over each funder's programmes, mean and 90 % range over replicates.

        A programme's funder is its ``funder`` key: who pays its grants and
        assistance. For a programme financed by a loan, the funder is the
        lender (``loan_disbursed`` is its money), and the loan's debt service
        falls on the programme's budget (``debt_service_paid``).

        Parameters
        ----------
        variable : str
            As :meth:`by_programme`; ``"public_money"`` by default (grants,
            technical assistance and reinsertion grants the funder's programmes paid).

        Returns
        -------
        pandas.DataFrame
            Index (scenario, funder, year); columns ``mean``, ``p5``, ``p95``.
            A scenario with no programme of a funder shows 0 for it. Empty
            when no scenario has a programme.
        """
        data = self._programme_yearly(variable)
        funders = sorted({f for f in self._ds["programme_funder"].values.ravel().tolist() if f})
        by = [data.where(self._ds["programme_funder"] == f).sum("programme", skipna=True) for f in funders]
        stacked = xr.concat(by, dim=pd.Index(funders, name="funder")).transpose("scenario", "funder", ...)
        return _replicate_spread(stacked, ["scenario", "funder", "year"]).dropna(how="all")

    def _programme_yearly(self, variable: str) -> xr.DataArray:
        """``variable`` of :meth:`by_programme` by year, (scenario, replicate, year, programme)."""
        if "programme" not in self._ds.dims:
            raise ValueError("no scenario of these results has a programme")
        sectors = [str(s) for s in self._ds["sector"].values]
        if variable == "public_money":
            return (
                self.yearly("programme_grants_disbursed")
                + self.yearly("programme_assistance_paid")
                + self.yearly("programme_reinsertion_grants_paid")
            )
        if variable.startswith("projects_completed"):
            data = self.yearly("programme_projects_completed")
            sector = variable.removeprefix("projects_completed").removeprefix("_")
            if not sector:
                return data.sum("sector", skipna=True, min_count=1)
            if sector in sectors:
                return data.sel(sector=sector, drop=True)
        elif variable in PROGRAMME_VARIABLES:  # not an indicator of the same name (programme_grants)
            return self.yearly(f"programme_{variable}")
        raise ValueError(
            f"'{variable}' is not a programme variable (allowed: {', '.join(PROGRAMME_VARIABLES)}, "
            f"or projects_completed_<sector> for a sector of {', '.join(sectors)})"
        )

    def indicators(self) -> pd.DataFrame:
        """Every indicator of :mod:`codev.indicators` for every scenario and
        replicate: one row per (scenario, replicate), one column per indicator."""
        table = indicators.table(self._ds)
        return table.drop_vars([c for c in table.coords if c not in table.dims]).to_dataframe()[
            list(indicators.INDICATORS)
        ]

    def to_ema(self, outcomes=None, replicates: str = "mean") -> tuple[pd.DataFrame, dict]:
        """The results of a sweep as EMA Workbench's ``(experiments, outcomes)``
        pair, for its PRIM, CART and feature scoring (docs/decision-analysis.md).

        Parameters
        ----------
        outcomes : str or list of str, optional
            Indicators of :mod:`codev.indicators` (default: all).
        replicates : {"mean", "each"}
            ``"mean"``: one experiment per point, each outcome its mean over
            the replicates (NaN when any replicate is NaN); ``"each"``: one
            experiment per point and replicate.

        Returns
        -------
        (pandas.DataFrame, dict of numpy.ndarray)
            The experiments: one column per factor (dotted keys), indexed by
            scenario (and replicate); the outcomes: one array per indicator,
            in the experiments' order.

        Raises
        ------
        ValueError
            When the results are not a sweep (no factors), or for an unknown
            indicator.
        """
        from .analysis import ema

        return ema.experiments_and_outcomes(self._ds, outcomes, replicates)

    # ---- tables ------------------------------------------------------------------

    def summary(self) -> pd.DataFrame:
        """Every indicator of :mod:`codev.indicators` per scenario: mean and
        5-95 % range over replicates.

        These are totals: a policy's projects and people include those its
        baseline has too. What a policy adds is :meth:`compare`. Quantiles
        interpolate linearly between order statistics; NaN values (a ratio
        with nothing to divide by) are left out.

        Returns
        -------
        pandas.DataFrame
            Indexed by scenario; columns ``(indicator, stat)`` with ``stat`` in
            ``mean``, ``p5``, ``p95``.
        """
        return _spread_table(indicators.table(self._ds))

    def compare(self, baseline: str | None = None) -> pd.DataFrame:
        """What each policy adds to the baseline: the effects of
        :data:`codev.indicators.EFFECTS`, replicate by replicate, with their
        90 % ranges (the numbers ``codev run --baseline`` prints).

        Replicate r of every scenario draws the same random numbers, so the
        difference with the baseline's replicate r removes most of the noise
        they share. Additional projects, people reached and money are mean
        paired differences; costs per additional person or working project
        divide the additional money by the additional outcome (ratio of the
        means; the range is that of the per-replicate ratios, infinite where a
        replicate adds nobody); ``built_anyway_share`` is the share of the
        co-financed projects that the baseline would have had too.
        docs/indicators.md defines each.

        Parameters
        ----------
        baseline : str, optional
            Name of the baseline scenario; by default the scenario whose file
            declares ``baseline = true``.

        Returns
        -------
        pandas.DataFrame
            Indexed by policy scenario (the baseline left out); columns
            ``(effect, stat)`` with ``stat`` in ``mean``, ``p5``, ``p95``.

        Raises
        ------
        ValueError
            When there is no such baseline (or none is given or declared), it
            is the only scenario, or a policy has another horizon or another
            number of communes.
        """
        return indicators.effects(self._ds, self.baseline(baseline))

    def baseline(self, name: str | None = None) -> str:
        """The baseline's name: ``name`` if it is a scenario, else the one
        scenario declaring ``baseline = true``; ValueError otherwise."""
        if name is not None:
            self._check_scenario(name)
            return name
        declared = indicators.declared_baseline(self._ds)
        if declared is None:
            raise ValueError("no baseline: name one (baseline=...) or declare baseline = true in its scenario file")
        return declared

    # ---- figures -----------------------------------------------------------------

    def plot(self, variable: str, scenarios=None, sector=None, cumulative: bool = False, baseline=None, ax=None):
        """A fan chart of one variable over time: per scenario, the mean over
        replicates and the band of the 5-95 % quantiles.

        Parameters
        ----------
        variable : str
            A monthly variable (``"people_served"``, ``"remit_formal"``, ...) or
            a yearly one (``"people_served_by_commune"``, summed over communes).
        scenarios : list of str, optional
            Scenarios to draw (default: all).
        sector : str, optional
            For variables by sector: one sector (default: all sectors summed).
        cumulative : bool
            Draw running totals (for flows, e.g. ``"programme_disbursed"``).
        baseline : str, optional
            Draw each scenario minus this one, replicate by replicate.
        ax : matplotlib.axes.Axes, optional
            Axes to draw in (default: a new figure).

        Returns
        -------
        matplotlib.figure.Figure
        """
        names = self.scenarios if scenarios is None else [scenarios] if isinstance(scenarios, str) else list(scenarios)
        for name in names + ([baseline] if baseline is not None else []):
            self._check_scenario(name)
        return plots.fan_chart(
            self._ds, variable, names, sector=sector, cumulative=cumulative, baseline=baseline, ax=ax
        )

    # ---- the funding brief ---------------------------------------------------------

    def report(
        self,
        baseline: str | None = None,
        out="brief.html",
        pdf=None,
        lang: str = "en",
        scenarios=None,
        risk_scenarios=None,
        draws: int = 16,
        draw_replicates: int = 2,
    ) -> Path:
        """Write the funding brief: one self-contained HTML file comparing each
        policy scenario with ``baseline`` (and its PDF), as ``codev report`` does.

        The main body: an executive summary (the option recommended, the
        amount requested, what it buys, the main risk), the options compared,
        the economic analysis (ENPV, EIRR, benefit-cost ratio, their range over
        parameter uncertainty, switching values), a results framework, cost and
        financing, a risk matrix and the limitations; then, in annexes, each
        policy in detail and the method and provenance. docs/report.md and
        docs/appraisal.md describe each section.

        Parameters
        ----------
        baseline : str
            Name of the baseline scenario; by default the scenario whose file
            declares ``baseline = true``.
        out : str or os.PathLike
            HTML file to write (replaced whole, never left half written).
        pdf : str or os.PathLike, optional
            Also print the brief to this PDF with headless Chromium (Debian's
            ``chromium``).
        lang : {"en", "fr"}
            Language of the brief.
        scenarios : list of str, optional
            Policy scenarios to report (default: all but the baseline and the
            risk runs).
        risk_scenarios : list of str, optional
            Scenarios to treat as risk runs besides those recognised (a
            scenario that differs from another only by shocks, or only by
            higher ``abandonment_hazard`` values).
        draws, draw_replicates : int
            Parameter draws (0: none) and replicates of each draw for the
            ranges over parameter uncertainty, and replicates of the
            switching runs: the recommended option and the baseline are run
            again ``2 * draw_replicates * (draws + 8)`` times.

        Returns
        -------
        pathlib.Path
            The HTML file.

        Raises
        ------
        ValueError
            For an unknown scenario or language, or nothing to compare.
        OSError
            When ``out`` or ``pdf`` cannot be written, or a PDF is asked for
            and Chromium is missing or fails.
        """
        from .report.brief import write_report  # here, not at import: `import codev` stays quick

        return write_report(
            self,
            baseline,
            out,
            pdf=pdf,
            lang=lang,
            scenarios=scenarios,
            risk_scenarios=risk_scenarios,
            draws=draws,
            draw_replicates=draw_replicates,
        )

    # ---- housekeeping --------------------------------------------------------------

    def close(self) -> None:
        """Close the file behind the results (nothing to do for results in memory)."""
        self._ds.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        where = f"file '{self.path}'" if self.path else "in memory"
        return (
            f"<codev.Results: {len(self.scenarios)} scenarios x {self.replicates} replicates x "
            f"{self._ds.sizes['month']} months, seed {self.seed}, {where}>\nscenarios: {', '.join(self.scenarios)}"
        )

    def _check_scenario(self, name: str) -> None:
        if name not in self.scenarios:
            raise ValueError(f"no scenario '{name}' in these results (scenarios: {', '.join(self.scenarios)})")

    def _valid_rows(self, frame: pd.DataFrame) -> pd.Series:
        """Rows within their scenario's own months and communes."""
        months = self._ds["months_in_scenario"].to_series()
        communes = self._ds["communes_in_scenario"].to_series()
        valid = pd.Series(True, index=frame.index)
        if "scenario" not in frame:
            return valid
        if "month" in frame:
            valid &= frame["month"] < frame["scenario"].map(months)
        if "year" in frame:
            valid &= frame["year"] * 12 < frame["scenario"].map(months)
        if "commune" in frame:
            valid &= frame["commune"] < frame["scenario"].map(communes)
        if "programme" in frame and "programmes_in_scenario" in self._ds:
            valid &= frame["programme"] < frame["scenario"].map(self._ds["programmes_in_scenario"].to_series())
        if "rule" in frame and "rules_in_scenario" in self._ds:
            valid &= frame["rule"] < frame["scenario"].map(self._ds["rules_in_scenario"].to_series())
        return valid


# What Results.by_programme and Results.by_funder take (the programme series of
# docs/results-format.md without their "programme_" prefix, and their sums).
PROGRAMME_VARIABLES = (
    "public_money",
    "grants_disbursed",
    "assistance_paid",
    "loan_disbursed",
    "debt_service_paid",
    "budget_committed",
    "projects_approved",
    "skills_missions",
    "reinsertion_grants_paid",
    "reinsertion_businesses_started",
    "projects_completed",
)


def _replicate_spread(data: xr.DataArray, index: list[str]) -> pd.DataFrame:
    """Mean, 5 % and 95 % quantiles over ``replicate``, one row per ``index`` value."""
    data = data.astype(float)
    with warnings.catch_warnings():  # all NaN (no programme, a year no replicate has) is NaN, not news
        warnings.simplefilter("ignore", RuntimeWarning)
        mean = data.mean("replicate", skipna=True)
        quantiles = data.quantile([0.05, 0.95], dim="replicate", skipna=True)
    frame = pd.DataFrame(
        {
            "mean": mean.transpose(*index).to_series(),
            "p5": quantiles.sel(quantile=0.05, drop=True).transpose(*index).to_series(),
            "p95": quantiles.sel(quantile=0.95, drop=True).transpose(*index).to_series(),
        }
    )
    return frame


def _spread_table(table: xr.Dataset) -> pd.DataFrame:
    """Mean, 5 % and 95 % quantiles over replicates of every variable of ``table``."""
    spreads = {name: _replicate_spread(table[name], ["scenario"]) for name in table.data_vars}
    frame = pd.concat(spreads, axis=1, names=["indicator", "stat"])
    frame.index.name = "scenario"
    return frame
