// Small worlds for unit tests, built directly as Params (no scenario file),
// so each process can be tested on numbers derived by hand.
#pragma once

#include <string>

#include "codev/params.hpp"
#include "codev/scenario/scenario.hpp"

namespace codev::testing {

// Two corridors, ten communes, a few thousand migrants, no programme.
inline Params small_params(std::int64_t migrants = 5000, int months = 60) {
    Params p;
    p.months = months;
    p.world.migrants = migrants;
    p.world.communes = 10;
    p.world.commune_population_median = 20000;
    CorridorParams france;
    france.name = "france";
    france.share_of_migrants = 0.6;
    france.income_median_xof = 800000;
    CorridorParams ci;
    ci.name = "cote_divoire";
    ci.share_of_migrants = 0.4;
    ci.income_median_xof = 150000;
    ci.p_job_loss = 0.03;
    ci.p_job_find = 0.15;
    p.corridors = {france, ci};
    p.associations.idea_rate = 0.2;
    return p;
}

// A scenario made in memory from params, with its resolved TOML (as a
// loaded scenario has: statepoints and forks compare it).
inline Scenario named_scenario(const std::string& name, const Params& p) {
    Scenario s;
    s.name = name;
    s.params = p;
    s.toml = params_to_toml(p);
    return s;
}

// A share-rule programme like Mali's codev rule (70% / commune 20%).
inline ProgrammeParams share_programme() {
    ProgrammeParams pr;
    pr.name = "codev";
    pr.rule = Rule::share;
    pr.share = 0.7;
    pr.commune_share = 0.2;
    pr.cap_xof = 30000000;
    pr.budget_per_year_xof = 300000000;
    pr.approval_probability = 0.8;
    pr.call_months = {3, 9};
    return pr;
}

}  // namespace codev::testing
