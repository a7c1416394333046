// The check the ensemble tests share: two ensembles hold the same scenarios
// and, job by job, the same records bit for bit (however they were run:
// in memory, in the background, through shards, in rounds).
#pragma once

#include <catch2/catch.hpp>

#include "codev/records.hpp"

namespace codev::testing {

// Two job records, bit for bit.
inline void require_same_record(const JobRecord& a, const JobRecord& b) {
    CHECK(a.months == b.months);
    CHECK(a.programmes == b.programmes);
    CHECK(a.monthly == b.monthly);
    CHECK(a.sector_monthly == b.sector_monthly);
    CHECK(a.mean_trust == b.mean_trust);  // bit for bit
    CHECK(a.idea_to_completion_months == b.idea_to_completion_months);
    CHECK(a.completed_value == b.completed_value);
    CHECK(a.yearly_people_served == b.yearly_people_served);
    CHECK(a.yearly_projects_operating == b.yearly_projects_operating);
    CHECK(a.yearly_population == b.yearly_population);
    CHECK(a.programme_monthly == b.programme_monthly);
    CHECK(a.programme_completed == b.programme_completed);
}

inline void require_same_records(const EnsembleResults& a, const EnsembleResults& b) {
    REQUIRE(a.scenarios.size() == b.scenarios.size());
    for (std::size_t s = 0; s < a.scenarios.size(); ++s) {
        CHECK(a.scenarios[s].name == b.scenarios[s].name);
        CHECK(a.scenarios[s].toml == b.scenarios[s].toml);
        CHECK(a.scenarios[s].commune_population == b.scenarios[s].commune_population);
    }
    REQUIRE(a.records.size() == b.records.size());
    for (std::size_t j = 0; j < a.records.size(); ++j) require_same_record(a.records[j], b.records[j]);
}

}  // namespace codev::testing
