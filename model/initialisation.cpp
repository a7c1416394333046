// Initialisation of the world (docs/model.md section 5).
//
// Communes are laid out one after the other; each owns a contiguous range of
// migrant slots (with spare slots for departures, docs/model.md 7.9) and a
// contiguous range of associations. Initial members of an association are
// contiguous inside their commune's range.
#include "codev/initialisation.hpp"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "codev/association_life.hpp"
#include "codev/labour.hpp"

namespace codev {
namespace {

// Splits `total` into parts proportional to `weights` (largest remainder),
// so the parts add up to `total` exactly.
std::vector<std::int64_t> apportion(std::int64_t total, const std::vector<double>& weights) {
    const double sum = std::accumulate(weights.begin(), weights.end(), 0.0);
    std::vector<std::int64_t> parts(weights.size(), 0);
    if (weights.empty() || sum <= 0.0) return parts;
    std::vector<std::pair<double, std::size_t>> remainders;
    std::int64_t given = 0;
    for (std::size_t i = 0; i < weights.size(); ++i) {
        const double exact = double(total) * weights[i] / sum;
        parts[i] = std::int64_t(std::floor(exact));
        given += parts[i];
        remainders.emplace_back(exact - double(parts[i]), i);
    }
    std::stable_sort(remainders.begin(), remainders.end(),
                     [](const auto& a, const auto& b) { return a.first > b.first; });
    for (std::size_t k = 0; given < total; ++k, ++given) parts[remainders[k % remainders.size()].second] += 1;
    return parts;
}

// Initial migrants per commune: proportional to the diaspora weights, but at
// most max_migrant_share of each commune's population (docs/model.md 7.9's cap);
// what a full commune cannot take goes to the others, in proportion. If all
// are full, the world starts with fewer migrants than asked.
std::vector<std::int64_t> initial_migrants(const Params& params, const std::vector<CommuneParams>& communes) {
    const std::size_t n = communes.size();
    std::vector<std::int64_t> cap(n), parts(n, 0);
    std::vector<double> weights(n);
    for (std::size_t i = 0; i < n; ++i) {
        cap[i] = std::int64_t(std::floor(params.migration.max_migrant_share * double(communes[i].population)));
        weights[i] = communes[i].diaspora_weight;
    }
    std::int64_t left = params.world.migrants;
    for (std::size_t round = 0; round < n && left > 0; ++round) {
        const std::vector<std::int64_t> more = apportion(left, weights);
        left = 0;
        for (std::size_t i = 0; i < n; ++i) {
            const std::int64_t take = std::min(more[i], cap[i] - parts[i]);
            parts[i] += take;
            left += more[i] - take;
            if (parts[i] >= cap[i]) weights[i] = 0.0;
        }
    }
    return parts;
}

// Index of the corridor whose cumulative share first exceeds u.
std::uint8_t pick_corridor(const Params& params, double u) {
    double total = 0.0;
    for (const auto& c : params.corridors) total += c.share_of_migrants;
    double cumulative = 0.0;
    for (std::size_t k = 0; k < params.corridors.size(); ++k) {
        cumulative += params.corridors[k].share_of_migrants / total;
        if (u < cumulative) return std::uint8_t(k);
    }
    return std::uint8_t(params.corridors.size() - 1);
}

void layout_communes(World& world, const Params& params, const std::vector<CommuneParams>& communes) {
    const std::size_t n = communes.size();
    Communes& c = world.communes;
    c.population.resize(n);
    c.region.resize(n);
    c.risk.resize(n);
    c.cofinancing_budget_xof_per_year.resize(n);
    c.served.assign(n, {});
    c.served_initial.assign(n, {});
    for (std::size_t i = 0; i < n; ++i) {
        c.population[i] = communes[i].population;
        c.region[i] = communes[i].region;
        c.risk[i] = communes[i].risk;
        c.cofinancing_budget_xof_per_year[i] = communes[i].cofinancing_budget_xof_per_year;
        for (int s = 0; s < SECTOR_COUNT; ++s)
            c.served_initial[i][s] = std::llround(params.world.initial_coverage[s] * double(communes[i].population));
    }
    c.cofinancing_left_xof = c.cofinancing_budget_xof_per_year;
    c.completed_now.assign(n, 0);
    c.abandoned_now.assign(n, 0);
    c.departures_made.assign(n, 0);
    world.tally.assign(n, {});
}

// Association sizes inside one commune: `count` lognormal weights scaled so
// their sizes add up to `members`.
std::vector<std::int64_t> association_sizes(const Params& params, const StreamKey& key, int commune,
                                            std::int64_t members, std::int64_t count) {
    Stream stream(key, std::uint64_t(commune), Process::init_association, 0);
    std::vector<double> weights(count);
    for (auto& w : weights) w = stream.lognormal(1.0, params.associations.size_sigma);
    return apportion(members, weights);
}

}  // namespace

std::vector<CommuneParams> resolve_communes(const Params& params, const StreamKey& key) {
    if (!params.communes.empty()) return params.communes;
    std::vector<CommuneParams> communes(params.world.communes);
    for (int c = 0; c < params.world.communes; ++c) {
        Stream stream(key, std::uint64_t(c), Process::init_commune, 0);
        communes[c].name = "commune-" + std::to_string(c + 1);
        communes[c].population =
            std::max<std::int64_t>(100, std::llround(stream.lognormal(params.world.commune_population_median,
                                                                      params.world.commune_population_sigma)));
        communes[c].diaspora_weight = stream.lognormal(1.0, params.world.diaspora_weight_sigma);
        communes[c].cofinancing_budget_xof_per_year = params.world.commune_cofinancing_budget_xof_per_year;
    }
    return communes;
}

void draw_migrant(World& world, const Params& params, std::size_t slot, std::uint64_t id, Process process) {
    Stream stream(world.key, id, process, 0);
    Migrants& m = world.migrants;
    const std::uint8_t k = pick_corridor(params, stream.uniform());
    const CorridorParams& corridor = params.corridors[k];
    m.id[slot] = id;
    m.corridor[slot] = k;
    // Incomes are truncated at 1e12 XOF a month, far above any real income, so
    // that no month's sums can leave int64 whatever the draw (guarded arithmetic).
    m.base_income_xof[slot] =
        float(std::min(1e12, stream.lognormal(corridor.income_median_xof, corridor.income_sigma)));
    m.propensity[slot] = float(stream.beta(corridor.propensity_mean, params.behaviour.propensity_concentration));
    m.trust[slot] = float(stream.beta(params.behaviour.trust_initial_mean, params.behaviour.trust_concentration));
    // Start in the stationary state of the labour chain (docs/model.md 7.2).
    const double employed = stationary_employment(corridor.p_job_loss, corridor.p_job_find);
    m.flags[slot] = Migrants::ALIVE | (stream.uniform() < employed ? Migrants::EMPLOYED : 0);
    m.association[slot] = NO_ASSOCIATION;
}

namespace {

void place_migrants(World& world, const Params& params, const std::vector<std::int64_t>& per_commune) {
    const std::size_t n = per_commune.size();
    Communes& c = world.communes;
    c.first_slot.assign(n + 1, 0);
    for (std::size_t i = 0; i < n; ++i) {
        const auto slots = std::int64_t(std::ceil(double(per_commune[i]) * (1.0 + params.world.slot_slack))) + 1;
        c.first_slot[i + 1] = std::int32_t(c.first_slot[i] + slots);
    }
    world.migrants.resize(std::size_t(c.first_slot[n]));
    world.free_slots.assign(std::size_t(c.first_slot[n]), 0);
    world.free_count.assign(n, 0);
    c.migrants.assign(n, 0);
    tbb::parallel_for(std::size_t(0), n, [&](std::size_t i) {
        const std::int32_t first = c.first_slot[i], end = c.first_slot[i + 1];
        for (std::int32_t s = first; s < first + per_commune[i]; ++s)
            draw_migrant(world, params, s, std::uint64_t(s), Process::init_migrant);
        // Spare slots, last first, so departures fill the lowest free slot first.
        for (std::int32_t s = end - 1; s >= first + per_commune[i]; --s)
            world.free_slots[first + world.free_count[i]++] = s;
        c.migrants[i] = std::int32_t(per_commune[i]);
    });
}

// Spare association slots per commune for foundings during the run, the spin-up's
// months included (docs/model.md 7.5.1): the number of foundings a commune exceeds with
// probability below one in a million over the run, at most one a month, so that a
// commune whose spare slots are all used (and then founds no more) is the rare exception.
std::int64_t spare_associations(const Params& params) {
    const double p = monthly_probability(params.associations.founding_rate_per_year);
    if (!(p > 0.0)) return 0;
    const std::int64_t months = std::int64_t(params.months) + params.spinup_months;
    if (p >= 1.0) return months;
    // Binomial(months, p) quantile at 1 - 1e-6 by its pmf recurrence.
    double pmf = std::exp(double(months) * std::log1p(-p));
    double cdf = pmf;
    std::int64_t k = 0;
    while (k < months && cdf < 1.0 - 1e-6) {
        pmf *= double(months - k) / double(k + 1) * p / (1.0 - p);
        cdf += pmf;
        ++k;
    }
    return k;
}

void found_associations(World& world, const Params& params, const std::vector<std::int64_t>& per_commune) {
    const std::size_t n = per_commune.size();
    const AssociationParams& ap = params.associations;
    const std::int64_t spare = spare_associations(params);
    Communes& c = world.communes;
    c.first_association.assign(n + 1, 0);
    std::vector<std::vector<std::int64_t>> sizes(n);
    for (std::size_t i = 0; i < n; ++i) {
        // Some communes have no association at month 0 (a stated share).
        Stream without(world.key, std::uint64_t(i), Process::init_association, 2);
        const bool none = without.uniform() < ap.communes_without_association_share;
        const auto members = none ? 0 : std::llround(ap.member_share * double(per_commune[i]));
        const auto count = members > 0 ? std::max<std::int64_t>(1, std::llround(double(members) / ap.size_mean)) : 0;
        sizes[i] = association_sizes(params, world.key, int(i), members, count);
        c.first_association[i + 1] = std::int32_t(c.first_association[i] + count + spare);
    }
    world.associations.resize(std::size_t(c.first_association[n]));
    Associations& a = world.associations;
    for (std::size_t i = 0; i < n; ++i) {
        std::int32_t slot = c.first_slot[i];
        for (std::int32_t id = c.first_association[i]; id < c.first_association[i + 1]; ++id)
            a.commune[id] = std::int32_t(i);
        for (std::size_t k = 0; k < sizes[i].size(); ++k) {
            const std::int32_t id = c.first_association[i] + std::int32_t(k);
            Stream stream(world.key, std::uint64_t(id), Process::init_association, 1);
            a.dues_xof[id] = ap.dues_xof_per_month;
            a.registered[id] = stream.uniform() < ap.registered_share;
            // Ages are drawn at the first simulated month, the spin-up's if any.
            const std::int32_t first = -params.spinup_months;
            a.created_month[id] = first - std::int32_t(std::floor(stream.uniform() * ap.initial_age_months_max));
            a.status[id] = Status::active;
            a.status_since[id] = a.created_month[id];
            a.last_active_month[id] = first;
            a.members[id] = std::int32_t(sizes[i][k]);
            for (std::int64_t m = 0; m < sizes[i][k]; ++m) world.migrants.association[slot++] = id;
        }
    }
    world.joinable.assign(a.size(), 0);
    c.joinable_count.assign(n, 0);
    list_joinable(world);
}

}  // namespace

World initialise_world(const Params& params, const StreamKey& key) {
    World world;
    world.key = key;
    // The communes are the same in every replicate (drawn from replicate 0's
    // stream): replicates differ in what happens, not in the map.
    const std::vector<CommuneParams> communes = resolve_communes(params, StreamKey{key.seed, 0});
    layout_communes(world, params, communes);
    const std::vector<std::int64_t> per_commune = initial_migrants(params, communes);
    place_migrants(world, params, per_commune);
    found_associations(world, params, per_commune);
    world.programmes.assign(params.programmes.size(), {});
    return world;
}

}  // namespace codev
