// Indicator table of `codev run` (MODEL.md section 1).
#include "codev/summary.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

namespace codev {

const std::array<JobIndicatorInfo, 5> JOB_INDICATORS = {{
    {"projects_completed", &JobIndicators::projects_completed, "1"},
    {"people_served", &JobIndicators::people_served, "1"},
    {"public_disbursed", &JobIndicators::public_disbursed, "XOF"},
    {"leverage", &JobIndicators::leverage, "1"},
    {"public_cost_per_person", &JobIndicators::public_cost_per_person, "XOF"},
}};

JobIndicators job_indicators(const JobRecord& r) {
    JobIndicators out;
    double value = 0.0;
    for (int t = 0; t < r.months; ++t) {
        for (int s = 0; s < SECTOR_COUNT; ++s)
            out.projects_completed += double(r.at(t, SectorSeries::projects_completed, s));
        out.public_disbursed +=
            double(r.at(t, Series::programme_disbursed) + r.at(t, Series::technical_assistance_paid));
        value += double(r.completed_value[t]);
    }
    if (r.months > 0)
        for (int s = 0; s < SECTOR_COUNT; ++s)
            out.people_served += double(r.at(r.months - 1, SectorSeries::people_served, s));
    const double nan = std::numeric_limits<double>::quiet_NaN();
    out.leverage = out.public_disbursed > 0 ? value / out.public_disbursed : nan;
    out.public_cost_per_person =
        out.public_disbursed > 0 && out.people_served > 0 ? out.public_disbursed / out.people_served : nan;
    return out;
}

Spread spread(std::vector<double> values) {
    values.erase(std::remove_if(values.begin(), values.end(), [](double v) { return std::isnan(v); }), values.end());
    const double nan = std::numeric_limits<double>::quiet_NaN();
    if (values.empty()) return {nan, nan, nan};
    std::sort(values.begin(), values.end());
    auto quantile = [&](double q) {
        const double pos = q * double(values.size() - 1);
        const auto lo = std::size_t(std::floor(pos));
        const auto hi = std::min(lo + 1, values.size() - 1);
        return values[lo] + (pos - double(lo)) * (values[hi] - values[lo]);
    };
    double sum = 0.0;
    for (double v : values) sum += v;
    return {sum / double(values.size()), quantile(0.05), quantile(0.95)};
}

std::vector<ScenarioSummary> summarise(const EnsembleResults& results) {
    std::vector<ScenarioSummary> rows;
    for (std::size_t s = 0; s < results.scenarios.size(); ++s) {
        std::vector<double> completed, served, disbursed, leverage, cost;
        for (int r = 0; r < results.replicates; ++r) {
            const JobIndicators j =
                job_indicators(results.records[s * std::size_t(results.replicates) + std::size_t(r)]);
            completed.push_back(j.projects_completed);
            served.push_back(j.people_served);
            disbursed.push_back(j.public_disbursed);
            leverage.push_back(j.leverage);
            cost.push_back(j.public_cost_per_person);
        }
        rows.push_back({results.scenarios[s].name, spread(completed), spread(served), spread(disbursed),
                        spread(leverage), spread(cost)});
    }
    return rows;
}

namespace {

std::string cell(const Spread& s, double scale, int decimals) {
    if (std::isnan(s.mean)) return "-";
    char buf[96];
    std::snprintf(buf, sizeof buf, "%.*f [%.*f-%.*f]", decimals, s.mean / scale, decimals, s.p5 / scale, decimals,
                  s.p95 / scale);
    return buf;
}

}  // namespace

std::string format_summary(const std::vector<ScenarioSummary>& rows) {
    std::size_t width = 8;
    for (const auto& r : rows) width = std::max(width, r.scenario.size());
    char line[512];
    std::string out;
    std::snprintf(line, sizeof line, "%-*s  %-22s  %-28s  %-26s  %-18s  %-26s\n", int(width), "scenario",
                  "projects completed", "people served", "public disbursed (M XOF)", "leverage",
                  "public XOF / person served");
    out += line;
    for (const auto& r : rows) {
        std::snprintf(line, sizeof line, "%-*s  %-22s  %-28s  %-26s  %-18s  %-26s\n", int(width), r.scenario.c_str(),
                      cell(r.projects_completed, 1, 0).c_str(), cell(r.people_served, 1, 0).c_str(),
                      cell(r.public_disbursed, 1e6, 0).c_str(), cell(r.leverage, 1, 2).c_str(),
                      cell(r.public_cost_per_person, 1, 0).c_str());
        out += line;
    }
    out += "mean [5%-95% over replicates]\n";
    return out;
}

}  // namespace codev
