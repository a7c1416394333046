// Key indicators per scenario with their spread over replicates: the table
// `codev run` prints at the end (MODEL.md section 1, "Outputs").
#pragma once

#include <array>
#include <string>
#include <vector>

#include "codev/results.hpp"

namespace codev {

struct Spread {
    double mean = 0.0, p5 = 0.0, p95 = 0.0;  // NaN when undefined (e.g. no public money)
};

// Indicators of one job.
struct JobIndicators {
    double projects_completed = 0;      // over the horizon, all sectors
    double people_served = 0;           // at the horizon, by working projects
    double public_disbursed = 0;        // programme grants + technical assistance (XOF)
    double leverage = 0;                // value of completed projects per XOF of public money (NaN if none)
    double public_cost_per_person = 0;  // public XOF per person served (NaN if none served)
};

JobIndicators job_indicators(const JobRecord& record);

// The indicators of JobIndicators by name, with their units: what a
// precision trigger (precision.hpp) may name.
struct JobIndicatorInfo {
    const char* name;
    double JobIndicators::*value;
    const char* units;
};
extern const std::array<JobIndicatorInfo, 5> JOB_INDICATORS;

struct ScenarioSummary {
    std::string scenario;
    Spread projects_completed, people_served, public_disbursed, leverage, public_cost_per_person;
};

// Mean and 5-95% range (linear interpolation between order statistics).
Spread spread(std::vector<double> values);

std::vector<ScenarioSummary> summarise(const EnsembleResults& results);

// A plain-text table, one row per scenario.
std::string format_summary(const std::vector<ScenarioSummary>& rows);

}  // namespace codev
