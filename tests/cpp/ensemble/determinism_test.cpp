// docs/model.md 9, invariants 5 and 6: bit-identical results for any thread count and any
// order of scenarios; common random numbers across policy scenarios.
#include <tbb/global_control.h>

#include <catch2/catch.hpp>

#include "codev/ensemble/ensemble.hpp"
#include "test_world.hpp"

using namespace codev;

namespace {

Scenario scenario(const std::string& name, const Params& p) {
    Scenario s;
    s.name = name;
    s.params = p;
    return s;
}

EnsembleResults run(const std::vector<Scenario>& scenarios, int threads) {
    EnsembleOptions o;
    o.replicates = 3;
    o.seed = 2024;
    o.threads = threads;
    o.run.check_invariants = true;
    return run_ensemble(scenarios, o);
}

void require_equal(const JobRecord& a, const JobRecord& b) {
    REQUIRE(a.monthly == b.monthly);
    REQUIRE(a.sector_monthly == b.sector_monthly);
    REQUIRE(a.mean_trust == b.mean_trust);  // bit-identical doubles
    REQUIRE(a.yearly_people_served == b.yearly_people_served);
    REQUIRE(a.yearly_population == b.yearly_population);
    REQUIRE(a.completed_value == b.completed_value);
}

}  // namespace

TEST_CASE("Results are bit-identical for 1 and 2 threads and any scenario order", "[determinism]") {
    Params base = testing::small_params(30000, 72);
    // Associations come and go (docs/model.md 7.5.1), and the policy supports
    // their registration (7.6.8): foundings, dissolutions and registrations
    // run serially, and memberships change in the parallel social pass.
    base.associations.leave_rate_per_year = 0.2;
    base.associations.founding_rate_per_year = 0.5;
    base.associations.registration_rate_per_year = 0.1;
    base.associations.dormancy_after_idle_months = 12;
    base.associations.revival_rate_per_year = 0.2;
    base.associations.dissolution_after_dormant_months = 24;
    base.spinup_months = 24;                       // the spin-up too (docs/model.md 5.1)
    base.associations.projects_under_way_max = 2;  // and several projects under way (7.5)
    Params policy = base;
    policy.programmes = {testing::share_programme()};
    policy.programmes[0].registration_support = {true, 0.5, 200000};
    const auto one = run({scenario("base", base), scenario("policy", policy)}, 1);
    const auto two = run({scenario("base", base), scenario("policy", policy)}, 2);
    const auto swapped = run({scenario("policy", policy), scenario("base", base)}, 2);
    for (std::size_t j = 0; j < one.records.size(); ++j) require_equal(one.records[j], two.records[j]);
    for (int r = 0; r < 3; ++r) {
        require_equal(one.records[r], swapped.records[3 + r]);
        require_equal(one.records[3 + r], swapped.records[r]);
    }
}

TEST_CASE("Scenarios differing only in programmes share labour and remittance histories", "[determinism]") {
    Params base = testing::small_params(30000, 72);
    Params policy = base;
    policy.programmes = {testing::share_programme()};
    Params ratio = base;
    ratio.programmes = {testing::share_programme()};
    ratio.programmes[0].rule = Rule::ratio;
    const auto res = run({scenario("base", base), scenario("policy", policy), scenario("ratio", ratio)}, 2);
    for (int r = 0; r < 3; ++r)
        for (int t = 0; t < 72; ++t)
            for (Series s : {Series::migrants, Series::migrants_employed, Series::remit_formal, Series::remit_informal,
                             Series::remit_fees}) {
                REQUIRE(res.records[r].at(t, s) == res.records[3 + r].at(t, s));
                REQUIRE(res.records[r].at(t, s) == res.records[6 + r].at(t, s));
            }
    // ...while the programme changes what the associations do.
    CHECK(res.records[0].monthly != res.records[3].monthly);
}
