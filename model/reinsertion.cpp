// Returning migrants' reinsertion businesses (docs/model.md 7.6.10).
//
// Communes are walked in order and programmes in the scenario's order: the
// grants compete for one budget, and a fixed order keeps the result the same
// for any number of threads. Returnees are counted by the migration step
// (CommuneTally::returns); the businesses are counted per commune, not
// followed one by one: a business is its returnee's, and the returnee is no
// longer an agent of the model once home.
#include "codev/reinsertion.hpp"

#include "codev/money.hpp"
#include "codev/programmes.hpp"
#include "codev/rng.hpp"

namespace codev {

namespace {

// The stream of one commune, month and programme.
Stream commune_stream(const World& world, std::size_t commune, Process process, std::uint32_t key) {
    return Stream(world.key, (std::uint64_t(key) << 32) | std::uint64_t(commune), process, std::uint32_t(world.month));
}

void close_businesses(World& world, const ProgrammeParams& pp, ProgrammeState& st, std::uint32_t key) {
    for (std::size_t c = 0; c < st.businesses.size(); ++c) {
        Stream stream = commune_stream(world, c, Process::reinsertion_survival, key);
        st.businesses[c] -= stream.binomial(st.businesses[c], pp.reinsertion.closure_hazard);
    }
}

void grant(World& world, const ProgrammeParams& pp, ProgrammeState& st, std::uint32_t key) {
    const Reinsertion& re = pp.reinsertion;
    const std::int64_t cost = add_xof(re.grant_xof, re.support_xof);
    for (std::size_t c = 0; c < st.businesses.size(); ++c) {
        Stream stream = commune_stream(world, c, Process::reinsertion, key);
        const std::int64_t applicants = stream.binomial(world.tally[c].returns, re.take_up);
        for (std::int64_t i = 0; i < applicants; ++i) {
            if (st.reinsertions_this_year >= re.max_per_year || !try_commit(world, st, cost)) return;
            ++st.reinsertions_this_year;
            ++st.businesses[c];
            st.month[int(ProgrammeSeries::reinsertion_grants_paid)] += re.grant_xof;
            ++st.month[int(ProgrammeSeries::reinsertion_businesses_started)];
            world.events.reinsertion_grants_paid = add_xof(world.events.reinsertion_grants_paid, re.grant_xof);
            ++world.events.reinsertion_businesses_started;
            // The operator's study and follow-up: assistance, as for projects.
            st.month[int(ProgrammeSeries::assistance_paid)] += re.support_xof;
            world.events.technical_assistance_paid += re.support_xof;
        }
    }
}

}  // namespace

void step_reinsertion(World& world, const Params& params) {
    const int year = world.month / 12;
    for (std::size_t p = 0; p < params.programmes.size(); ++p) {
        const ProgrammeParams& pp = params.programmes[p];
        if (!pp.reinsertion.enabled) continue;
        ProgrammeState& st = world.programmes[p];
        st.businesses.resize(world.communes.size(), 0);
        const std::uint32_t key = programme_stream_key(pp.name);
        // Businesses started earlier may close; those of this month open first.
        close_businesses(world, pp, st, key);
        if (programme_active(pp, year)) grant(world, pp, st, key);
    }
}

}  // namespace codev
