// Every shipped scenario, at reduced scale, keeps the invariants of docs/model.md
// section 9 every month; policy scenarios share the baseline's labour history.
#include <catch2/catch.hpp>
#include <filesystem>

#include "codev/ensemble/ensemble.hpp"
#include "codev/results/indicators.hpp"
#include "codev/scenario/scenario.hpp"

using namespace codev;

namespace {

// The scenario at a tenth of its size and six years, so the suite stays fast.
Scenario reduced(const std::string& file) {
    Scenario s = load_scenario(std::string(CODEV_SOURCE_DIR) + "/scenarios/" + file);
    s = with_override(s, "world.migrants", "20000");
    s = with_override(s, "months", "72");
    return s;
}

EnsembleResults run(const std::vector<Scenario>& scenarios) {
    EnsembleOptions options;
    options.replicates = 2;
    options.seed = 99;
    options.run.check_invariants = true;
    return run_ensemble(scenarios, options);
}

}  // namespace

TEST_CASE("Every shipped scenario runs with the invariants checked every month", "[scenarios][invariants]") {
    std::vector<Scenario> scenarios;
    for (const auto& entry : std::filesystem::directory_iterator(std::string(CODEV_SOURCE_DIR) + "/scenarios"))
        if (entry.path().extension() == ".toml") scenarios.push_back(reduced(entry.path().filename().string()));
    REQUIRE(scenarios.size() >= 6);
    const EnsembleResults results = run(scenarios);  // throws InvariantViolation on the first violation
    CHECK(results.records.size() == 2 * scenarios.size());
    // People reached count each person once: never more than live in the communes.
    for (std::size_t s = 0; s < scenarios.size(); ++s)
        for (std::size_t r = 0; r < 2; ++r) {
            const JobIndicators j = job_indicators(results.records[s * 2 + r]);
            INFO(scenarios[s].name);
            CHECK(j.people_reached <= j.population);
            CHECK(j.people_reached >= 0);
        }
}

TEST_CASE("Shipped policy scenarios share the baseline's labour and remittance draws", "[scenarios][determinism]") {
    const EnsembleResults r = run({reduced("mali-kayes-baseline.toml"), reduced("codev-share-70.toml"),
                                   reduced("three-for-one.toml"), reduced("codev-with-ta.toml")});
    for (int s = 1; s < 4; ++s)
        for (int rep = 0; rep < 2; ++rep)
            for (int t = 0; t < 72; ++t) {
                REQUIRE(r.records[rep].at(t, Series::migrants_employed) ==
                        r.records[2 * s + rep].at(t, Series::migrants_employed));
                REQUIRE(r.records[rep].at(t, Series::remit_formal) ==
                        r.records[2 * s + rep].at(t, Series::remit_formal));
            }
}

TEST_CASE("The fee cut moves remittances to formal channels; the recession lowers them", "[scenarios]") {
    const EnsembleResults r =
        run({reduced("mali-kayes-baseline.toml"), reduced("fee-cut-3pct.toml"), reduced("recession-shock.toml")});
    auto total = [&](int job, Series s, int from, int to) {
        std::int64_t sum = 0;
        for (int t = from; t < to; ++t) sum += r.records[job].at(t, s);
        return sum;
    };
    // Month 60 onwards the fee is 3%: formal flows are higher, fees lower.
    CHECK(total(2, Series::remit_formal, 60, 72) > total(0, Series::remit_formal, 60, 72));
    CHECK(total(2, Series::remit_fees, 60, 72) < total(0, Series::remit_fees, 60, 72));
    // Cheaper sending raises the amounts sent (docs/model.md 7.3) and lowers
    // what associations' transfers home cost (7.4).
    CHECK(total(2, Series::remit_formal, 60, 72) + total(2, Series::remit_informal, 60, 72) >
          total(0, Series::remit_formal, 60, 72) + total(0, Series::remit_informal, 60, 72));
    CHECK(total(2, Series::association_fees, 60, 72) < total(0, Series::association_fees, 60, 72));
    // Years 3-4 (months 24-47): the recession cuts employment and remittances.
    CHECK(total(4, Series::migrants_employed, 36, 48) < total(0, Series::migrants_employed, 36, 48));
    CHECK(total(4, Series::remit_formal, 36, 48) + total(4, Series::remit_informal, 36, 48) <
          total(0, Series::remit_formal, 36, 48) + total(0, Series::remit_informal, 36, 48));
}
