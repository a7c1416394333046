// Sizing of the structure-of-arrays world (world.hpp).
#include "codev/world.hpp"

namespace codev {

void Migrants::resize(std::size_t n) {
    id.assign(n, 0);
    base_income_xof.assign(n, 0.0f);
    propensity.assign(n, 0.0f);
    trust.assign(n, 0.0f);
    association.assign(n, NO_ASSOCIATION);
    corridor.assign(n, 0);
    flags.assign(n, 0);
}

void Associations::resize(std::size_t n) {
    commune.assign(n, 0);
    treasury_xof.assign(n, 0);
    dues_xof.assign(n, 0);
    registered.assign(n, 0);
    created_month.assign(n, 0);
    stage.assign(n, Stage::idle);
    project.assign(n, -1);
    members.assign(n, 0);
    raising_multiplier.assign(n, 0.0f);
    completed_now.assign(n, 0);
    abandoned_now.assign(n, 0);
    completed_total.assign(n, 0);
    failed_total.assign(n, 0);
}

}  // namespace codev
