// What a policy adds (model/results/effects.cpp), on a hand-made two-scenario case
// whose effects are known exactly, and the table `codev run` prints.
#include "codev/results/effects.hpp"

#include <catch2/catch.hpp>
#include <cmath>

#include "codev/results/summary.hpp"

using namespace codev;

namespace {

// The baseline: 2 projects, nobody co-financed, 200 people reached, the
// associations pay 1,000 into projects and keep 500.
JobIndicators baseline_job() {
    JobIndicators j;
    j.projects_completed_total = 2;
    j.projects_completed_by_sector = {2, 0, 0, 0, 0};
    j.projects_working = 2;
    j.people_reached = 200;
    j.diaspora_project_spending = 1'000;
    j.diaspora_idle_money = 500;
    return j;
}

// The policy: 4 projects of which 3 co-financed (so 1 of the 3 would have
// been built anyway), `reached` people, 4,800 of programme money and 1,200
// from the communes; the associations pay 300 less and keep 300 more.
JobIndicators policy_job(double reached) {
    JobIndicators j = baseline_job();
    j.projects_completed_total = 4;
    j.projects_completed_by_sector = {3, 1, 0, 0, 0};
    j.projects_working = 4;
    j.cofinanced_projects_completed_total = 3;
    j.people_reached = reached;
    j.programme_money = 4'800;
    j.public_money = 6'000;
    j.public_money_with_debt_service = 6'000;
    j.diaspora_project_spending = 700;
    j.diaspora_idle_money = 800;
    return j;
}

const Estimate& value(const PolicyEffects& e, const char* name) {
    return e.values[std::size_t(find_effect(name) - EFFECTS.data())];
}

}  // namespace

TEST_CASE("Effects are paired differences with the baseline, replicate by replicate", "[effects]") {
    // Replicates reach 440 and 520 people: 240 and 320 more than the baseline's 200.
    const PolicyEffects e =
        policy_effects("policy", {policy_job(440), policy_job(520)}, {baseline_job(), baseline_job()});
    CHECK(value(e, "additional_projects_completed").value == 2);
    CHECK(e.additional_projects_completed_by_sector[0].value == 1);
    CHECK(e.additional_projects_completed_by_sector[1].value == 1);
    CHECK(value(e, "additional_people_reached").value == 280);
    CHECK(value(e, "additional_people_reached").p5 == Approx(240 + 0.05 * 80));
    CHECK(value(e, "additional_people_reached").p95 == Approx(240 + 0.95 * 80));
    // Share built anyway: 1 - additional / co-financed = 1 - 2 / 3.
    CHECK(value(e, "built_anyway_share").value == Approx(1.0 / 3));
    // Diaspora money crowded out into idle treasuries.
    CHECK(value(e, "additional_diaspora_project_spending").value == -300);
    CHECK(value(e, "additional_diaspora_idle_money").value == 300);
}

TEST_CASE("A cost per additional person divides additional money by additional people", "[effects]") {
    const PolicyEffects e =
        policy_effects("policy", {policy_job(440), policy_job(520)}, {baseline_job(), baseline_job()});
    // Central value: the ratio of the means, 4,800 / 280; range: the per-replicate ratios 20 and 15.
    const Estimate& programme = value(e, "cost_per_additional_person_reached");
    CHECK(programme.value == Approx(4'800.0 / 280));
    CHECK(programme.p5 == Approx(15 + 0.05 * 5));
    CHECK(programme.p95 == Approx(15 + 0.95 * 5));
    CHECK(value(e, "cost_per_additional_person_reached_public").value == Approx(6'000.0 / 280));
    CHECK(value(e, "cost_per_additional_working_project").value == Approx(4'800.0 / 2));
}

TEST_CASE("Money spent for nobody more is an unbounded cost, not a number", "[effects]") {
    // The third replicate reaches no one more than the baseline: per replicate 20, 15 and +inf.
    const PolicyEffects e = policy_effects("policy", {policy_job(440), policy_job(520), policy_job(200)},
                                           {baseline_job(), baseline_job(), baseline_job()});
    const Estimate& cost = value(e, "cost_per_additional_person_reached");
    CHECK(cost.value == Approx(4'800.0 / (560.0 / 3)));
    CHECK(cost.p5 == Approx(15.5));
    CHECK(std::isinf(cost.p95));
}

TEST_CASE("A policy that adds no public money has no cost per person", "[effects]") {
    JobIndicators fee_cut = baseline_job();
    fee_cut.people_reached = 260;  // more people, for no public franc
    const PolicyEffects e = policy_effects("fee-cut", {fee_cut, fee_cut}, {baseline_job(), baseline_job()});
    const Estimate& cost = value(e, "cost_per_additional_person_reached");
    CHECK(std::isnan(cost.value));
    CHECK(std::isnan(cost.p5));
    CHECK(value(e, "additional_people_reached").value == 60);
}

TEST_CASE("Replicates are paired: counts must agree", "[effects]") {
    CHECK_THROWS_AS(policy_effects("policy", {policy_job(440)}, {baseline_job(), baseline_job()}),
                    std::invalid_argument);
    CHECK_THROWS_AS(policy_effects("policy", {}, {}), std::invalid_argument);
}

TEST_CASE("The effect table leads with what a policy adds and warns when money lies unspent", "[effects]") {
    PolicyEffects e = policy_effects("policy", {policy_job(440), policy_job(520)}, {baseline_job(), baseline_job()});
    const std::size_t unspent = std::size_t(find_effect("budget_unspent_share") - EFFECTS.data());
    e.values[unspent] = {0.41, 0.37, 0.45};
    const std::string table = format_effects({e}, "base", 2);
    CHECK(table.find("What each policy adds to base") == 0);
    CHECK(table.find("additional people reached") < table.find("cost per additional person reached"));
    CHECK(table.find("280 [244, 316]") != std::string::npos);
    CHECK(table.find("warning: policy left 41 % [37 %, 45 %]") != std::string::npos);
    e.values[unspent] = {0.1, 0.05, 0.15};
    CHECK(format_effects({e}, "base", 2).find("warning") == std::string::npos);
}
