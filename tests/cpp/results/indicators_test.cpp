// The indicators of one job (model/results/indicators.cpp) on hand-made records.
#include "codev/results/indicators.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <set>
#include <string>

using namespace codev;

namespace {

// One commune of 1,000 people, twelve months.
JobRecord record(std::int64_t water_served, std::int64_t health_served) {
    JobRecord r;
    r.resize(12, 1);
    r.population(0, 0) = 1000;
    r.yearly_served(0, 0, int(Sector::water)) = water_served;
    r.yearly_served(0, 0, int(Sector::health)) = health_served;
    return r;
}

}  // namespace

TEST_CASE("People reached count a person served in two sectors once", "[indicators]") {
    // Coverage 0.3 by water and 0.2 by health, independent: 1 - 0.7 x 0.8 = 44 % reached.
    const JobIndicators j = job_indicators(record(300, 200));
    CHECK(j.people_reached == Approx(440.0));
    CHECK(j.population == 1000.0);
    // Between the largest sector's count and the sum of the counts, never above the population.
    CHECK(job_indicators(record(1000, 1000)).people_reached == Approx(1000.0));
    CHECK(job_indicators(record(0, 250)).people_reached == Approx(250.0));
}

TEST_CASE("Money indicators add the ledger's flows, loans counted once at their cost", "[indicators]") {
    JobRecord r = record(0, 0);
    r.at(0, Series::programme_budget_opened) = 10'000;
    r.at(1, Series::programme_committed) = 6'000;
    r.at(2, Series::programme_disbursed) = 4'000;
    r.at(2, Series::technical_assistance_paid) = 500;
    r.at(2, Series::commune_cofinancing_paid) = 1'000;
    r.at(0, Series::loan_disbursed) = 5'000;
    r.at(11, Series::debt_service_paid) = 5'600;
    r.at(2, Series::cofinanced_association_spending) = 2'000;
    r.at(2, Series::association_spending) = 2'500;
    r.at(11, Series::association_treasury) = 700;
    r.at(3, Series::remit_formal) = 900;
    r.at(3, Series::remit_informal) = 100;
    r.at(3, Series::remit_fees) = 50;
    const JobIndicators j = job_indicators(r);
    CHECK(j.programme_money == 4'500);
    CHECK(j.public_money == 5'500);
    CHECK(j.public_money_with_debt_service == 5'500 - 5'000 + 5'600);
    CHECK(j.budget_made_available == 15'000);
    CHECK(j.budget_committed_share == Approx(6'000.0 / 15'000));
    CHECK(j.budget_unspent_share == Approx(1.0 - (4'500.0 + 5'600) / 15'000));
    CHECK(j.cofinancing_leverage == Approx((2'000.0 + 1'000) / 4'000));
    // The realised split of the 7,000 paid into co-financed projects.
    CHECK(j.realised_programme_share == Approx(4.0 / 7));
    CHECK(j.realised_commune_share == Approx(1.0 / 7));
    CHECK(j.realised_diaspora_share == Approx(2.0 / 7));
    CHECK(j.diaspora_project_spending == 2'500);
    CHECK(j.diaspora_idle_money == 700);
    CHECK(j.household_receipts == 950);
    CHECK(j.formal_share == Approx(0.9));
    CHECK(j.fees_share_of_remittances == Approx(0.05));
}

TEST_CASE("Indicator sums past int64 do not wrap", "[indicators]") {
    // Each month fits in int64; their sum does not (issue 20, item 7).
    JobRecord r = record(0, 0);
    for (int t = 0; t < 4; ++t) {
        r.at(t, Series::remit_formal) = std::int64_t(1) << 62;
        r.at(t, Series::remit_informal) = std::int64_t(1) << 62;
        r.at(t, Series::remit_fees) = (std::int64_t(1) << 62) / 20;
        r.at(t, Series::programme_disbursed) = std::int64_t(1) << 62;
    }
    const JobIndicators j = job_indicators(r);
    CHECK(j.fees_share_of_remittances == Approx(1.0 / 40));
    CHECK(j.programme_grants == Approx(4 * std::ldexp(1.0, 62)));
}

TEST_CASE("A ratio with nothing to divide by is NaN", "[indicators]") {
    const JobIndicators j = job_indicators(record(0, 0));
    CHECK(std::isnan(j.cofinancing_leverage));
    CHECK(std::isnan(j.budget_unspent_share));
    CHECK(std::isnan(j.months_idea_to_completion));
    CHECK(std::isnan(j.served_per_capita_gini));
}

TEST_CASE("The Gini coefficient is 0 for equal values and rises with concentration", "[indicators]") {
    CHECK(gini_coefficient({1, 1, 1, 1}) == 0.0);
    CHECK(gini_coefficient({0, 0, 1, 1}) == Approx(0.5));
    CHECK(gini_coefficient({0, 0, 0, 4}) == Approx(0.75));
    CHECK(gini_coefficient({3, std::nan(""), 3}) == 0.0);
    CHECK(std::isnan(gini_coefficient({0, 0})));
}

TEST_CASE("Every indicator has a distinct name", "[indicators]") {
    for (std::size_t i = 0; i < JOB_INDICATORS.size(); ++i) {
        CHECK(find_job_indicator(JOB_INDICATORS[i].name) == &JOB_INDICATORS[i]);
        for (std::size_t k = 0; k < i; ++k) CHECK(std::string(JOB_INDICATORS[i].name) != JOB_INDICATORS[k].name);
    }
}

TEST_CASE("Every indicator and every monthly series has a name of its own in the results file", "[indicators]") {
    // They are variables of one HDF5 group (docs/results-format.md): an
    // indicator named like a series could not be written.
    std::set<std::string> names;
    for (const SeriesInfo& s : MONTHLY_SERIES) CHECK(names.insert(s.name).second);
    for (const SeriesInfo& s : SECTOR_MONTHLY_SERIES) CHECK(names.insert(s.name).second);
    for (const IndicatorInfo& i : JOB_INDICATORS) CHECK(names.insert(i.name).second);
    for (const SectorIndicatorInfo& i : JOB_SECTOR_INDICATORS) CHECK(names.insert(i.name).second);
}
