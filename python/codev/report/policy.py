"""The part of the funding brief about one policy scenario against the
baseline: summary, financing plan, yearly disbursement, outputs,
cost-effectiveness, unspent budget, spread over communes, the loan, risks.
"""

import math

from . import charts
from .data import (
    Spread,
    by_sector,
    carry_over_rules,
    communes_with_working_project,
    from_table,
    loan_counterpart,
    loans,
    paired,
    served_per_inhabitant,
    spread,
    year_end_stock,
    yearly_flow,
)
from .i18n import has_text, number, percent
from .page import Brief, cell, esc, figure, fmt, money_words, range_words, table


def section(b: Brief, name: str, anchor: str) -> str:
    parts = [
        (
            f'<section class="policy" id="{anchor}">'
            f"<h2>{b.t('x_annex_policy', number=anchor.rsplit('-', 1)[-1], option=b.title(name))}</h2>"
        ),
        f'<h3>{b.t("summary")}</h3><p class="lead">{summary_paragraph(b, name)}</p>',
        financing(b, name),
    ]
    if b.has_programme(name):
        parts.append(schedule(b, name))
        parts.append(funders(b, name))
        parts.append(rules(b, name))
    parts += [outputs(b, name), cost_effectiveness(b, name)]
    if b.has_programme(name):
        parts.append(unspent(b, name))
    parts.append(communes(b, name))
    if loans(b.params[name]):
        parts.append(loan(b, name))
    parts.append(risks(b, name))
    parts.append("</section>")
    return "\n".join(parts)


def _s(b: Brief, name: str, indicator: str) -> Spread:
    return from_table(b.summary, name, indicator)


def _c(b: Brief, name: str, indicator: str) -> Spread:
    return from_table(b.compared, name, indicator)


# ---- summary ----------------------------------------------------------------------------


def _difference(b: Brief, d: Spread) -> str:
    """More, fewer (with the range of the gap, as positive numbers) or no clear difference."""
    if d.clear_sign > 0:
        return b.raw("diff_more", value=fmt(d.mean, "count", b.lang), range=range_words(d, b.lang))
    if d.clear_sign < 0:
        gap = Spread(-d.mean, -d.p95, -d.p5)
        return b.raw("diff_fewer", value=fmt(gap.mean, "count", b.lang), range=range_words(gap, b.lang))
    return b.raw("diff_none", range=range_words(d, b.lang))


def summary_paragraph(b: Brief, name: str) -> str:
    """One paragraph in plain words, every number from summary() or compare()."""
    lang, years = b.lang, b.years(name)
    public = _s(b, name, "programme_money")
    sentences = []
    if b.has_programme(name):
        sentences.append(
            b.t(
                "sum_public",
                years=years,
                name=b.title(name),
                public=money_words(public.mean, lang),
                public_range=range_words(public, lang, "money"),
            )
        )
    else:
        sentences.append(b.t("sum_no_programme", name=b.title(name)))
    projects, people = _s(b, name, "projects_completed_total"), _s(b, name, "people_reached")
    sentences.append(
        b.t(
            "sum_outputs",
            projects=fmt(projects.mean, "count", lang),
            projects_range=range_words(projects, lang),
            people=fmt(people.mean, "count", lang),
            people_range=range_words(people, lang),
            projects_diff=_difference(b, _c(b, name, "additional_projects_completed")),
            people_diff=_difference(b, _c(b, name, "additional_people_reached")),
        )
    )
    if public.mean > 0:
        cost = _c(b, name, "cost_per_additional_person_reached")
        sentences.append(
            b.t(
                "sum_cost",
                cost=fmt(cost.mean, "fcfa", lang),
                cost_range=range_words(cost, lang),
                cost_public=fmt(_c(b, name, "cost_per_additional_person_reached_public").mean, "fcfa", lang),
                built_anyway=percent(_c(b, name, "built_anyway_share").mean, lang),
            )
        )
        sentences.append(
            b.t(
                "sum_unspent",
                unspent=percent(_s(b, name, "budget_unspent_share").mean, lang),
                available=money_words(_s(b, name, "budget_made_available").mean, lang),
            )
        )
    if _s(b, name, "loan_drawn").mean > 0:
        sentences.append(
            b.t(
                "sum_loan",
                loan=money_words(_s(b, name, "loan_drawn").mean, lang),
                service=money_words(_s(b, name, "debt_service").mean, lang),
                cost=fmt(_c(b, name, "cost_per_additional_person_reached_with_debt_service").mean, "fcfa", lang),
            )
        )
    elif loans(b.params[name]):
        sentences.append(_loan_not_drawn(b, name))
    receipts = _c(b, name, "additional_household_receipts")
    if receipts.clear_sign != 0:
        sentences.append(
            b.t(
                "sum_fees",
                receipts=money_words(receipts.mean, lang),
                receipts_range=range_words(receipts, lang, "money"),
                fees=percent(_s(b, name, "fees_share_of_remittances").mean, lang),
                baseline_fees=percent(_s(b, b.baseline, "fees_share_of_remittances").mean, lang),
            )
        )
    sentences.append(
        b.t(
            "sum_gini",
            gini=fmt(_s(b, name, "served_per_capita_gini").mean, "ratio2", lang),
            baseline_gini=fmt(_s(b, b.baseline, "served_per_capita_gini").mean, "ratio2", lang),
        )
    )
    return " ".join(sentences)


# ---- financing and schedule ------------------------------------------------------------------


def financing(b: Brief, name: str) -> str:
    """The financing plan: every number is a cell of Results.summary()."""
    lang = b.lang

    payers = ("programme_grants", "commune_cofinancing", "diaspora_project_spending")
    paid_in = sum(_s(b, name, payer).mean for payer in payers)

    def row(label: str, indicator: str, kind: str = "money_m", share: bool = False):
        cells = [cell(_s(b, name, indicator), kind, lang, indicator, name)]
        # The split of the mean money paid into projects: presentation, not an indicator.
        split = _s(b, name, indicator).mean / paid_in if paid_in > 0 else math.nan
        cells.append(f'<td class="num">{esc(percent(split, lang))}</td>' if share else "<td></td>")
        return [b.t(label), *cells]

    rows = [
        b.t("fin_uses"),
        row("fin_programme", "programme_grants", share=True),
        row("fin_communes", "commune_cofinancing", share=True),
        row("fin_diaspora", "diaspora_project_spending", share=True),
        [b.t("fin_total"), f'<td class="num">{esc(fmt(paid_in, "money_m", lang))}</td>', "<td></td>"],
    ]
    if b.has_programme(name):
        rows += [b.t("fin_sources")]
        if loans(b.params[name]):
            rows.append(row("fin_loan", "loan_drawn"))
        rows += [
            row("fin_available", "budget_made_available"),
            row("fin_paid", "programme_money"),
            row("fin_ta", "technical_assistance"),
            row("fin_unspent", "budget_unspent_share", "share"),
        ]
    header = ["", b.t("col_amount"), b.t("col_share")]
    note = "" if b.has_programme(name) else f'<p class="note">{b.t("fin_no_programme")}</p>'
    return (
        f"<h3>{b.t('financing')}</h3><p>{b.t('financing_intro', years=b.years(name))}</p>"
        + table(
            b,
            b.t("financing_caption", name=b.title(name)),
            header,
            rows,
            "financing",
            f' data-scenario="{esc(name)}"',
        )
        + note
    )


_FLOWS = (
    ("sch_grants", "programme_disbursed", "programme"),
    ("sch_ta", "technical_assistance_paid", "ta"),
    ("sch_communes", "commune_cofinancing_paid", "communes"),
    ("sch_diaspora", "association_spending", "diaspora"),
)


def schedule(b: Brief, name: str) -> str:
    """Money paid by year: means of yearly sums of the results' monthly flows."""
    lang, ds = b.lang, b.ds
    has_loan = bool(loans(b.params[name]))
    flows = list(_FLOWS) + (
        [("sch_loan", "loan_disbursed", "loan"), ("sch_debt", "debt_service_paid", "debt")] if has_loan else []
    )
    yearly = {key: yearly_flow(ds, name, variable) for key, variable, _ in flows}
    means = {key: values.mean("replicate").values for key, values in yearly.items()}
    public = yearly["sch_grants"] + yearly["sch_ta"]
    uncommitted = year_end_stock(ds, name, "programme_budget_available").mean("replicate").values
    years = [int(y) for y in yearly["sch_grants"]["year"].values]
    rows = []
    for i, year in enumerate(years):
        cells = [fmt_cell(means[key][i], lang) for key, _, _ in flows]
        cells.append(cell(spread(public.sel(year=year)), "money_m", lang, compact=True))
        cells.append(fmt_cell(uncommitted[i], lang))
        rows.append([str(year), *cells])
    totals = [fmt_cell(float(means[key].sum()), lang) for key, _, _ in flows]
    rows.append(
        [
            f"<b>{b.t('sch_total')}</b>",
            *totals,
            cell(spread(public.sum("year")), "money_m", lang, compact=True),
            "<td></td>",
        ]
    )
    header = [b.t("col_year"), *[b.t(key) for key, _, _ in flows], b.t("sch_public_range"), b.t("sch_uncommitted")]
    bars = {(b.raw(key), colour): means[key] / 1e6 for key, _, colour in flows[:4]}
    lines = {(b.raw(key), colour): means[key] / 1e6 for key, _, colour in flows[4:]}
    chart = charts.yearly_money(years, bars, lines, lang, f"schedule-{_slug(name)}")
    return (
        f"<h3>{b.t('schedule')}</h3><p>{b.t('schedule_intro')}</p>"
        + table(b, b.t("schedule_caption", name=b.title(name)), header, rows, "schedule")
        + figure(b, chart, b.t("schedule_caption", name=b.title(name)))
    )


def funders(b: Brief, name: str) -> str:
    """Public money by funder and year (Results.by_funder), when the scenario's
    programmes name their funders; "" when none does."""
    programmes = b.results.programmes()
    if name not in programmes.index.get_level_values("scenario"):
        return ""
    named = sorted({f for f in programmes.loc[name]["funder"] if f != "unspecified"})
    if not named:
        return ""
    money = b.results.by_funder("public_money").loc[name]["mean"].unstack("funder").fillna(0.0)
    money = money.loc[money.sum(axis=1) > 0, money.sum(axis=0) > 0]
    rows = [[str(year), *[fmt_cell(float(v), b.lang) for v in values]] for year, values in money.iterrows()]
    rows.append([f"<b>{b.t('sch_total')}</b>", *[fmt_cell(float(v), b.lang) for v in money.sum(axis=0)]])
    header = [b.t("col_year"), *[esc(str(f)) for f in money.columns]]
    return f"<h3>{b.t('funders')}</h3><p>{b.t('funders_intro')}</p>" + table(
        b, b.t("funders_caption", name=b.title(name)), header, rows, "funders", f' data-scenario="{esc(name)}"'
    )


def rules(b: Brief, name: str) -> str:
    """The scenario's rules (policies that react, docs/model.md 7.6.11): how
    many replicates saw each fire, and in which years; "" without rules."""
    firings = b.results.rule_firings()
    declared = [str(r) for r in b.ds["rule_name"].sel(scenario=name).values if str(r)] if "rule" in b.ds.dims else []
    if not declared:
        return ""
    firings = firings.loc[firings["scenario"] == name]
    replicates = int(b.ds.sizes["replicate"])
    rows = []
    for rule in declared:
        mine = firings.loc[firings["rule"] == rule]
        action = str(b.ds["rule_action"].sel(scenario=name).values[declared.index(rule)])
        # calendar years when the file has a calendar, else model years
        years = sorted({t.year for t in mine["time"]} if "time" in mine else {int(m) // 12 for m in mine["month"]})
        when = ", ".join(str(y) for y in years[:8]) + (" …" if len(years) > 8 else "")
        rows.append(
            [
                esc(rule),
                esc(action),
                f'<td class="num">{mine["replicate"].nunique()} / {replicates}</td>',
                esc(when or "—"),
            ]
        )
    header = [b.t("rule_name"), b.t("rule_action"), b.t("rule_replicates"), b.t("rule_years")]
    return f"<h3>{b.t('rules')}</h3><p>{b.t('rules_intro')}</p>" + table(
        b, b.t("rules_caption", name=b.title(name)), header, rows, "rules", f' data-scenario="{esc(name)}"'
    )


def fmt_cell(value: float, lang: str) -> str:
    """A mean in million FCFA, without a range (yearly tables)."""
    return f'<td class="num">{esc(fmt(value, "money_m", lang, 0 if abs(value) >= 1e8 or value == 0 else 1))}</td>'


def _slug(name: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in name)


# ---- outputs, cost-effectiveness, unspent budget ---------------------------------------------------


def _sector_values(b: Brief, what: str, sector: str | None):
    """Projects completed, or people served (reached, over all sectors), per
    (scenario, replicate): by sector, or all sectors when ``sector`` is None."""
    if what == "projects":
        return (
            b.ds["projects_completed_total"]
            if sector is None
            else b.ds["projects_completed_by_sector"].sel(sector=sector, drop=True)
        )
    if sector is None:
        return b.ds["people_reached"]
    return by_sector(b.ds, sector)


def outputs(b: Brief, name: str) -> str:
    lang, rows = b.lang, []
    for sector in (*[str(s) for s in b.ds["sector"].values], None):
        if sector is None:
            label = f"<b>{b.t('all_sectors')}</b>"
        else:
            label = b.t(f"sector_{sector}") if has_text(f"sector_{sector}") else esc(sector)
        cells = []
        for what in ("projects", "people"):
            values = _sector_values(b, what, sector)
            cells += [
                cell(spread(values.sel(scenario=name)), "count", lang),
                cell(spread(paired(values, name, b.baseline)), "count", lang),
            ]
        rows.append([label, *cells])
    header = [
        b.t("col_sector"),
        b.t("col_projects"),
        b.t("out_projects_added"),
        b.t("col_people"),
        b.t("out_people_added"),
    ]
    labels = {name: b.title(name), b.baseline: b.title(b.baseline)}
    chart = charts.people_over_time(b.ds, name, b.baseline, lang, f"people-{_slug(name)}", labels)
    return (
        f"<h3>{b.t('outputs')}</h3><p>{b.t('outputs_intro', years=b.years(name))}</p>"
        + table(b, b.t("outputs_caption", name=b.title(name)), header, rows, "outputs")
        + figure(b, chart, b.t("people_chart_caption", name=b.title(name)))
    )


def cost_effectiveness(b: Brief, name: str) -> str:
    lang = b.lang
    rows = []
    for label, indicator, kind in (
        ("cost_public", "public_money", "money_m"),
        ("cost_value", "value_completed", "money_m"),
        ("cost_leverage", "cofinancing_leverage", "ratio2"),
        ("cost_months", "months_idea_to_completion", "months"),
    ):
        rows.append(
            [b.t(label), cell(_s(b, name, indicator), kind, lang), cell(_s(b, b.baseline, indicator), kind, lang)]
        )
    for label, effect, kind in (
        ("cost_per_person", "cost_per_additional_person_reached", "fcfa"),
        ("cost_per_person_public", "cost_per_additional_person_reached_public", "fcfa"),
        ("cost_per_project", "cost_per_additional_working_project", "money_m"),
        ("cost_built_anyway", "built_anyway_share", "share"),
    ):
        rows.append([b.t(label), cell(_c(b, name, effect), kind, lang), "<td></td>"])
    header = [b.t("col_indicator"), esc(b.title(name)), f"{esc(b.title(b.baseline))} ({b.t('baseline_tag')})"]
    return (
        f"<h3>{b.t('cost')}</h3>"
        + table(b, b.t("cost_caption", name=b.title(name)), header, rows, "cost")
        + f'<p class="note">{b.t("cost_note")}</p>'
    )


def unspent(b: Brief, name: str) -> str:
    lang = b.lang
    share = _s(b, name, "budget_unspent_share")
    rules = carry_over_rules(b.params[name])
    carry = " ".join(b.raw(f"carry_{rule}") for rule in sorted(rules))
    words = b.t(
        "unspent_text",
        available=money_words(_s(b, name, "budget_made_available").mean, lang),
        paid=money_words(_s(b, name, "programme_money").mean, lang),
        unspent=percent(share.mean, lang),
        unspent_range=f"[{percent(share.p5, lang)} – {percent(share.p95, lang)}]",
        carry=carry,
    )
    return f"<h3>{b.t('unspent')}</h3><p>{words}</p>"


# ---- communes -------------------------------------------------------------------------------


def communes(b: Brief, name: str) -> str:
    lang = b.lang
    working = communes_with_working_project(b.ds)
    gini = b.table["served_per_capita_gini"]
    rows = [
        [
            b.t("com_gini"),
            cell(_s(b, name, "served_per_capita_gini"), "ratio2", lang),
            cell(_s(b, b.baseline, "served_per_capita_gini"), "ratio2", lang),
            cell(spread(paired(gini, name, b.baseline)), "ratio2", lang),
        ],
        [
            b.t("com_working"),
            cell(spread(working.sel(scenario=name)), "count", lang),
            cell(spread(working.sel(scenario=b.baseline)), "count", lang),
            cell(spread(paired(working, name, b.baseline)), "count", lang),
        ],
    ]
    header = [
        b.t("col_indicator"),
        esc(b.title(name)),
        f"{esc(b.title(b.baseline))} ({b.t('baseline_tag')})",
        b.t("col_difference"),
    ]
    curves = {
        (b.title(b.baseline), "baseline"): served_per_inhabitant(b.ds, b.baseline),
        (b.title(name), "policy"): served_per_inhabitant(b.ds, name),
    }
    chart = charts.lorenz(curves, lang, f"lorenz-{_slug(name)}")
    count = int(b.ds["communes_in_scenario"].sel(scenario=name))
    return (
        f"<h3>{b.t('communes')}</h3><p>{b.t('communes_intro', communes=number(count, lang))}</p>"
        + table(b, b.t("communes_caption", name=b.title(name)), header, rows, "communes")
        + figure(b, chart, b.t("lorenz_caption"), "half")
    )


# ---- the loan ------------------------------------------------------------------------------


def _loan_not_drawn(b: Brief, name: str) -> str:
    """Why a loan the scenario offers was not drawn: the rule (docs/model.md
    7.6.4) and the years it was available."""
    years = max(len(terms.get("disbursement", [])) for terms in loans(b.params[name]).values())
    amount = sum(terms["amount_xof"] for terms in loans(b.params[name]).values())
    return b.t("loan_not_drawn", amount=money_words(amount, b.lang), years=years)


def loan(b: Brief, name: str) -> str:
    lang, ds = b.lang, b.ds
    terms = []
    for programme, terms_of in loans(b.params[name]).items():
        shares = " / ".join(percent(s, lang, 0) for s in terms_of.get("disbursement", []))
        terms.append(
            [
                esc(programme),
                f'<td class="num">{esc(fmt(terms_of["amount_xof"], "money_m", lang))}</td>',
                f'<td class="num">{esc(percent(terms_of["interest_rate"], lang, 2))}</td>',
                f'<td class="num">{terms_of["grace_years"]}</td>',
                f'<td class="num">{terms_of["tenor_years"]}</td>',
                f'<td class="num">{esc(shares)}</td>',
            ]
        )
    terms_header = [
        b.t("loan_programme"),
        b.t("loan_amount"),
        b.t("loan_rate"),
        b.t("loan_grace"),
        b.t("loan_tenor"),
        b.t("loan_schedule_shares"),
    ]
    reference = loan_counterpart(b.params, name)
    intro = b.t("loan_counterpart", ref=b.title(reference)) if reference else b.t("loan_no_counterpart")
    if not _s(b, name, "loan_drawn").mean > 0:
        intro += " " + _loan_not_drawn(b, name)
    reference = reference or b.baseline
    buys = [
        [b.t("loan_drawn_total"), cell(_s(b, name, "loan_drawn"), "money_m", lang)],
        [b.t("loan_service_total"), cell(_s(b, name, "debt_service"), "money_m", lang)],
        [
            b.t("loan_projects_vs", ref=b.title(reference)),
            cell(spread(paired(b.table["projects_completed_total"], name, reference)), "count", lang),
        ],
        [
            b.t("loan_extra_vs", ref=b.title(reference)),
            cell(spread(paired(b.table["people_reached"], name, reference)), "count", lang),
        ],
    ]
    drawn = yearly_flow(ds, name, "loan_disbursed").mean("replicate").values
    paid = yearly_flow(ds, name, "debt_service_paid").mean("replicate").values
    served = year_end_stock(ds, name, "people_served")
    added = (served - year_end_stock(ds, reference, "people_served")).reindex(year=served["year"])
    years = [int(y) for y in served["year"].values]
    rows = [
        [
            str(y),
            fmt_cell(drawn[i], lang),
            fmt_cell(paid[i], lang),
            cell(spread(served.sel(year=y)), "count", lang, compact=True),
            cell(spread(added.sel(year=y)), "count", lang, compact=True),
        ]
        for i, y in enumerate(years)
    ]
    header = [
        b.t("col_year"),
        b.t("sch_loan"),
        b.t("sch_debt"),
        b.t("loan_people_end"),
        b.t("loan_people_added", ref=b.title(reference)),
    ]
    chart = charts.loan_and_outputs(
        years,
        drawn / 1e6,
        paid / 1e6,
        added.mean("replicate").values,
        b.raw("loan_people_added", ref=b.title(reference)),
        lang,
        f"loan-{_slug(name)}",
    )
    return (
        f"<h3>{b.t('loan')}</h3><p>{b.t('loan_intro', years=b.years(name))} {intro}</p>"
        + table(b, b.t("loan_terms_caption", name=b.title(name)), terms_header, terms, "loan-terms")
        + table(b, b.t("loan_buys_caption", name=b.title(name)), ["", b.t("mean_range")], buys, "loan-buys")
        + table(b, b.t("loan_yearly_caption", name=b.title(name)), header, rows, "loan-yearly")
        + figure(b, chart, b.t("loan_yearly_caption", name=b.title(name)))
    )


# ---- risks ---------------------------------------------------------------------------------


def risks(b: Brief, name: str) -> str:
    parts = [f"<h3>{b.t('risks')}</h3><p>{b.t('risks_intro')}</p>"]
    for kind in ("recession", "failure"):
        own = [r for r in b.risk_runs if r.kind == kind and r.reference == name]
        base = [r for r in b.risk_runs if r.kind == kind and r.reference == b.baseline]
        title = f"risk_{kind}"
        if own:
            parts += [
                risk_table(b, run, title, b.t("risk_for_policy", variant=b.title(run.variant), reference=b.title(name)))
                for run in own
            ]
        elif base:
            parts += [
                risk_table(
                    b, run, title, b.t("risk_for_baseline_only", name=b.title(name), variant=b.title(run.variant))
                )
                for run in base
            ]
        else:
            parts.append(
                f"<p><b>{title}.</b> "
                + b.t("risk_missing", name=b.title(name), what=b.raw(f"risk_what_{kind}"))
                + "</p>"
            )
    for run in (r for r in b.risk_runs if r.kind == "other" and r.reference in (name, b.baseline)):
        keys = ", ".join(run.keys[:8]) + (", ..." if len(run.keys) > 8 else "")
        parts.append(
            risk_table(
                b,
                run,
                "risk_other",
                b.t("risk_other_diff", variant=b.title(run.variant), reference=b.title(run.reference), keys=keys),
            )
        )
    return "".join(parts)


def risk_table(b: Brief, run, title_key: str, intro: str) -> str:
    """One risk run against its reference; ``title_key`` names the risk's
    title in i18n, filled raw into the caption, which b.t escapes once."""
    lang, rows = b.lang, []
    for label, indicator, kind in (
        ("col_projects", "projects_completed_total", "count"),
        ("col_reached", "people_reached", "count"),
        ("col_public", "public_money", "money_m"),
    ):
        reference, variant = _s(b, run.reference, indicator), _s(b, run.variant, indicator)
        change = spread(paired(b.table[indicator], run.variant, run.reference))
        relative = (variant.mean - reference.mean) / reference.mean if reference.mean else math.nan
        rows.append(
            [
                b.t(label),
                cell(reference, kind, lang),
                cell(variant, kind, lang),
                cell(change, kind, lang),
                f'<td class="num">{esc(percent(relative, lang))}</td>',
            ]
        )
    header = [
        b.t("col_indicator"),
        esc(b.title(run.reference)),
        f"{esc(b.title(run.variant))} ({b.t('col_under_risk')})",
        b.t("col_change"),
        b.t("col_change_pct"),
    ]
    caption = b.t("risk_caption", risk=b.raw(title_key), variant=b.title(run.variant), reference=b.title(run.reference))
    return f"<p><b>{b.t(title_key)}.</b> {intro} {_risk_terms(b, run)}</p>" + table(b, caption, header, rows, "risk")


def _risk_terms(b: Brief, run) -> str:
    """What the risk run changes, in words: its scenario's description when it
    declares one, else the failure hazards it raises."""
    described = b.params[run.variant].get("description", {})
    if described:
        return esc(described.get(b.lang) or described.get("en"))
    variant, reference = b.params[run.variant], b.params[run.reference]
    if run.kind == "recession" or (run.kind == "other" and run.keys == ("shocks",)):
        added = [s for s in variant.get("shocks", []) if s not in reference.get("shocks", [])]
        words = "; ".join(
            b.raw(
                "risk_shock_words",
                kind=b.raw(f"shock_{s.get('kind')}") if has_text(f"shock_{s.get('kind')}") else str(s.get("kind")),
                start=s.get("start_month", 0),
                end=s.get("end_month", "…"),
                corridors=", ".join(s.get("corridors") or [b.raw("shock_all_corridors")]),
            )
            for s in added
        )
        return b.t("risk_shock_terms", terms=words)
    if run.kind == "failure":
        terms = ", ".join(
            f"{b.raw('sector_' + k.split('.')[1]) if has_text('sector_' + k.split('.')[1]) else k.split('.')[1]} "
            f"{number(reference['sectors'][k.split('.')[1]]['abandonment_hazard'] * 1200, b.lang, 2)} % "
            f"→ {number(variant['sectors'][k.split('.')[1]]['abandonment_hazard'] * 1200, b.lang, 2)} %"
            for k in run.keys
        )
        return b.t("risk_failure_terms", terms=terms)
    return ""
