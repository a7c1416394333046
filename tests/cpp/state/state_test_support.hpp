// What the statepoint and fork tests share: a world rich enough to use every
// part of the state, and the comparison of two states field by field.
#pragma once

#include <catch2/catch.hpp>
#include <cstring>
#include <map>
#include <string>

#include "ensemble/same_records.hpp"
#include "state/state_fields.hpp"
#include "test_world.hpp"

namespace codev::testing {

// Every stored field as bytes, by name (state_fields.hpp).
class FieldBytes {
  public:
    template <class T>
    void operator()(const char* name, const std::vector<T>& values) {
        bytes_[name].assign(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(T));
    }
    template <class Row, class T>
    void operator()(const char* name, const std::vector<Row>& rows, state::Column<Row, T> column) {
        std::string& out = bytes_[name];
        for (const Row& r : rows) out.append(reinterpret_cast<const char*>(&(r.*column.member)), sizeof(T));
    }
    void ragged(const char* name, const std::vector<ProgrammeState>& programmes) {
        std::string& out = bytes_[name];
        for (const ProgrammeState& p : programmes) {
            out += std::to_string(p.businesses.size()) + ":";
            out.append(reinterpret_cast<const char*>(p.businesses.data()), p.businesses.size() * 8);
        }
    }
    const std::map<std::string, std::string>& bytes() const { return bytes_; }

  private:
    std::map<std::string, std::string> bytes_;
};

inline std::map<std::string, std::string> field_bytes(const World& w) {
    FieldBytes v;
    state::visit_world(w, v);
    return v.bytes();
}

// Two states: every stored field, bit for bit, and the records.
inline void require_same_state(const SimulationState& a, const SimulationState& b) {
    CHECK(a.world.month == b.world.month);
    const auto fa = field_bytes(a.world), fb = field_bytes(b.world);
    for (const auto& [name, bytes] : fa) {
        INFO(name);
        CHECK(fb.at(name) == bytes);
    }
    require_same_record(a.record, b.record);
}

// A world that uses the whole state: a spin-up, associations that come and
// go, a programme with assistance, a loan, supported registrations, skills
// missions and reinsertion grants, and a host recession.
inline Params rich_params(int months = 72) {
    Params p = small_params(3000, months);
    p.spinup_months = 24;
    p.associations.projects_under_way_max = 2;
    p.associations.founding_rate_per_year = 0.5;
    p.associations.dormancy_after_idle_months = 12;
    p.associations.dissolution_after_dormant_months = 24;
    ProgrammeParams pr = share_programme();
    pr.technical_assistance = TechnicalAssistance{true, 1000000, 0.5, 0.5};
    pr.loan = LoanParams{true, 500000000, 0.03, 1, 5, {0.5, 0.5}};
    pr.registration_support = RegistrationSupport{true, 0.3, 200000};
    pr.skills_missions = SkillsMissions{true, 4, 500000, 0.8, 0.8, 0.8};
    pr.reinsertion = Reinsertion{true, 0.3, 1500000, 300000, 50, 0.01, 2.0};
    p.programmes = {pr};
    ShockParams recession;
    recession.start_month = 20;
    recession.end_month = 40;
    recession.wage_multiplier = 0.9;
    recession.job_loss_multiplier = 1.5;
    p.shocks = {recession};
    return p;
}

}  // namespace codev::testing
