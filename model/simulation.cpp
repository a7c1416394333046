// One run: the ten processes of docs/model.md section 3, in order, every month,
// after the rules of a policy that reacts (7.6.11).
#include "codev/simulation.hpp"

#include "codev/association_life.hpp"
#include "codev/economy.hpp"
#include "codev/initialisation.hpp"
#include "codev/invariants.hpp"
#include "codev/migration.hpp"
#include "codev/observation.hpp"
#include "codev/pipeline.hpp"
#include "codev/programmes.hpp"
#include "codev/projects.hpp"
#include "codev/reinsertion.hpp"
#include "codev/rules.hpp"
#include "codev/shocks.hpp"
#include "codev/social.hpp"

namespace codev {

Simulation::Simulation(const Params& params, std::uint64_t seed, std::uint32_t replicate, RunOptions options)
    : params_(params),
      policy_(params),
      options_(options),
      world_(initialise_world(params, StreamKey{seed, replicate})) {
    record_.resize(params.months, int(world_.communes.size()), int(params.programmes.size()), int(params.rules.size()));
    world_.rules.assign(params.rules.size(), RuleState{});
    world_.month = -params.spinup_months;
}

Simulation::Simulation(const Params& params, SimulationState state, RunOptions options)
    : params_(params),
      policy_(params),
      options_(options),
      world_(std::move(state.world)),
      record_(std::move(state.record)) {
    apply_rule_changes(params_, world_, policy_);
}

// A month of the spin-up (negative months, docs/model.md 5.1) runs the same
// processes without programmes (none is open before month 0) or observation;
// residents do not grow before month 0 (grow_population), and the random
// streams of a negative month are those of no recorded month.
void Simulation::step() {
    const bool recorded = world_.month >= 0;
    if (world_.month == 0) record_opening(world_, record_);
    reset_month_counters(world_);
    if (recorded && !params_.rules.empty()) {  // 0: policies that react, on what the last month left
        step_rules(world_, params_, policy_, record_);
        apply_rule_changes(params_, world_, policy_);
    }
    const Params& p = policy_;
    step_shocks(world_, p);                     // 1
    grow_population(world_, p);                 // 1b: a new year's residents
    step_economy(world_, p);                    // 2-4: labour, remittances, contributions
    step_association_life(world_, p);           // 5a: associations come and go
    step_pipeline(world_, p);                   // 5
    if (recorded) step_programmes(world_, p);   // 6
    step_projects(world_, p);                   // 7
    step_social(world_, p);                     // 8-9: trust and membership, migration
    if (recorded) step_reinsertion(world_, p);  // 9b: returnees' businesses
    if (recorded) {
        observe(world_, p, record_);  // 10
        check_record_month(record_, world_.month);
        if (options_.check_invariants) check_invariants(world_, params_, record_);
    }
    ++world_.month;
}

}  // namespace codev
