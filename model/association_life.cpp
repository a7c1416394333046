// Associations come and go (docs/model.md 7.5.1).
//
// Associations are thousands, so their life runs serially in index order,
// like the pipeline: a fixed order keeps foundings (which take the first
// spare slot of a commune) deterministic for any number of threads.
#include "codev/association_life.hpp"

#include <cmath>

#include "codev/rng.hpp"

namespace codev {

double monthly_probability(double rate_per_year) { return -std::expm1(-rate_per_year / 12.0); }

void list_joinable(World& world) {
    const Associations& as = world.associations;
    Communes& cm = world.communes;
    for (std::size_t c = 0; c < cm.size(); ++c) {
        std::int32_t k = cm.first_association[c];
        for (std::int32_t a = cm.first_association[c]; a < cm.first_association[c + 1]; ++a)
            if (as.status[a] == Status::active) world.joinable[k++] = a;
        cm.joinable_count[c] = k - cm.first_association[c];
    }
}

namespace {

// A dissolved association's members are members no more, and what it held
// goes to their solidarity fund; its projects keep working while they last,
// but nobody pays their upkeep.
void dissolve(World& world, std::int32_t a) {
    Associations& as = world.associations;
    const std::size_t c = std::size_t(as.commune[a]);
    for (std::int32_t s = world.communes.first_slot[c]; s < world.communes.first_slot[c + 1]; ++s)
        if (world.migrants.association[s] == a) world.migrants.association[s] = NO_ASSOCIATION;
    world.events.solidarity_spending += as.treasury_xof[a];
    as.treasury_xof[a] = 0;
    as.members[a] = 0;
    as.dues_xof[a] = 0;
    as.status[a] = Status::dissolved;
    as.status_since[a] = world.month;
    ++world.events.associations_dissolved;
}

// One association's month: registration; dormancy after a long idle spell
// (members stop paying dues); revival or, after a long dormancy or once it
// has no members left, dissolution. Returns whether the status changed.
bool live_month(World& world, const AssociationParams& ap, double p_register, double p_revive, std::int32_t a) {
    Associations& as = world.associations;
    const int t = world.month;
    if (as.status[a] == Status::active) {
        if (as.stage[a] != Stage::idle || as.under_way[a] > 0) as.last_active_month[a] = t;
        const auto w = draw4(world.key, std::uint64_t(a), Process::association_life, std::uint32_t(t));
        if (!as.registered[a] && bernoulli(w[0], p_register)) {
            as.registered[a] = 1;
            ++world.events.registrations;
        }
        if (ap.dormancy_after_idle_months > 0 && as.stage[a] == Stage::idle && as.under_way[a] == 0 &&
            t - as.last_active_month[a] >= ap.dormancy_after_idle_months) {
            as.status[a] = Status::dormant;
            as.status_since[a] = t;
            as.dues_xof[a] = 0;
            return true;
        }
        return false;
    }
    if (as.status[a] != Status::dormant) return false;
    if (as.members[a] == 0 ||
        (ap.dissolution_after_dormant_months > 0 && t - as.status_since[a] >= ap.dissolution_after_dormant_months)) {
        dissolve(world, a);
        return true;
    }
    const auto w = draw4(world.key, std::uint64_t(a), Process::association_life, std::uint32_t(t));
    if (!bernoulli(w[1], p_revive)) return false;
    as.status[a] = Status::active;
    as.status_since[a] = as.last_active_month[a] = t;
    as.dues_xof[a] = ap.dues_xof_per_month;
    return true;
}

// A commune whose migrants outside any association number at least half an
// association's mean size founds one at founding_rate_per_year, in its
// first spare slot. Its founders are that many of the unorganised migrants,
// the first in slot order (migrants are i.i.d., so a random sample, as at
// initialisation); it is not registered yet, and others join it as they
// join any active association (docs/model.md 7.8).
bool found(World& world, const AssociationParams& ap, double p_found, std::size_t c) {
    Associations& as = world.associations;
    const Communes& cm = world.communes;
    std::int64_t members = 0;
    std::int32_t spare = -1;
    for (std::int32_t a = cm.first_association[c]; a < cm.first_association[c + 1]; ++a) {
        members += as.members[a];
        if (spare < 0 && as.status[a] == Status::unfounded) spare = a;
    }
    if (spare < 0 || 2.0 * double(cm.migrants[c] - members) < ap.size_mean ||
        !bernoulli(draw4(world.key, std::uint64_t(c), Process::founding, std::uint32_t(world.month))[0], p_found))
        return false;
    as.status[spare] = Status::active;
    as.created_month[spare] = as.status_since[spare] = as.last_active_month[spare] = world.month;
    as.registered[spare] = 0;
    as.dues_xof[spare] = ap.dues_xof_per_month;
    const auto founders = std::int32_t(std::ceil(ap.size_mean / 2.0));
    Migrants& m = world.migrants;
    std::int32_t joined = 0;
    for (std::int32_t s = cm.first_slot[c]; s < cm.first_slot[c + 1] && joined < founders; ++s)
        if ((m.flags[s] & Migrants::ALIVE) && m.association[s] == NO_ASSOCIATION) {
            m.association[s] = spare;
            ++joined;
        }
    as.members[spare] = joined;
    ++world.events.associations_founded;
    return true;
}

}  // namespace

void step_association_life(World& world, const Params& params) {
    const AssociationParams& ap = params.associations;
    const double p_register = monthly_probability(ap.registration_rate_per_year);
    const double p_revive = monthly_probability(ap.revival_rate_per_year);
    const double p_found = monthly_probability(ap.founding_rate_per_year);
    bool changed = false;
    for (std::int32_t a = 0; a < std::int32_t(world.associations.size()); ++a)
        changed |= live_month(world, ap, p_register, p_revive, a);
    if (p_found > 0.0)
        for (std::size_t c = 0; c < world.communes.size(); ++c) changed |= found(world, ap, p_found, c);
    if (changed) list_joinable(world);
}

}  // namespace codev
