// Private to the sweep designs (sweep.cpp, sweep_factors.cpp): text
// helpers and the column of one factor's typed values.
#pragma once

#include <cmath>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "codev/ensemble/sweep.hpp"

namespace codev::sweep_detail {

[[noreturn]] void fail(const std::string& message);  // throws ScenarioError
std::string trim(std::string_view text);
std::vector<std::string> split(std::string_view text, char separator);
std::optional<double> number(const std::string& text);  // the whole text as a finite number
std::string real_text(double v);                        // shortest text that reads back, a TOML float
std::string quoted(const std::string& text);            // a TOML basic string

// One factor of a design being built: its type, and its column of values.
class Column {
  public:
    Column(const Factor& factor, FactorType type, const std::string& units, const std::string& long_name)
        : factor_(factor), type_(type) {
        column_.key = factor.key;
        column_.units = units;
        column_.long_name = long_name;
        if (type_ == FactorType::integer)
            column_.values = std::vector<std::int64_t>{};
        else if (type_ == FactorType::real)
            column_.values = std::vector<double>{};
        else
            column_.values = std::vector<std::string>{};
        for (const std::string& level : factor.levels) check_level(level);
    }

    FactorType type() const { return type_; }
    std::size_t levels(int n) const { return factor_.listed() ? factor_.levels.size() : std::size_t(n); }

    // Level i of `count` evenly spaced from low to high, or listed level i.
    void add_level(std::size_t i, std::size_t count) {
        if (factor_.listed()) return add_text(factor_.levels[i]);
        const double t = count < 2 ? 0.0 : double(i) / double(count - 1);
        add_number(i + 1 == count ? factor_.high : factor_.low + t * (factor_.high - factor_.low));
    }
    // The value at u in [0, 1): low + u (high - low), or listed level floor(u * count).
    void add_unit(double u) {
        if (!factor_.listed()) return add_number(factor_.low + u * (factor_.high - factor_.low));
        const std::size_t k = factor_.levels.size();
        add_text(factor_.levels[std::min(k - 1, std::size_t(u * double(k)))]);
    }
    void add_number(double v) {
        // llround is undefined past int64 (it gave INT64_MIN, then printed in messages).
        if (type_ == FactorType::integer && !(std::abs(v) < 9.2e18))
            fail(factor_.key + ": " + real_text(v) + " is not a whole number within the int64 range");
        if (type_ == FactorType::integer)
            std::get<std::vector<std::int64_t>>(column_.values).push_back(std::llround(v));
        else if (type_ == FactorType::real)
            std::get<std::vector<double>>(column_.values).push_back(v);
        else if (type_ == FactorType::boolean)
            std::get<std::vector<std::string>>(column_.values).push_back(v != 0 ? "true" : "false");
        else
            fail(factor_.key + ": a text parameter; give its values as text (in a design CSV)");
    }
    // A listed or CSV value: numbers for numeric types, as written otherwise.
    void add_text(const std::string& text) {
        check_level(text);
        if (type_ == FactorType::integer || type_ == FactorType::real) return add_number(*number(text));
        std::string value = text;
        if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
        std::get<std::vector<std::string>>(column_.values).push_back(value);
    }
    FactorValues take() { return std::move(column_); }

  private:
    void check_level(const std::string& text) const {
        if ((type_ == FactorType::integer || type_ == FactorType::real) && !number(text))
            fail(factor_.key + ": '" + text + "' is not a number");
        if (type_ == FactorType::boolean && text != "true" && text != "false")
            fail(factor_.key + ": '" + text + "' is not true or false");
    }

    Factor factor_;
    FactorType type_;
    FactorValues column_;
};

// The columns of `factors`, typed as `base` holds each key. Throws
// ScenarioError for no factors or a key given twice.
std::vector<Column> columns_for(const Scenario& base, const std::vector<Factor>& factors);

// The design of the filled columns.
Design finish(std::vector<Column>& columns);

}  // namespace codev::sweep_detail
