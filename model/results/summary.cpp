// The tables `codev run` prints (summary.hpp). The effect table leads: the
// totals of a policy include everything its baseline achieves too, so a
// designer reading them would credit the policy with the baseline's projects.
#include "codev/results/summary.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "codev/scenario/scenario.hpp"

namespace codev {

std::vector<std::vector<JobIndicators>> ensemble_indicators(const EnsembleResults& results) {
    const std::size_t replicates = std::size_t(results.replicates);
    std::vector<std::vector<JobIndicators>> out(results.scenarios.size());
    for (std::size_t s = 0; s < out.size(); ++s)
        for (std::size_t r = 0; r < replicates; ++r)
            out[s].push_back(job_indicators(results.records[s * replicates + r]));
    return out;
}

namespace {

std::size_t scenario_index(const EnsembleResults& results, const std::string& name) {
    for (std::size_t s = 0; s < results.scenarios.size(); ++s)
        if (results.scenarios[s].name == name) return s;
    std::string names;
    for (const ScenarioInfo& info : results.scenarios) names += (names.empty() ? "" : ", ") + info.name;
    throw ScenarioError("--baseline: '" + name + "' is not a scenario of this run (scenarios: " + names + ")");
}

bool declared_baseline(const ScenarioInfo& info) {
    return parse_scenario(info.toml, info.name, info.name, ".").params.baseline;
}

// A policy is compared with its baseline replicate by replicate: the same
// months and the same communes with the same populations, or the differences
// count months or people the baseline does not have.
void check_comparable(const EnsembleResults& results, std::size_t policy, std::size_t baseline) {
    const JobRecord& p = results.records[policy * std::size_t(results.replicates)];
    const JobRecord& b = results.records[baseline * std::size_t(results.replicates)];
    const std::string head = "cannot compare '" + results.scenarios[policy].name + "' with the baseline '" +
                             results.scenarios[baseline].name + "': ";
    const std::string tail = " (a policy and its baseline must share the horizon and the world)";
    if (p.months != b.months)
        throw ScenarioError(head + std::to_string(p.months) + " months against " + std::to_string(b.months) + tail);
    if (p.communes != b.communes)
        throw ScenarioError(head + std::to_string(p.communes) + " communes against " + std::to_string(b.communes) +
                            tail);
    if (results.scenarios[policy].commune_population != results.scenarios[baseline].commune_population)
        throw ScenarioError(head + "their communes have other populations" + tail);
}

}  // namespace

std::string find_baseline(const EnsembleResults& results, const std::string& requested) {
    if (!requested.empty()) return results.scenarios[scenario_index(results, requested)].name;
    std::string found;
    for (const ScenarioInfo& info : results.scenarios) {
        if (!declared_baseline(info)) continue;
        if (!found.empty())
            throw ScenarioError("scenarios '" + found + "' and '" + info.name +
                                "' both declare baseline = true: name one with --baseline");
        found = info.name;
    }
    return found;
}

std::vector<PolicyEffects> ensemble_effects(const EnsembleResults& results, const std::string& baseline) {
    const std::size_t b = scenario_index(results, baseline);
    const auto indicators = ensemble_indicators(results);
    std::vector<PolicyEffects> out;
    for (std::size_t s = 0; s < results.scenarios.size(); ++s) {
        if (s == b) continue;
        check_comparable(results, s, b);
        out.push_back(policy_effects(results.scenarios[s].name, indicators[s], indicators[b]));
    }
    return out;
}

namespace {

// How a number is shown: its scale and the unit named in the row label.
enum class Show { count, millions, francs, percent, points, ratio };

// 1234567 -> "1,234,567" (rounded to whole units).
std::string grouped(double v) {
    char digits[64];
    std::snprintf(digits, sizeof digits, "%.0f", std::fabs(v));
    std::string text = digits, out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (i > 0 && (text.size() - i) % 3 == 0) out += ',';
        out += text[i];
    }
    return (v < 0 && out != "0" ? "-" : "") + out;
}

std::string number(double v, Show show) {
    if (std::isnan(v)) return "-";
    if (std::isinf(v)) return v > 0 ? "∞" : "-∞";
    char buf[64];
    switch (show) {
        case Show::count:
        case Show::francs:
            return grouped(v);
        case Show::millions:
            return std::fabs(v) < 1e8 ? (std::snprintf(buf, sizeof buf, "%.1f", v / 1e6), buf) : grouped(v / 1e6);
        case Show::percent:
            std::snprintf(buf, sizeof buf, "%.0f %%", 100.0 * v);
            return buf;
        case Show::points:
            std::snprintf(buf, sizeof buf, "%+.1f pt", 100.0 * v);
            return buf;
        case Show::ratio:
            std::snprintf(buf, sizeof buf, "%.2f", v);
            return buf;
    }
    return "-";
}

std::string cell(const Estimate& e, Show show) {
    if (std::isnan(e.value) && std::isnan(e.p5)) return "-";
    return number(e.value, show) + " [" + number(e.p5, show) + ", " + number(e.p95, show) + "]";
}

// Display width: UTF-8 continuation bytes take no column.
std::size_t columns(const std::string& text) {
    return std::size_t(std::count_if(text.begin(), text.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

std::string padded(const std::string& text, std::size_t width) {
    return text + std::string(width > columns(text) ? width - columns(text) : 0, ' ');
}

struct Row {
    std::string label;
    std::vector<std::string> cells;
};

std::string format_rows(const std::string& corner, const std::vector<std::string>& heads,
                        const std::vector<Row>& rows) {
    std::size_t label_width = columns(corner);
    for (const Row& row : rows) label_width = std::max(label_width, columns(row.label));
    std::vector<std::size_t> widths;
    for (std::size_t c = 0; c < heads.size(); ++c) {
        std::size_t w = columns(heads[c]);
        for (const Row& row : rows) w = std::max(w, columns(row.cells[c]));
        widths.push_back(w);
    }
    const auto line = [&](const std::string& label, const std::vector<std::string>& cells) {
        std::string out = padded(label, label_width);
        for (std::size_t c = 0; c < cells.size(); ++c) out += "  " + padded(cells[c], widths[c]);
        while (!out.empty() && out.back() == ' ') out.pop_back();
        return out + "\n";
    };
    std::string out = line(corner, heads);
    for (const Row& row : rows) out += line(row.label, row.cells);
    return out;
}

struct EffectRow {
    const char* label;
    const char* effect;  // a name of EFFECTS, or "" for a heading
    Show show;
};

// The effect table, top to bottom: outputs, money, cost, additionality, the
// diaspora's money, the budget, the households.
const std::vector<EffectRow>& effect_rows() {
    static const std::vector<EffectRow> rows = {
        {"additional projects completed", "additional_projects_completed", Show::count},
        {"additional projects working at the horizon", "additional_projects_working", Show::count},
        {"additional people reached", "additional_people_reached", Show::count},
        {"additional public money (M XOF)", "", Show::count},
        {"  programme grants", "additional_programme_grants", Show::millions},
        {"  technical assistance", "additional_technical_assistance", Show::millions},
        {"  communes", "additional_commune_cofinancing", Show::millions},
        {"  debt service", "additional_debt_service", Show::millions},
        {"  total (programme and communes)", "additional_public_money", Show::millions},
        {"  total, loans at their cost", "additional_public_money_with_debt_service", Show::millions},
        {"cost per additional person reached (XOF)", "", Show::count},
        {"  programme money", "cost_per_additional_person_reached", Show::francs},
        {"  with the communes", "cost_per_additional_person_reached_public", Show::francs},
        {"  with the communes, loans at their cost", "cost_per_additional_person_reached_with_debt_service",
         Show::francs},
        {"cost per additional working project (M XOF)", "", Show::count},
        {"  programme money", "cost_per_additional_working_project", Show::millions},
        {"  with the communes", "cost_per_additional_working_project_public", Show::millions},
        {"  with the communes, loans at their cost", "cost_per_additional_working_project_with_debt_service",
         Show::millions},
        {"co-financed projects completed", "cofinanced_projects_completed_total", Show::count},
        {"  share that would have been built anyway", "built_anyway_share", Show::percent},
        {"diaspora money paid into projects (M XOF, change)", "additional_diaspora_project_spending", Show::millions},
        {"diaspora money idle at the horizon (M XOF, change)", "additional_diaspora_idle_money", Show::millions},
        {"associations active at the horizon (change)", "additional_associations_active", Show::count},
        {"  registered (change)", "additional_associations_registered", Show::count},
        {"diaspora and commune XOF per programme grant XOF", "cofinancing_leverage", Show::ratio},
        {"realised split of co-financed projects: programme", "realised_programme_share", Show::percent},
        {"  communes", "realised_commune_share", Show::percent},
        {"  diaspora", "realised_diaspora_share", Show::percent},
        {"programme money made available (M XOF)", "budget_made_available", Show::millions},
        {"  share committed", "budget_committed_share", Show::percent},
        {"  share unspent", "budget_unspent_share", Show::percent},
        {"households: remittances received (M XOF, change)", "additional_household_receipts", Show::millions},
        {"  fees paid (M XOF, change)", "additional_remittance_fees", Show::millions},
        {"  formal share (change)", "additional_formal_share", Show::points},
    };
    return rows;
}

std::size_t effect_index(const char* name) { return std::size_t(find_effect(name) - EFFECTS.data()); }

std::vector<Row> effect_table_rows(const std::vector<PolicyEffects>& effects) {
    std::vector<Row> rows;
    for (const EffectRow& spec : effect_rows()) {
        Row row{spec.label, {}};
        for (const PolicyEffects& p : effects)
            row.cells.push_back(*spec.effect ? cell(p.values[effect_index(spec.effect)], spec.show) : "");
        rows.push_back(std::move(row));
        if (std::string(spec.effect) != "additional_projects_completed") continue;
        for (int k = 0; k < SECTOR_COUNT; ++k) {
            Row sector{std::string("  ") + SECTOR_NAMES[k], {}};
            for (const PolicyEffects& p : effects)
                sector.cells.push_back(cell(p.additional_projects_completed_by_sector[k], Show::count));
            rows.push_back(std::move(sector));
        }
    }
    return rows;
}

}  // namespace

std::string format_effects(const std::vector<PolicyEffects>& effects, const std::string& baseline, int replicates) {
    std::string out = "What each policy adds to " + baseline + ": mean [5%, 95%] over " + std::to_string(replicates) +
                      " replicates paired with the baseline's\n";
    // At most four policies side by side: wider tables wrap in a terminal.
    for (std::size_t first = 0; first < effects.size(); first += 4) {
        const std::vector<PolicyEffects> group(effects.begin() + std::ptrdiff_t(first),
                                               effects.begin() + std::ptrdiff_t(std::min(first + 4, effects.size())));
        std::vector<std::string> heads;
        for (const PolicyEffects& p : group) heads.push_back(p.scenario);
        out += "\n" + format_rows("", heads, effect_table_rows(group));
    }
    const std::size_t unspent = effect_index("budget_unspent_share");
    for (const PolicyEffects& p : effects) {
        const Estimate& e = p.values[unspent];
        if (!(e.value > UNSPENT_WARNING_SHARE)) continue;
        out += "warning: " + p.scenario + " left " + cell(e, Show::percent) +
               " of the programme money made available unspent: more budget would buy nothing under these rules\n";
    }
    return out;
}

std::string format_totals(const EnsembleResults& results) {
    const auto indicators = ensemble_indicators(results);
    const auto column_of = [](const std::vector<JobIndicators>& jobs, double JobIndicators::*member) {
        std::vector<double> values;
        for (const JobIndicators& j : jobs) values.push_back(j.*member);
        return spread(values);
    };
    std::vector<Row> rows;
    for (std::size_t s = 0; s < indicators.size(); ++s) {
        const auto& jobs = indicators[s];
        rows.push_back({results.scenarios[s].name,
                        {cell(column_of(jobs, &JobIndicators::projects_completed_total), Show::count),
                         cell(column_of(jobs, &JobIndicators::projects_working), Show::count),
                         cell(column_of(jobs, &JobIndicators::people_reached), Show::count),
                         number(jobs.empty() ? 0.0 : jobs.front().population, Show::count),
                         cell(column_of(jobs, &JobIndicators::programme_money), Show::millions),
                         cell(column_of(jobs, &JobIndicators::public_money), Show::millions),
                         cell(column_of(jobs, &JobIndicators::budget_unspent_share), Show::percent)}});
    }
    return "Totals of each scenario (the baseline's outcomes included): mean [5%, 95%] over " +
           std::to_string(results.replicates) + " replicates\n" +
           format_rows("scenario",
                       {"projects completed", "working at the horizon", "people reached", "population",
                        "programme money (M XOF)", "public money (M XOF)", "budget unspent"},
                       rows);
}

std::string format_run_table(const EnsembleResults& results, const std::string& baseline, bool totals) {
    if (totals || baseline.empty() || results.scenarios.size() < 2) {
        std::string out = format_totals(results);
        if (!totals && results.scenarios.size() >= 2)
            out +=
                "(no baseline: name one with --baseline NAME, or declare baseline = true in its scenario file, "
                "to see what each policy adds)\n";
        return out;
    }
    return format_effects(ensemble_effects(results, baseline), baseline, results.replicates);
}

}  // namespace codev
