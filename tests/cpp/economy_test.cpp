// Tests of the migrant kernels (economy.cpp, social.cpp): at every SIMD level
// (philox_batch.hpp) the monthly passes leave exactly the state the scalar
// kernel leaves, bit for bit, on every class of input the branch-free forms
// of the rules must get right: hazards at and beyond 0 and 1, NaN, closed
// channels (with full or partial substitution), fixed fees (per-migrant
// logit), nothing sent, mixed associations within a vector, spare slots,
// learning communes, joins and returns.
#include "codev/economy.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <vector>

#include "codev/association_life.hpp"
#include "codev/initialisation.hpp"
#include "codev/philox_batch.hpp"
#include "codev/remittances.hpp"
#include "codev/shocks.hpp"
#include "codev/simulation.hpp"
#include "codev/social.hpp"
#include "codev/trust.hpp"
#include "test_world.hpp"

using namespace codev;

namespace {

const double NaN = std::numeric_limits<double>::quiet_NaN();

struct LevelGuard {
    SimdLevel before;
    explicit LevelGuard(SimdLevel level) : before(set_simd_level(level)) {}
    ~LevelGuard() { set_simd_level(before); }
};

std::vector<SimdLevel> vector_levels() {
    std::vector<SimdLevel> levels;
    for (SimdLevel l : {SimdLevel::avx2, SimdLevel::avx512})
        if (l <= simd_supported()) levels.push_back(l);
    static const bool warned = [] {
        if (simd_supported() != SimdLevel::avx512) WARN("AVX-512 kernels not testable on this CPU");
        return true;
    }();
    (void)warned;
    return levels;
}

// The scalar kernel and every vector kernel this CPU runs.
std::vector<SimdLevel> every_level() {
    std::vector<SimdLevel> levels = vector_levels();
    levels.insert(levels.begin(), SimdLevel::scalar);
    return levels;
}

template <class T>
bool same_bits(const std::vector<T>& a, const std::vector<T>& b) {
    return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(T)) == 0);
}

bool same_tally(const CommuneTally& a, const CommuneTally& b) {
    return a.alive == b.alive && a.employed == b.employed && a.members == b.members &&
           a.remit_formal == b.remit_formal && a.remit_informal == b.remit_informal && a.remit_fees == b.remit_fees &&
           a.received == b.received && a.dues == b.dues && a.contributions == b.contributions &&
           a.association_fees == b.association_fees && a.departures == b.departures && a.returns == b.returns &&
           std::memcmp(&a.member_trust_sum, &b.member_trust_sum, sizeof(double)) == 0;
}

// Everything the two passes write, compared bit for bit.
void require_same_state(const World& a, const World& b) {
    const Migrants &m = a.migrants, &n = b.migrants;
    REQUIRE(same_bits(m.id, n.id));
    REQUIRE(same_bits(m.base_income_xof, n.base_income_xof));
    REQUIRE(same_bits(m.propensity, n.propensity));
    REQUIRE(same_bits(m.trust, n.trust));
    if (!same_bits(m.association, n.association))
        for (std::size_t s = 0; s < m.size(); ++s)
            if (m.association[s] != n.association[s]) {
                FAIL("slot " << s << ": " << m.association[s] << " vs " << n.association[s] << " flags "
                             << int(m.flags[s]) << " " << int(n.flags[s]) << " trust " << m.trust[s] << " "
                             << n.trust[s]);
            }
    REQUIRE(same_bits(m.corridor, n.corridor));
    REQUIRE(same_bits(m.flags, n.flags));
    REQUIRE(same_bits(a.associations.treasury_xof, b.associations.treasury_xof));
    REQUIRE(same_bits(a.associations.members, b.associations.members));
    REQUIRE(same_bits(a.associations.raising_multiplier, b.associations.raising_multiplier));
    REQUIRE(same_bits(a.communes.migrants, b.communes.migrants));
    REQUIRE(same_bits(a.communes.departures_made, b.communes.departures_made));
    REQUIRE(same_bits(a.free_slots, b.free_slots));
    REQUIRE(same_bits(a.free_count, b.free_count));
    REQUIRE(a.tally.size() == b.tally.size());
    for (std::size_t c = 0; c < a.tally.size(); ++c) {
        INFO("commune " << c);
        REQUIRE(same_tally(a.tally[c], b.tally[c]));
    }
}

// The economy pass, then the social pass, at each vector level against the
// scalar kernel, from the same state.
void require_kernels_agree(const World& world, const Params& params) {
    World ref = world;
    {
        LevelGuard scalar(SimdLevel::scalar);
        step_economy(ref, params);
    }
    World ref_social = ref;
    {
        LevelGuard scalar(SimdLevel::scalar);
        step_social(ref_social, params);
    }
    for (SimdLevel level : vector_levels()) {
        INFO("level " << simd_level_name(level));
        LevelGuard guard(level);
        World w = world;
        step_economy(w, params);
        require_same_state(ref, w);
        step_social(w, params);
        require_same_state(ref_social, w);
    }
}

// splitmix64, for reproducible test inputs.
struct Mix {
    std::uint64_t state;
    std::uint64_t next() {
        std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    double uniform() { return double(next() >> 11) / 9007199254740992.0; }
    std::size_t below(std::size_t n) { return std::size_t(next() % n); }
};

// Hazard probabilities covering the threshold's classes.
double pick_probability(Mix& mix) {
    static const double classes[] = {0.0,
                                     -0.0,
                                     1.0,
                                     1.5,
                                     -0.25,
                                     NaN,
                                     std::numeric_limits<double>::infinity(),
                                     1.0 / 4294967296.0,
                                     0.5,
                                     std::nextafter(1.0, 0.0),
                                     1e-300};
    return mix.below(3) == 0 ? classes[mix.below(std::size(classes))] : mix.uniform() * 0.3;
}

// Substitutions of a closed channel (docs/model.md 7.3) covering the classes
// of its thresholds: none, full, the extremes next to them, and any between.
double pick_substitution(Mix& mix) {
    static const double classes[] = {0.0, 1.0, 1.0, 1e-300, std::nextafter(1.0, 0.0), 0.5};
    return mix.below(2) == 0 ? classes[mix.below(std::size(classes))] : mix.uniform();
}

// Corridors named c00, c01, ...: the kernels' corridor tables hold up to 8
// (one register) or 16 (two); more take the batched-Philox path.
Params params_with_corridors(int corridors, std::int64_t migrants) {
    Params p = testing::small_params(migrants, 24);
    const CorridorParams model = p.corridors[0];
    p.corridors.clear();
    for (int k = 0; k < corridors; ++k) {
        CorridorParams c = model;
        char name[16];
        std::snprintf(name, sizeof name, "c%02d", k);
        c.name = name;
        c.share_of_migrants = 1.0 + k;
        c.income_median_xof = 100000.0 * (1 + k % 5);
        p.corridors.push_back(c);
    }
    p.programmes = {testing::share_programme()};
    return p;
}

// A world after one month, its state and this month's conditions scrambled
// over the input classes; `learning` communes get completions/abandonments.
World scrambled_world(const Params& p, Mix& mix, bool learning) {
    World w = initialise_world(p, StreamKey{mix.next(), std::uint32_t(mix.below(5))});
    w.month = int(mix.below(300));
    step_shocks(w, p);
    for (CorridorMonth& c : w.conditions.corridor) {
        c.p_job_loss = pick_probability(mix);
        c.p_job_find = pick_probability(mix);
        c.wage_multiplier = mix.below(6) == 0 ? 0.0 : 0.5 + mix.uniform();
        const auto pct = mix.below(8);  // > 1: per-migrant logit; -0: a formal cost of -0
        c.formal_fee_pct = pct == 0 ? 1.2 : pct == 1 ? -0.0 : mix.uniform() * 0.1;
        // A fixed fee (per-migrant logit), sometimes above the amount (the cost is capped at R).
        const auto fixed = mix.below(6);
        c.formal_fee_fixed = fixed == 0   ? 100.0 + 3000.0 * mix.uniform()
                             : fixed == 1 ? 2e4 * mix.uniform()
                             : fixed == 2 ? -0.0
                                          : 0.0;
        c.informal_fee_pct = mix.uniform() * 0.08;
        c.formal_closed = mix.below(4) == 0;
        c.informal_substitution = pick_substitution(mix);  // also on open channels, where it plays no part
        // The response of amounts to the fee (1 where no fee policy moves it).
        c.amount_factor = mix.below(3) == 0 ? 1.0 : 0.8 + 0.5 * mix.uniform();
    }
    w.conditions.association_fee_pct = mix.below(4) == 0 ? 0.0 : mix.uniform() * 0.1;
    Migrants& m = w.migrants;
    const std::size_t n = m.size();
    for (std::size_t s = 0; s < n; ++s) {
        if (mix.below(10) == 0) m.flags[s] = 0;  // spare slots in the middle too
        switch (mix.below(40)) {
            case 0:
                m.propensity[s] = 0.0f;
                break;  // nothing sent
            case 1:
                m.base_income_xof[s] = 0.0f;
                break;  // no income
            case 2:
                m.base_income_xof[s] = 3e9f;
                break;  // a large income
            case 3:
                m.propensity[s] = 1e-7f;
                break;  // R rounds to 0
            case 4:
                m.trust[s] = 1.0f;
                break;
            case 5:
                m.trust[s] = 0.0f;
                break;
            case 6:
                m.trust[s] = 1.5f;
                break;  // above 1: MAY_JOIN proves nothing
            case 7:
                m.trust[s] = 1e-30f;
                break;
            case 9:
                m.trust[s] = -0.25f;
                break;  // below 0: MAY_JOIN proves nothing about leaving
            case 8:
                m.flags[s] |= Migrants::EMPLOYED;
                break;
            default:
                break;
        }
    }
    // Members of several associations inside one vector of slots.
    for (std::size_t c = 0; c < w.communes.size(); ++c) {
        const std::int32_t first_a = w.communes.first_association[c], end_a = w.communes.first_association[c + 1];
        if (end_a == first_a) continue;
        for (std::int32_t s = w.communes.first_slot[c]; s < w.communes.first_slot[c + 1]; ++s)
            if (mix.below(8) == 0)
                m.association[s] = mix.below(3) == 0 ? NO_ASSOCIATION
                                                     : first_a + std::int32_t(mix.below(std::size_t(end_a - first_a)));
    }
    // Associations raising money with various public shares, or stalled.
    Associations& a = w.associations;
    // Dormant ones among them: members may leave them, but nobody joins them
    // (docs/model.md 7.5.1), so the joinable list has gaps.
    for (std::size_t i = 0; i < a.size(); ++i)
        if (mix.below(5) == 0) a.status[i] = Status::dormant;
    list_joinable(w);
    for (std::size_t i = 0; i < a.size(); ++i) {
        const auto kind = mix.below(4);
        if (kind == 0) continue;
        Project pr;
        pr.association = std::int32_t(i);
        pr.commune = a.commune[i];
        pr.expected_public_share = mix.below(4) == 0 ? 0.995 : mix.uniform();
        pr.stalled = kind == 3;
        a.project[i] = std::int32_t(w.projects.size());
        a.stage[i] = kind == 3 ? Stage::implementing : Stage::fundraising;
        a.dues_xof[i] = std::int64_t(mix.below(20000));
        w.projects.push_back(pr);
    }
    if (learning) {
        for (std::size_t c = 0; c < w.communes.size(); c += 2) {
            const std::int32_t first_a = w.communes.first_association[c], end_a = w.communes.first_association[c + 1];
            if (end_a == first_a) continue;
            const std::int32_t id = first_a + std::int32_t(mix.below(std::size_t(end_a - first_a)));
            a.completed_now[id] = int(mix.below(3));
            a.abandoned_now[id] = int(mix.below(2));
            w.communes.completed_now[c] = a.completed_now[id] + int(mix.below(2));
            w.communes.abandoned_now[c] = a.abandoned_now[id];
        }
    }
    return w;
}

}  // namespace

TEST_CASE("Migrant kernels agree with the scalar kernel over whole simulated runs", "[economy][simd]") {
    Params p = testing::small_params(30000, 48);
    p.programmes = {testing::share_programme()};
    p.formal_fee_pct = Path{{{0, 0.065}, {24, 0.03}}};  // amounts respond to the fee (amount factor != 1)
    p.behaviour.join_rate = 0.05;
    p.migration.return_hazard = 0.01;
    p.migration.departure_rate = 0.01;
    // Associations come and go: members leave, dormant ones cannot be joined,
    // new ones can (docs/model.md 7.5.1).
    p.associations.leave_rate_per_year = 0.3;
    p.associations.founding_rate_per_year = 0.5;
    p.associations.dormancy_after_idle_months = 6;
    p.associations.revival_rate_per_year = 0.5;
    p.associations.dissolution_after_dormant_months = 12;
    for (SimdLevel level : vector_levels()) {
        INFO("level " << simd_level_name(level));
        Simulation a(p, 77, 1, RunOptions{true}), b(p, 77, 1, RunOptions{true});
        for (int t = 0; t < p.months; ++t) {
            {
                LevelGuard g(SimdLevel::scalar);
                a.step();
            }
            {
                LevelGuard g(level);
                b.step();
            }
            INFO("month " << t);
            require_same_state(a.world(), b.world());
        }
        REQUIRE(a.record().monthly == b.record().monthly);
        REQUIRE(a.record().mean_trust == b.record().mean_trust);
    }
}

TEST_CASE("Migrant kernels agree with the scalar kernel on every class of input", "[economy][simd]") {
    Mix mix{12345};
    // 5 corridors: one-register tables; 12: two registers; 17: batched Philox only.
    for (int corridors : {5, 12, 17}) {
        for (int round = 0; round < 6; ++round) {
            INFO("corridors " << corridors << " round " << round);
            Params p = params_with_corridors(corridors, 4000 + std::int64_t(mix.below(3000)));
            p.behaviour.epsilon = mix.below(2) == 0 ? 0.0 : mix.uniform();
            p.behaviour.dues_cap_share = mix.uniform() * 0.1;
            p.behaviour.contribution_share = mix.uniform() * 0.02;
            p.behaviour.fallback_income_share = mix.uniform() * 0.3;
            p.behaviour.dues_income_elasticity = mix.uniform() * 2.0;
            // Every other round, the formal channel even at a fee capped at the amount.
            p.behaviour.channel_alpha = round % 2 == 0 ? -1.847 : -60.0;
            // Joining and return rates over their classes, negative included. (A
            // NaN trust or joining rate is undefined behaviour in the rules
            // themselves: joined_association() converts NaN to an integer.)
            const double join[] = {0.0, 0.004, 0.3, 1.0, -0.1, 2.0};
            const double back[] = {0.0, 0.002, 0.2, 1.0, NaN};
            p.behaviour.join_rate = join[round % std::size(join)];
            p.migration.return_hazard = back[round % std::size(back)];
            // Leaving rates (a year, at trust 0) below, at and above the joining rates.
            const double leave[] = {0.0, 0.05, 3.0, 1000.0};
            p.associations.leave_rate_per_year = leave[(round + corridors) % std::size(leave)];
            p.migration.departure_rate = mix.uniform() * 0.05;
            for (bool learning : {false, true}) {
                World w = scrambled_world(p, mix, learning);
                if (round % 3 == 2)  // a month without fixed fees (+0 or -0): the kernel skips adding them
                    for (std::size_t k = 0; k < w.conditions.corridor.size(); ++k)
                        w.conditions.corridor[k].formal_fee_fixed = k % 2 == 0 ? 0.0 : -0.0;
                require_kernels_agree(w, p);
            }
        }
    }
}

TEST_CASE("Migrant kernels agree on closed channels that substitute partly", "[economy][simd]") {
    // Every corridor but one in four closed, at substitutions over their
    // classes; every other corridor with a fixed fee, so both the flat
    // probability (thresholds in the tables) and the per-migrant logit (the
    // scalar rule on those lanes) decide who sends nothing.
    Mix mix{4242};
    for (int corridors : {5, 12, 17}) {
        for (int round = 0; round < 4; ++round) {
            INFO("corridors " << corridors << " round " << round);
            Params p = params_with_corridors(corridors, 5000);
            p.behaviour.channel_alpha = round % 2 == 0 ? -1.847 : -60.0;
            World w = scrambled_world(p, mix, round % 2 == 1);
            for (std::size_t k = 0; k < w.conditions.corridor.size(); ++k) {
                CorridorMonth& c = w.conditions.corridor[k];
                c.formal_closed = k % 4 != 3;
                c.informal_substitution = k % 4 == 0 ? mix.uniform() : pick_substitution(mix);
                c.formal_fee_fixed = k % 2 == 0 ? 0.0 : 50.0 + 2000.0 * mix.uniform();
                if (c.formal_fee_pct > 1.0 && k % 2 == 0) c.formal_fee_pct = 0.05;  // keep the even ones flat
            }
            require_kernels_agree(w, p);
        }
    }
}

TEST_CASE("The vector kernels never contract a*b+c into an FMA", "[economy][simd]") {
    // The formal cost pct R + fixed with one rounding (an FMA) instead of two
    // changes the fee of this migrant: fl(pct R) is rounded up by e, and
    // fixed = 99.5 - fl(pct R), so the two roundings give exactly 99.5 (fee
    // 100) and the FMA 99.5 - e (fee 99). (Amounts rounded as x + 0.5 after a
    // product cannot tell the two apart, so the canary is the fee.)
    Params p = testing::small_params(2000, 12);
    p.corridors.resize(1);
    p.corridors[0].share_of_migrants = 1.0;
    p.behaviour.channel_alpha = -1000.0;  // the formal channel for sure
    World w = initialise_world(p, StreamKey{3, 0});
    step_shocks(w, p);
    const double amount = 1000.0;
    double pct = 1.1e9;
    for (int i = 0; i < 100000; ++i, pct = std::nextafter(pct, 2e9)) {
        const double product = pct * amount;
        if (-std::fma(pct, amount, -product) > 1e-5) break;  // rounded up by more than 1e-5
    }
    const double fixed = 99.5 - pct * amount;
    REQUIRE(pct * amount + fixed == 99.5);                            // two roundings
    REQUIRE(std::int64_t(std::fma(pct, amount, fixed) + 0.5) == 99);  // one rounding
    CorridorMonth& c = w.conditions.corridor[0];
    c.formal_fee_pct = pct;
    c.formal_fee_fixed = fixed;
    c.informal_fee_pct = 0.0;
    c.wage_multiplier = 1.0;
    c.p_job_loss = 0.0;
    std::int64_t alive = 0;
    for (std::size_t s = 0; s < w.migrants.size(); ++s) {
        w.migrants.propensity[s] = 1.0f;
        w.migrants.base_income_xof[s] = float(amount);
        if (w.migrants.flags[s] & Migrants::ALIVE) {
            w.migrants.flags[s] = Migrants::ALIVE | Migrants::EMPLOYED;
            ++alive;
        }
    }
    REQUIRE(alive > 100);
    for (SimdLevel level : every_level()) {
        INFO("level " << simd_level_name(level));
        LevelGuard guard(level);
        World v = w;
        step_economy(v, p);
        std::int64_t sent = 0, fees = 0;
        for (const CommuneTally& t : v.tally) {
            sent += t.remit_formal;
            fees += t.remit_fees;
        }
        CHECK(sent == 1000 * alive);
        CHECK(fees == 100 * alive);
    }
}

TEST_CASE("The social flags carry the return draw and bound the membership draw", "[economy]") {
    // RETURNS is bernoulli(w3, return_hazard) and MAY_JOIN bernoulli(w2, the
    // largest of join_rate and the monthly leaving probability) of the
    // migrant's month block (world.hpp, trust.hpp).
    const double leave_year = GENERATE(0.0, 12.0);  // monthly 0, then 1 - e^-1 = 0.632 > join_rate
    Params p = testing::small_params(3000, 12);
    p.behaviour.join_rate = 0.3;
    p.associations.leave_rate_per_year = leave_year;
    const double flag_p = std::max(0.3, -std::expm1(-leave_year / 12.0));
    CHECK(membership_flag_probability(p) == flag_p);
    p.migration.return_hazard = 0.2;
    World w = initialise_world(p, StreamKey{5, 2});
    w.month = 7;
    step_shocks(w, p);
    for (SimdLevel level : every_level()) {
        INFO("level " << simd_level_name(level));
        LevelGuard guard(level);
        World v = w;
        step_economy(v, p);
        std::size_t returns = 0, may_join = 0;
        for (std::size_t s = 0; s < v.migrants.size(); ++s) {
            if (!(v.migrants.flags[s] & Migrants::ALIVE)) continue;
            const auto words = draw4(v.key, v.migrants.id[s], Process::migrant_month, 7);
            const bool r = (v.migrants.flags[s] & Migrants::RETURNS) != 0,
                       j = (v.migrants.flags[s] & Migrants::MAY_JOIN) != 0;
            REQUIRE(r == bernoulli(words[3], 0.2));
            REQUIRE(j == bernoulli(words[2], flag_p));
            returns += r;
            may_join += j;
        }
        CHECK(returns > 0);
        CHECK(may_join > 0);
    }
}

namespace {

// A double p with formal_channel_probability(1, pct, 0.05, alpha, beta) == p
// for some pct >= 0, found by bisection over the bit patterns of pct (the
// probability falls as pct grows); false when no pct gives exactly p.
bool formal_fee_for(double p, const BehaviourParams& b, double& pct) {
    std::uint64_t lo = 0, hi = 0x3FF0000000000000ull;  // pct in [0, 1]
    auto prob = [&](std::uint64_t bits) {
        double x;
        std::memcpy(&x, &bits, sizeof x);
        return formal_channel_probability(1.0, x, 0.05, b.channel_alpha, b.channel_beta);
    };
    if (!(prob(lo) >= p && prob(hi) <= p)) return false;
    while (hi - lo > 1) {  // invariant: prob(lo) >= p >= prob(hi)
        const std::uint64_t mid = lo + (hi - lo) / 2;
        (prob(mid) >= p ? lo : hi) = mid;
    }
    for (std::uint64_t bits : {lo, hi})
        if (prob(bits) == p) {
            std::memcpy(&pct, &bits, sizeof pct);
            return true;
        }
    return false;
}

}  // namespace

TEST_CASE("Migrant kernels agree at the exact threshold of every draw", "[economy][simd]") {
    // Each corridor's hazards (and formal probability, through its fee) are
    // set to k / 2^32 for the word k of one of its migrants, or (k + 1) / 2^32:
    // u(w) < p is then false, or true, by the smallest margin there is. The
    // return and joining rates likewise, for one migrant each.
    Params p = params_with_corridors(8, 6000);
    p.behaviour.channel_alpha = -0.5;
    p.behaviour.channel_beta = 40.0;
    const std::uint32_t month = 5;
    for (int side = 0; side < 2; ++side) {
        INFO("threshold at the word + " << side);
        World w = initialise_world(p, StreamKey{21, 4});
        w.month = int(month);
        step_shocks(w, p);
        const Migrants& m = w.migrants;
        auto word = [&](std::size_t s, int k) { return draw4(w.key, m.id[s], Process::migrant_month, month)[k]; };
        auto at = [&](std::uint32_t k) { return (double(k) + side) / 4294967296.0; };
        int formal_set = 0;
        for (std::size_t k = 0; k < w.conditions.corridor.size(); ++k) {
            CorridorMonth& c = w.conditions.corridor[k];
            c.formal_fee_fixed = 0.0;
            c.informal_fee_pct = 0.05;
            bool loss = false, find = false, formal = false;
            for (std::size_t s = 0; s < m.size(); ++s) {
                if (!(m.flags[s] & Migrants::ALIVE) || m.corridor[s] != k) continue;
                const bool employed = (m.flags[s] & Migrants::EMPLOYED) != 0;
                if (employed && !loss) {
                    c.p_job_loss = at(word(s, 0));
                    loss = true;
                } else if (!employed && !find) {
                    c.p_job_find = at(word(s, 0));
                    find = true;
                } else if (employed && !formal) {  // stays employed unless at the threshold: R > 0 then
                    double pct = 0;
                    if (formal_fee_for(at(word(s, 1)), p.behaviour, pct)) {
                        c.formal_fee_pct = pct;
                        formal = true;
                        ++formal_set;
                    }
                }
            }
        }
        CHECK(formal_set >= 4);
        // The return and joining rates at the words of a non-member of trust 1.
        Params q = p;
        std::size_t chosen = 0;
        while (!(m.flags[chosen] & Migrants::ALIVE) || m.association[chosen] != NO_ASSOCIATION) ++chosen;
        w.migrants.trust[chosen] = 1.0f;
        q.migration.return_hazard = at(word(chosen, 3));
        std::size_t other = chosen + 1;
        while (!(m.flags[other] & Migrants::ALIVE) || m.association[other] != NO_ASSOCIATION) ++other;
        w.migrants.trust[other] = 1.0f;
        q.behaviour.join_rate = at(word(other, 2));
        require_kernels_agree(w, q);
        // The leaving rate at the word of a member of trust 0: the monthly
        // probability is set through the yearly rate, so it lands next to the
        // threshold, whichever side the rounding takes it.
        Params r = p;
        std::size_t member = 0;
        while (!(m.flags[member] & Migrants::ALIVE) || m.association[member] == NO_ASSOCIATION) ++member;
        w.migrants.trust[member] = 0.0f;
        r.associations.leave_rate_per_year = -12.0 * std::log1p(-at(word(member, 2)));
        require_kernels_agree(w, r);
    }
}

TEST_CASE("Association money arrives net of the fee on sending it home", "[economy]") {
    const Params p = testing::small_params(5000, 12);  // both corridors at the default formal fee, 6.5 %
    World w = initialise_world(p, StreamKey{3, 0});
    step_shocks(w, p);
    std::int64_t before = 0, after = 0, dues = 0, contributions = 0, fees = 0, members = 0;
    for (std::int64_t t : w.associations.treasury_xof) before += t;
    step_economy(w, p);
    for (std::int64_t t : w.associations.treasury_xof) after += t;
    for (const CommuneTally& c : w.tally) dues += c.dues, contributions += c.contributions, fees += c.association_fees;
    for (std::int32_t a : w.migrants.association) members += a != NO_ASSOCIATION;
    REQUIRE(dues > 0);
    CHECK(after - before == dues + contributions - fees);
    // Each association's fee is 6.5 % of what it received, rounded to the franc.
    CHECK(std::abs(double(fees) - 0.065 * double(dues + contributions)) <= 0.5 * double(w.associations.size()));
    CHECK(members > 0);
}
