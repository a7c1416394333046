// Policies that react (docs/model.md 7.6.11): rules checked at the start of
// every recorded month on what the last month left, whose actions change a
// programme from that month on.
#pragma once

#include "codev/params.hpp"
#include "codev/records.hpp"
#include "codev/world.hpp"

namespace codev {

// Step 0 of a recorded month: every rule of `scenario`, in order, on the
// observables of the state the last month left (all read before any rule
// acts); a rule that fires records it in `record` and changes its
// programme's state (ProgrammeState::rule_*, paused_until,
// extra_call_month) or, for fund_repairs, repairs projects at once.
void step_rules(World& world, const Params& scenario, const Params& policy, JobRecord& record);

// The parameters the month's processes read: `scenario` with what rules
// changed in each programme (its share, ratio, cap, end year).
void apply_rule_changes(const Params& scenario, const World& world, Params& policy);

// The value of a rule's observable now; false when it cannot be measured yet
// (remittance_change before 24 recorded months, a programme without budget).
bool observe_rule(const World& world, const RuleParams& rule, const JobRecord& record, double& value);

}  // namespace codev
