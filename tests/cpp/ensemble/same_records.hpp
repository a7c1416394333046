// The check the ensemble tests share: two ensembles hold the same scenarios
// and, job by job, the same records bit for bit (however they were run:
// in memory, in the background, through shards, in rounds).
#pragma once

#include <catch2/catch.hpp>

#include "codev/records.hpp"

namespace codev::testing {

inline void require_same_records(const EnsembleResults& a, const EnsembleResults& b) {
    REQUIRE(a.scenarios.size() == b.scenarios.size());
    for (std::size_t s = 0; s < a.scenarios.size(); ++s) {
        CHECK(a.scenarios[s].name == b.scenarios[s].name);
        CHECK(a.scenarios[s].toml == b.scenarios[s].toml);
        CHECK(a.scenarios[s].commune_population == b.scenarios[s].commune_population);
    }
    REQUIRE(a.records.size() == b.records.size());
    for (std::size_t j = 0; j < a.records.size(); ++j) {
        CHECK(a.records[j].monthly == b.records[j].monthly);
        CHECK(a.records[j].sector_monthly == b.records[j].sector_monthly);
        CHECK(a.records[j].mean_trust == b.records[j].mean_trust);  // bit for bit
        CHECK(a.records[j].completed_value == b.records[j].completed_value);
        CHECK(a.records[j].yearly_people_served == b.records[j].yearly_people_served);
        CHECK(a.records[j].yearly_population == b.records[j].yearly_population);
        CHECK(a.records[j].programme_monthly == b.records[j].programme_monthly);
        CHECK(a.records[j].programme_completed == b.records[j].programme_completed);
    }
}

}  // namespace codev::testing
