// Writing the variables of a results file (results_writer.hpp): the format
// version of version.hpp, docs/results-format.md.
//
// The layout follows the netCDF-4 rules of docs/results-format.md so that xarray (h5netcdf and
// netcdf4 engines) and ncdump read it without help: every axis has a
// coordinate variable that is its own dimension scale, text attributes are
// fixed-length, creation order is tracked. Every variable is created first;
// then each scenario's slice of every variable is written in turn.
#include "results_writer.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <functional>
#include <map>
#include <numeric>
#include <optional>
#include <type_traits>

#include "codev/results/indicators.hpp"
#include "codev/version.hpp"
#include "results_layout.hpp"

namespace codev {

using hdf5::Dataset;

namespace {

// ---- calendar ---------------------------------------------------------------

// The start date shared by every scenario, or nothing when they differ, one
// has no calendar, or the text is not YYYY-MM-DD (the loader validates it; a
// bad date must not cost the results of a finished run).
std::optional<std::chrono::year_month_day> common_start_date(const std::vector<std::string>& start_dates) {
    const std::string& text = start_dates.front();
    for (const std::string& date : start_dates)
        if (date != text) return std::nullopt;
    int y = 0, m = 0, d = 0;
    char extra = 0;
    if (std::sscanf(text.c_str(), "%4d-%2d-%2d%c", &y, &m, &d, &extra) != 3) return std::nullopt;
    const std::chrono::year_month_day date{std::chrono::year{y}, std::chrono::month{unsigned(m)},
                                           std::chrono::day{unsigned(d)}};
    if (!date.ok()) return std::nullopt;
    return date;
}

// Days from the start date to the same day `months` calendar months later,
// clamped to the end of shorter months (Jan 31 + 1 month = Feb 28 or 29).
std::int32_t days_after(std::chrono::year_month_day start, int months) {
    using namespace std::chrono;
    const year_month later = year_month{start.year(), start.month()} + std::chrono::months{months};
    year_month_day date = later / start.day();
    if (!date.ok()) date = year_month_day{later / last};
    return std::int32_t((sys_days{date} - sys_days{start}).count());
}

std::string iso_date(std::chrono::year_month_day date) {
    char text[16];
    std::snprintf(text, sizeof text, "%04d-%02u-%02u", int(date.year()), unsigned(date.month()), unsigned(date.day()));
    return text;
}

std::string now_utc() {
    const std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return text;
}

// ---- the writer -------------------------------------------------------------

// The values of a monthly variable for one job, month m and inner index k
// (the sector, or 0).
template <class T>
using MonthlyValue = std::function<T(const JobRecord&, int m, int k)>;

// Writes one ensemble into an open file: create() makes every variable from
// the outline, then write_scenario() fills one scenario's slice of each, so
// memory holds one scenario's records, never the ensemble's.
class Writer {
  public:
    Writer(hdf5::File& file, const ResultsOutline& outline)
        : file_(file),
          outline_(outline),
          sizes_(ResultsSizes::of(outline)),
          start_(common_start_date(outline.start_dates)) {}

    void create() {
        write_provenance();
        write_coordinates();
        create_scenario_variables();
        create_monthly();
        if (sizes_.programme > 0) create_programme_monthly();
        if (sizes_.rule > 0) create_rule_monthly();
        create_yearly();
        create_indicators();
    }
    void write_scenario(std::size_t s, const ScenarioRecords& scenario);
    void finish() { file_.set_attribute("complete", std::int32_t{1}); }  // last: marks the file whole

  private:
    // A variable along `scenario` and how to write one scenario's slice of it.
    struct Slice {
        Dataset dataset;
        std::function<void(Dataset&, std::size_t s, const ScenarioRecords&)> write;
    };

    hdf5::File& file_;
    const ResultsOutline& outline_;
    ResultsSizes sizes_;
    std::optional<std::chrono::year_month_day> start_;
    std::map<std::string, Dataset> scales_;
    std::vector<Slice> slices_;
    std::vector<JobIndicators> indicators_;  // of the scenario being written, one per replicate

    void write_provenance() {
        file_.set_attribute("filetype", RESULTS_FILETYPE);
        file_.set_attribute("format_version", std::int32_t{RESULTS_FORMAT_VERSION});
        file_.set_attribute("codev_version", codev_version());
        file_.set_attribute("git_commit", codev_git_commit());
        file_.set_attribute("created", now_utc());
        file_.set_attribute("seed", std::uint64_t{outline_.seed});
        file_.set_attribute("replicates", std::int32_t(outline_.replicates));
        file_.set_attribute("command_line", outline_.command_line);
        if (!outline_.shard_plan_hash.empty()) {
            file_.set_attribute("shard_plan_hash", outline_.shard_plan_hash);
            file_.set_attribute("shard_block", std::int64_t(outline_.shard_block));
        }
        if (!outline_.factors.empty()) {
            std::string keys;
            for (const FactorValues& factor : outline_.factors) keys += (keys.empty() ? "" : " ") + factor.key;
            file_.set_attribute("factors", keys);
        }
    }

    void describe(Dataset& variable, const char* units, const std::string& long_name, const char* kind = nullptr) {
        variable.set_attribute("units", units);
        variable.set_attribute("long_name", long_name);
        if (kind != nullptr) variable.set_attribute("kind", kind);
    }

    template <class T>
    void coordinate(const std::string& dimension, const std::vector<T>& values, const char* units,
                    const char* long_name) {
        Dataset scale = file_.create_dataset<T>(dimension, {values.size()}, hdf5::Layout{});
        scale.make_dimension_scale(dimension);
        scale.write(values);
        describe(scale, units, long_name);
        scales_.emplace(dimension, std::move(scale));
    }

    void label_coordinate(const std::string& dimension, const std::vector<std::string>& labels, const char* long_name) {
        Dataset scale = file_.create_string_dataset(dimension, {labels.size()});
        scale.make_dimension_scale(dimension);
        scale.write_strings(labels);
        describe(scale, "1", long_name);
        scales_.emplace(dimension, std::move(scale));
    }

    void write_coordinates() {
        const std::vector<std::string> sectors(SECTOR_NAMES.begin(), SECTOR_NAMES.end());
        std::vector<std::int32_t> replicates(sizes_.replicate);
        std::iota(replicates.begin(), replicates.end(), std::int32_t(outline_.first_replicate));
        label_coordinate("scenario", outline_.scenarios, "scenario name (file stem)");
        coordinate("replicate", replicates, "1", "replicate number");
        coordinate("month", index_values(sizes_.month), "1", "model month, 0 is the first simulated month");
        label_coordinate("sector", sectors, "project sector");
        coordinate("year", index_values(sizes_.year), "1", "model year, year y is months 12y to 12y+11");
        coordinate("commune", index_values(sizes_.commune), "1", "commune index within the scenario");
        // Only when a scenario has programmes, as `trigger` only for a precision run.
        if (sizes_.programme > 0)
            coordinate("programme", index_values(sizes_.programme), "1",
                       "programme index within the scenario (its order there)");
        if (sizes_.rule > 0)
            coordinate("rule", index_values(sizes_.rule), "1", "rule index within the scenario (its order there)");
        if (start_) write_time();
        for (const FactorValues& factor : outline_.factors) write_factor(factor);
        if (!outline_.precision.empty()) write_precision();
    }

    // An auxiliary coordinate along `month` that xarray decodes to dates.
    void write_time() {
        std::vector<std::int32_t> days(sizes_.month);
        for (std::size_t m = 0; m < days.size(); ++m) days[m] = days_after(*start_, int(m));
        Dataset time = variable<std::int32_t>("time", {"month"}, std::nullopt);
        time.write(days);
        describe(time, ("days since " + iso_date(*start_)).c_str(),
                 "calendar date of the month's start (start date plus whole calendar months)");
        time.set_attribute("standard_name", "time");
        time.set_attribute("calendar", "standard");
    }

    // What a precision-driven run asked for and achieved (docs/results-format.md,
    // "Precision"): known before any record is written, like the factors.
    void write_precision() {
        const PrecisionOutcome& p = outline_.precision;
        label_coordinate("trigger", p.indicators, "indicator of the precision trigger");
        // Triggers may mix units (XOF, counts): each trigger's are in precision_units.
        const std::vector<std::string>& units = p.units;
        const bool one_unit = std::equal(units.begin() + 1, units.end(), units.begin());
        const char* shared = one_unit ? units.front().c_str() : "see precision_units";
        Dataset unit_names = file_.create_string_dataset("precision_units", {sizes_.trigger});
        attach_scales(unit_names, {"trigger"});
        unit_names.write_strings(units);
        describe(unit_names, "1", "units of the trigger's indicator, its tolerance and half-widths");
        Dataset tolerance = variable<double>("precision_tolerance", {"trigger"}, std::nullopt);
        tolerance.write(p.tolerances);
        describe(tolerance, shared, "tolerance on the half-width of the 95% confidence interval");
        std::vector<std::int32_t> needed(p.replicates_needed.begin(), p.replicates_needed.end());
        for (std::int32_t& n : needed) n = n > 0 ? n : FILL_INT32;
        Dataset replicates = variable<std::int32_t>("precision_replicates_needed", {"trigger"}, FILL_INT32);
        replicates.write(needed);
        describe(replicates, "1", "replicates from which the trigger stayed met (checked after each batch)");
        Dataset half_width = variable<double>("precision_half_width", {"scenario", "trigger"}, FILL_FLOAT64);
        half_width.write(p.half_widths);
        describe(half_width, shared, "half-width of the 95% confidence interval at the final replicates");
        set_coordinates(half_width, {"scenario", "trigger"});
        file_.set_attribute("precision_met", std::int32_t{p.met});
        const char* measure = p.baseline.empty() ? "mean" : p.paired ? "paired difference" : "difference";
        file_.set_attribute("precision_measure", measure);
        if (!p.baseline.empty()) file_.set_attribute("precision_baseline", p.baseline);
        file_.set_attribute("precision_initial_replicates", std::int32_t(p.initial_replicates));
        file_.set_attribute("precision_batch", std::int32_t(p.batch));
        file_.set_attribute("precision_max_replicates", std::int32_t(p.max_replicates));
    }

    // A sweep factor: an auxiliary coordinate along `scenario` (named in the
    // `coordinates` attribute of every variable along `scenario`).
    void write_factor(const FactorValues& factor) {
        const std::string name = factor_variable(factor.key);
        std::visit(
            [&](const auto& values) {
                using T = typename std::decay_t<decltype(values)>::value_type;
                Dataset dataset = [&] {
                    if constexpr (std::is_same_v<T, std::string>) {
                        Dataset d = file_.create_string_dataset(name, {sizes_.scenario});
                        attach_scales(d, {"scenario"});
                        d.write_strings(values);
                        return d;
                    } else {
                        Dataset d = variable<T>(name, {"scenario"}, std::nullopt);
                        d.write(values);
                        return d;
                    }
                }();
                describe(dataset, factor.units.empty() ? "1" : factor.units.c_str(), factor.long_name);
                dataset.set_attribute("factor", factor.key);
            },
            factor.values);
    }

    // The CF `coordinates` attribute of a variable: `time` along `month`,
    // the sweep factors along `scenario`.
    void set_coordinates(Dataset& dataset, const std::vector<std::string>& dimensions) {
        std::string names;
        const auto add = [&](const std::string& name) { names += (names.empty() ? "" : " ") + name; };
        const auto has = [&](const char* d) {
            return std::find(dimensions.begin(), dimensions.end(), d) != dimensions.end();
        };
        if (start_ && has("month")) add("time");
        if (has("scenario"))
            for (const FactorValues& factor : outline_.factors) add(factor_variable(factor.key));
        if (!names.empty()) dataset.set_attribute("coordinates", names);
    }

    std::vector<hsize_t> shape_of(const std::vector<std::string>& dimensions) const {
        std::vector<hsize_t> shape;
        for (const std::string& dimension : dimensions) shape.push_back(sizes_.length(dimension));
        return shape;
    }

    // Every axis gets its scale: netCDF-C and h5netcdf need all or none
    // (docs/results-format.md, netCDF-4 rule 1).
    void attach_scales(Dataset& dataset, const std::vector<std::string>& dimensions) {
        for (std::size_t axis = 0; axis < dimensions.size(); ++axis)
            dataset.attach_scale(scales_.at(dimensions[axis]), unsigned(axis));
    }

    template <class T>
    Dataset variable(const std::string& name, const std::vector<std::string>& dimensions, std::optional<T> fill) {
        const std::vector<hsize_t> shape = shape_of(dimensions);
        Dataset dataset = file_.create_dataset<T>(name, shape, chunked_layout(shape, sizeof(T)), fill);
        attach_scales(dataset, dimensions);
        return dataset;
    }

    template <class T, class Block>
    void per_scenario(const std::string& name, const std::vector<std::string>& dimensions, std::optional<T> fill,
                      const char* units, const char* long_name, Block block) {
        Dataset dataset = variable<T>(name, dimensions, fill);
        describe(dataset, units, long_name);
        set_coordinates(dataset, dimensions);
        slices_.push_back({std::move(dataset), [block](Dataset& d, std::size_t s, const ScenarioRecords& scenario) {
                               d.write_block(s, std::vector<T>(block(scenario)));
                           }});
    }

    template <class Block>
    void per_scenario_strings(const std::string& name, const std::vector<std::string>& dimensions,
                              const char* long_name, Block block) {
        Dataset dataset = file_.create_string_dataset(name, shape_of(dimensions));
        attach_scales(dataset, dimensions);
        describe(dataset, "1", long_name);
        set_coordinates(dataset, dimensions);
        slices_.push_back({std::move(dataset), [block](Dataset& d, std::size_t s, const ScenarioRecords& scenario) {
                               d.write_strings_block(s, block(scenario));
                           }});
    }

    void create_scenario_variables();
    void create_monthly();
    void create_programme_monthly();
    void create_rule_monthly();
    void create_rule_variables();
    void create_yearly();
    void create_indicators();
    template <class T>
    void monthly_variable(const std::string& name, const SeriesInfo& info, const std::vector<std::string>& inner,
                          T fill, MonthlyValue<T> value);
    template <class T>
    std::vector<T> monthly_block(const std::vector<JobRecord>& records, std::size_t inner, T fill,
                                 const MonthlyValue<T>& value) const;
    std::vector<std::int64_t> yearly_block(const std::vector<JobRecord>& records,
                                           std::vector<std::int64_t> JobRecord::*series) const;
};

void Writer::write_scenario(std::size_t s, const ScenarioRecords& scenario) {
    check_scenario(outline_, s, scenario);
    indicators_.clear();
    for (const JobRecord& record : scenario.records) indicators_.push_back(job_indicators(record));
    for (Slice& slice : slices_) slice.write(slice.dataset, s, scenario);
}

// Per-scenario description: TOML, calendar, sizes and communes, padded to
// the file's commune count.
void Writer::create_scenario_variables() {
    const std::size_t width = sizes_.commune;
    const auto padded = [width](const auto& values, auto fill) {
        std::vector<decltype(fill)> row(width, fill);
        std::copy(values.begin(), values.end(), row.begin());
        return row;
    };
    per_scenario_strings("scenario_toml", {"scenario"}, "full resolved scenario TOML text",
                         [](const ScenarioRecords& x) { return std::vector<std::string>{x.info.toml}; });
    per_scenario_strings("scenario_start_date", {"scenario"}, "calendar date of month 0 (YYYY-MM-DD), empty if none",
                         [](const ScenarioRecords& x) { return std::vector<std::string>{x.info.start_date}; });
    per_scenario_strings("scenario_forked_from", {"scenario"},
                         "the scenario whose run this one continued from scenario_fork_month on, empty if none",
                         [](const ScenarioRecords& x) { return std::vector<std::string>{x.info.forked_from}; });
    per_scenario<std::int32_t>(
        "scenario_fork_month", {"scenario"}, std::nullopt, "month",
        "first month run as this scenario (earlier months were shared with scenario_forked_from; negative: "
        "the spin-up)",
        [](const ScenarioRecords& x) { return std::vector<std::int32_t>{x.info.fork_month}; });
    per_scenario<std::int32_t>(
        "months_in_scenario", {"scenario"}, std::nullopt, "month", "months simulated; later months hold fill values",
        [](const ScenarioRecords& x) { return std::vector<std::int32_t>{x.records.front().months}; });
    per_scenario<std::int32_t>("communes_in_scenario", {"scenario"}, std::nullopt, "1",
                               "communes in the scenario; later communes hold fill values",
                               [](const ScenarioRecords& x) {
                                   return std::vector<std::int32_t>{std::int32_t(x.info.commune_population.size())};
                               });
    per_scenario<std::int64_t>(
        "commune_population", {"scenario", "commune"}, FILL_INT64, "1", "population of the commune",
        [padded](const ScenarioRecords& x) { return padded(x.info.commune_population, FILL_INT64); });
    per_scenario<std::int32_t>(
        "commune_region", {"scenario", "commune"}, FILL_INT32, "1", "index of the commune's region",
        [padded](const ScenarioRecords& x) { return padded(x.info.commune_region, FILL_INT32); });
    per_scenario_strings("commune_name", {"scenario", "commune"}, "commune name, empty if none",
                         [padded](const ScenarioRecords& x) { return padded(x.info.commune_names, std::string()); });
    if (sizes_.programme == 0) return;
    const std::size_t programmes = sizes_.programme;
    const auto named = [programmes](const std::vector<std::string>& values) {
        std::vector<std::string> row(programmes);
        std::copy(values.begin(), values.end(), row.begin());
        return row;
    };
    per_scenario<std::int32_t>("programmes_in_scenario", {"scenario"}, std::nullopt, "1",
                               "programmes in the scenario; later programmes hold fill values",
                               [](const ScenarioRecords& x) {
                                   return std::vector<std::int32_t>{std::int32_t(x.info.programme_names.size())};
                               });
    per_scenario_strings("programme_name", {"scenario", "programme"}, "programme name, empty past the scenario's",
                         [named](const ScenarioRecords& x) { return named(x.info.programme_names); });
    per_scenario_strings("programme_funder", {"scenario", "programme"},
                         "who pays the programme's grants and assistance (its `funder`)",
                         [named](const ScenarioRecords& x) { return named(x.info.programme_funders); });
    create_rule_variables();
}

// The rules of each scenario (docs/model.md 7.6.11), padded to the file's rule count.
void Writer::create_rule_variables() {
    if (sizes_.rule == 0) return;
    const std::size_t rules = sizes_.rule;
    const auto named = [rules](const std::vector<std::string>& values) {
        std::vector<std::string> row(rules);
        std::copy(values.begin(), values.end(), row.begin());
        return row;
    };
    per_scenario<std::int32_t>(
        "rules_in_scenario", {"scenario"}, std::nullopt, "1", "rules in the scenario; later rules hold fill values",
        [](const ScenarioRecords& x) { return std::vector<std::int32_t>{std::int32_t(x.info.rule_names.size())}; });
    per_scenario_strings("rule_name", {"scenario", "rule"}, "rule name, empty past the scenario's",
                         [named](const ScenarioRecords& x) { return named(x.info.rule_names); });
    per_scenario_strings("rule_programme", {"scenario", "rule"}, "the programme the rule's action changes",
                         [named](const ScenarioRecords& x) { return named(x.info.rule_programmes); });
    per_scenario_strings("rule_action", {"scenario", "rule"}, "what the rule does when it fires",
                         [named](const ScenarioRecords& x) { return named(x.info.rule_actions); });
}

// One scenario's block [replicate, month, inner] of a monthly variable; months
// past the scenario's horizon hold `fill`.
template <class T>
std::vector<T> Writer::monthly_block(const std::vector<JobRecord>& records, std::size_t inner, T fill,
                                     const MonthlyValue<T>& value) const {
    std::vector<T> block(sizes_.replicate * sizes_.month * inner, fill);
    for (std::size_t r = 0; r < sizes_.replicate; ++r) {
        const JobRecord& job = records[r];
        for (int m = 0; m < job.months; ++m)
            for (std::size_t k = 0; k < inner; ++k)
                block[(r * sizes_.month + std::size_t(m)) * inner + k] = value(job, m, int(k));
    }
    return block;
}

template <class T>
void Writer::monthly_variable(const std::string& name, const SeriesInfo& info,
                              const std::vector<std::string>& inner_dims, T fill, MonthlyValue<T> value) {
    std::vector<std::string> dimensions = {"scenario", "replicate", "month"};
    dimensions.insert(dimensions.end(), inner_dims.begin(), inner_dims.end());
    Dataset dataset = variable<T>(name, dimensions, fill);
    describe(dataset, info.units, info.long_name, info.is_flow ? "flow" : "stock");
    // CF auxiliary coordinates: xarray shows the dates beside the month index.
    set_coordinates(dataset, dimensions);
    std::size_t inner = 1;  // values per month: the product of the inner dimensions
    for (const std::string& d : inner_dims) inner *= sizes_.length(d);
    slices_.push_back(
        {std::move(dataset), [this, inner, fill, value](Dataset& d, std::size_t s, const ScenarioRecords& scenario) {
             d.write_block(s, monthly_block(scenario.records, inner, fill, value));
         }});
}

// docs/model.md section 8: every monthly observable.
void Writer::create_monthly() {
    for (int i = 0; i < SERIES_COUNT; ++i)
        monthly_variable<std::int64_t>(MONTHLY_SERIES[i].name, MONTHLY_SERIES[i], {}, FILL_INT64,
                                       [i](const JobRecord& job, int m, int) { return job.at(m, Series(i)); });
    for (int i = 0; i < SECTOR_SERIES_COUNT; ++i)
        monthly_variable<std::int64_t>(
            SECTOR_MONTHLY_SERIES[i].name, SECTOR_MONTHLY_SERIES[i], {"sector"}, FILL_INT64,
            [i](const JobRecord& job, int m, int k) { return job.at(m, SectorSeries(i), k); });
    monthly_variable<double>("mean_trust", {"", "1", "mean trust of association members (end of month)", false}, {},
                             FILL_FLOAT64,
                             [](const JobRecord& job, int m, int) { return job.mean_trust[std::size_t(m)]; });
    monthly_variable<std::int64_t>(
        "idea_to_completion_months",
        {"", "month", "sum over projects completed in the month of months from idea to completion", true}, {},
        FILL_INT64, [](const JobRecord& job, int m, int) { return job.idea_to_completion_months[std::size_t(m)]; });
    monthly_variable<std::int64_t>(
        "completed_value", {"", "XOF", "total cost of the projects completed in the month", true}, {}, FILL_INT64,
        [](const JobRecord& job, int m, int) { return job.completed_value[std::size_t(m)]; });
}

// docs/model.md section 8: each programme's own flows; programmes a scenario
// does not have hold fill values.
void Writer::create_programme_monthly() {
    for (int i = 0; i < PROGRAMME_SERIES_COUNT; ++i)
        monthly_variable<std::int64_t>(PROGRAMME_MONTHLY_SERIES[i].name, PROGRAMME_MONTHLY_SERIES[i], {"programme"},
                                       FILL_INT64, [i](const JobRecord& job, int m, int p) {
                                           return p < job.programmes ? job.at(m, p, ProgrammeSeries(i)) : FILL_INT64;
                                       });
    monthly_variable<std::int64_t>("programme_projects_completed",
                                   {"", "1", "projects the programme co-financed that were completed", true},
                                   {"programme", "sector"}, FILL_INT64, [](const JobRecord& job, int m, int k) {
                                       const int p = k / SECTOR_COUNT;
                                       return p < job.programmes ? job.completed(m, p, k % SECTOR_COUNT) : FILL_INT64;
                                   });
}

// docs/model.md 7.6.11: the months each rule fired; rules a scenario does
// not have hold fill values.
void Writer::create_rule_monthly() {
    monthly_variable<std::int64_t>(
        "rule_fired", {"", "1", "1 in the months the rule fired, else 0 (docs/model.md 7.6.11)", true}, {"rule"},
        FILL_INT64, [](const JobRecord& job, int m, int r) { return r < job.rules ? job.fired(m, r) : FILL_INT64; });
}

// Yearly stocks per commune and sector [replicate, year, commune, sector] for
// one scenario; years and communes the scenario does not have hold fill values.
std::vector<std::int64_t> Writer::yearly_block(const std::vector<JobRecord>& records,
                                               std::vector<std::int64_t> JobRecord::*series) const {
    const std::size_t per_year = sizes_.commune * sizes_.sector;
    std::vector<std::int64_t> block(sizes_.replicate * sizes_.year * per_year, FILL_INT64);
    for (std::size_t r = 0; r < sizes_.replicate; ++r) {
        const JobRecord& job = records[r];
        const std::vector<std::int64_t>& values = job.*series;
        const std::size_t row = std::size_t(job.communes) * sizes_.sector;  // one year of the record
        for (std::size_t y = 0; y < std::size_t(job.years); ++y)
            std::copy_n(values.begin() + std::ptrdiff_t(y * row), row,
                        block.begin() + std::ptrdiff_t((r * sizes_.year + y) * per_year));
    }
    return block;
}

void Writer::create_yearly() {
    const std::vector<std::string> dimensions = {"scenario", "replicate", "year", "commune", "sector"};
    const auto create = [&](const char* name, std::vector<std::int64_t> JobRecord::*series, const char* long_name) {
        Dataset dataset = variable<std::int64_t>(name, dimensions, FILL_INT64);
        describe(dataset, "1", long_name, "stock");
        set_coordinates(dataset, dimensions);
        slices_.push_back(
            {std::move(dataset), [this, series](Dataset& d, std::size_t s, const ScenarioRecords& scenario) {
                 d.write_block(s, yearly_block(scenario.records, series));
             }});
    };
    create("people_served_by_commune", &JobRecord::yearly_people_served,
           "people served by working projects, by commune (end of year)");
    create("projects_operating_by_commune", &JobRecord::yearly_projects_operating,
           "completed projects working, by commune (end of year)");
    // Residents by commune and year: the population that people reached are counted against.
    const std::vector<std::string> by_commune = {"scenario", "replicate", "year", "commune"};
    Dataset population = variable<std::int64_t>("population_by_commune", by_commune, FILL_INT64);
    describe(population, "1", "residents of the commune (end of year)", "stock");
    set_coordinates(population, by_commune);
    slices_.push_back({std::move(population), [this](Dataset& d, std::size_t s, const ScenarioRecords& scenario) {
                           std::vector<std::int64_t> block(sizes_.replicate * sizes_.year * sizes_.commune, FILL_INT64);
                           for (std::size_t r = 0; r < sizes_.replicate; ++r) {
                               const JobRecord& job = scenario.records[r];
                               for (int y = 0; y < job.years; ++y)
                                   for (int c = 0; c < job.communes; ++c)
                                       block[(r * sizes_.year + std::size_t(y)) * sizes_.commune + std::size_t(c)] =
                                           job.population(y, c);
                           }
                           d.write_block(s, block);
                       }});
}

// Every indicator of indicators.hpp, per job: what the effect tables of the
// CLI and of codev.Results are computed from (docs/indicators.md).
void Writer::create_indicators() {
    for (const IndicatorInfo& info : JOB_INDICATORS) {
        Dataset dataset = variable<double>(info.name, {"scenario", "replicate"}, FILL_FLOAT64);
        describe(dataset, info.units, info.long_name, "indicator");
        set_coordinates(dataset, {"scenario", "replicate"});
        const auto member = info.value;
        slices_.push_back({std::move(dataset), [this, member](Dataset& d, std::size_t s, const ScenarioRecords&) {
                               std::vector<double> block;
                               for (const JobIndicators& j : indicators_) block.push_back(j.*member);
                               d.write_block(s, block);
                           }});
    }
    for (const SectorIndicatorInfo& info : JOB_SECTOR_INDICATORS) {
        Dataset dataset = variable<double>(info.name, {"scenario", "replicate", "sector"}, FILL_FLOAT64);
        describe(dataset, info.units, info.long_name, "indicator");
        set_coordinates(dataset, {"scenario", "replicate", "sector"});
        const auto member = info.value;
        slices_.push_back({std::move(dataset), [this, member](Dataset& d, std::size_t s, const ScenarioRecords&) {
                               std::vector<double> block;
                               for (const JobIndicators& j : indicators_)
                                   block.insert(block.end(), (j.*member).begin(), (j.*member).end());
                               d.write_block(s, block);
                           }});
    }
}

}  // namespace

void write_ensemble(hdf5::File& file, const ResultsOutline& outline, const ScenarioSource& source) {
    Writer writer(file, outline);
    writer.create();
    for (std::size_t s = 0; s < outline.scenarios.size(); ++s) writer.write_scenario(s, source(s));
    writer.finish();
}  // the writer's datasets close here, before the caller closes the file

}  // namespace codev
