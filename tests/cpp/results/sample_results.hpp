// A small synthetic ensemble with known values, shared by results_file_test.cpp
// and the codev_write_sample tool that tests/python/test_results_format.py
// runs. The value formulas are repeated in that Python test: change both.
//
// Two scenarios of different length and commune count ("baseline": 24 months,
// 3 named communes, no programme; "reform": 18 months, 2 unnamed communes,
// one programme "codev" paid by "france"), 3 replicates, start date
// 2024-01-31 (so month 1 is 2024-02-29: clamped calendar months).
#pragma once

#include <cstdint>
#include <string>

#include "codev/records.hpp"

namespace codev::testing {

inline std::int64_t sample_monthly(int s, int r, int m, int series) {
    return 10'000'000'000LL * (s + 1) + 1'000'000LL * r + 1000LL * m + series;  // past 2^32: int64 on disk
}
inline std::int64_t sample_sector(int s, int r, int m, int series, int sector) {
    return 100'000LL * s + 10'000LL * r + 100LL * m + 10LL * series + sector;
}
inline double sample_trust(int s, int r, int m) { return 0.5 + 0.1 * s + 0.01 * r + 0.001 * m; }
inline std::int64_t sample_idea_months(int s, int r, int m) { return 7LL * m + r + s; }
inline std::int64_t sample_completed_value(int s, int r, int m) { return 3'000'000'000LL + 1000LL * m + 10LL * r + s; }
inline std::int64_t sample_served(int s, int r, int y, int c, int k) {
    return 100'000LL * s + 10'000LL * r + 1000LL * y + 10LL * c + k;
}
inline std::int64_t sample_operating(int s, int r, int y, int c, int k) { return 2 * sample_served(s, r, y, c, k) + 1; }
inline std::int64_t sample_population(int s, int r, int y, int c) {
    return 1'000'000LL * (s + 1) + 1000LL * y + 10LL * c + r;
}

inline std::int64_t sample_programme(int s, int r, int m, int p, int i) {
    return 20'000'000'000LL + 1'000'000LL * r + 1000LL * m + 100LL * p + 10LL * i + s;
}
inline std::int64_t sample_programme_completed(int r, int m, int p, int k) { return 1000LL * r + 10LL * m + p + k; }

// A rule fires in the months where this is 1.
inline std::int64_t sample_rule_fired(int r, int m) { return (m + r) % 5 == 0 ? 1 : 0; }

inline JobRecord sample_record(int s, int r, int months, int communes, int programmes = 0) {
    JobRecord job;
    const int rules = programmes;  // the scenario with a programme has a rule on it
    job.resize(months, communes, programmes, rules);
    for (int m = 0; m < months; ++m)
        for (int i = 0; i < rules; ++i) job.fired(m, i) = sample_rule_fired(r, m);
    for (int m = 0; m < months; ++m)
        for (int p = 0; p < programmes; ++p) {
            for (int i = 0; i < PROGRAMME_SERIES_COUNT; ++i)
                job.at(m, p, ProgrammeSeries(i)) = sample_programme(s, r, m, p, i);
            for (int k = 0; k < SECTOR_COUNT; ++k) job.completed(m, p, k) = sample_programme_completed(r, m, p, k);
        }
    for (int m = 0; m < months; ++m) {
        for (int i = 0; i < SERIES_COUNT; ++i) job.at(m, Series(i)) = sample_monthly(s, r, m, i);
        for (int i = 0; i < SECTOR_SERIES_COUNT; ++i)
            for (int k = 0; k < SECTOR_COUNT; ++k) job.at(m, SectorSeries(i), k) = sample_sector(s, r, m, i, k);
        job.mean_trust[std::size_t(m)] = sample_trust(s, r, m);
        job.idea_to_completion_months[std::size_t(m)] = sample_idea_months(s, r, m);
        job.completed_value[std::size_t(m)] = sample_completed_value(s, r, m);
    }
    for (int y = 0; y < job.years; ++y)
        for (int c = 0; c < communes; ++c) {
            for (int k = 0; k < SECTOR_COUNT; ++k) {
                job.yearly_served(y, c, k) = sample_served(s, r, y, c, k);
                job.yearly_operating(y, c, k) = sample_operating(s, r, y, c, k);
            }
            job.population(y, c) = sample_population(s, r, y, c);
        }
    return job;
}

inline EnsembleResults sample_ensemble() {
    EnsembleResults results;
    results.scenarios = {
        {"baseline",
         "name = \"baseline\"\n[world]\nmonths = 24\n",
         "2024-01-31",
         {1'000'000, 300'000, 50'000},
         {0, 1, 2},
         {"Dakar", "Thiès", "Sédhiou"},
         {},
         {},
         {},
         {},
         {},
         "",
         0},
        {"reform",
         "name = \"reform\"\n[world]\nmonths = 18\n",
         "2024-01-31",
         {80'000, 20'000},
         {1, 1},
         {},
         {"codev"},
         {"france"},
         {"extra-call"},
         {"codev"},
         {"extra_call"},
         "",
         0},
    };
    results.replicates = 3;
    results.months = 24;
    results.seed = 12'345'678'901'234'567'890ULL;  // above INT64_MAX: stored as uint64
    results.command_line = "codev run baseline.toml reform.toml --replicates 3";
    const int months[] = {24, 18}, communes[] = {3, 2}, programmes[] = {0, 1};
    for (int s = 0; s < 2; ++s)
        for (int r = 0; r < results.replicates; ++r)
            results.records.push_back(sample_record(s, r, months[s], communes[s], programmes[s]));
    return results;
}

}  // namespace codev::testing
