// Reading the results file back (sweep shards, tests) and describing it for
// `codev info`. Every way a file can be wrong ends in a ResultsError that
// names the file: the checks in open_results run before any data is read.
#include <algorithm>
#include <filesystem>
#include <iomanip>
#include <sstream>

#include "codev/results/results_file.hpp"
#include "codev/version.hpp"
#include "hdf5_file.hpp"
#include "results_layout.hpp"

namespace codev {

namespace {

using hdf5::Dataset;
using hdf5::File;

// Opens `path` if it is a complete codev results file this build can read.
// The order of the checks gives the most useful message first: a newer
// format is reported as such even if it no longer marks completion the same way.
File open_results(const std::string& path) {
    const std::string quoted = "'" + path + "'";
    std::error_code error;
    if (!std::filesystem::exists(path, error)) throw ResultsError("results file " + quoted + " does not exist");
    if (std::filesystem::is_directory(path, error)) throw ResultsError(quoted + " is a directory, not a results file");
    if (!File::is_hdf5(path)) throw ResultsError(quoted + " is not an HDF5 file");
    File file = File::open_read_only(path);
    if (!file.has_attribute("filetype") || file.string_attribute("filetype") != RESULTS_FILETYPE)
        throw ResultsError(quoted + " is an HDF5 file but not a codev results file (no filetype \"" +
                           std::string(RESULTS_FILETYPE) + "\" attribute)");
    if (!file.has_attribute("format_version")) throw ResultsError(quoted + " has no format_version attribute");
    const int version = file.numeric_attribute<std::int32_t>("format_version");
    if (version > RESULTS_FORMAT_VERSION)
        throw ResultsError(quoted + " was written by a newer codev (format " + std::to_string(version) +
                           "); this build reads format " + std::to_string(RESULTS_FORMAT_VERSION));
    if (version < 1) throw ResultsError(quoted + " has an invalid format_version " + std::to_string(version));
    if (version < RESULTS_FORMAT_OLDEST_READ)
        throw ResultsError(quoted + " was written by an older codev (format " + std::to_string(version) +
                           ", without the indicators and programme series this build reads); run its scenarios "
                           "again");
    if (!file.has_attribute("complete"))
        throw ResultsError(quoted +
                           " was not closed properly (no 'complete' attribute): the run that wrote it "
                           "stopped before the end");
    return file;
}

ResultsSizes file_sizes(const File& file) {
    ResultsSizes sizes;
    const auto length = [&](const char* dimension) {
        const Dataset scale = file.open_dataset(dimension);
        const std::vector<hsize_t> shape = scale.shape();
        if (shape.size() != 1) throw ResultsError(scale.where() + ": a dimension must have one axis");
        return std::size_t(shape[0]);
    };
    sizes.scenario = length("scenario");
    sizes.replicate = length("replicate");
    sizes.month = length("month");
    sizes.sector = length("sector");
    sizes.year = length("year");
    sizes.commune = length("commune");
    sizes.programme = file.has_dataset("programme") ? length("programme") : 0;  // none without programmes
    sizes.rule = file.has_dataset("rule") ? length("rule") : 0;                 // none without rules
    if (sizes.sector != SECTOR_COUNT)
        throw ResultsError(file.where() + ": " + std::to_string(sizes.sector) + " sectors, this build has " +
                           std::to_string(SECTOR_COUNT));
    return sizes;
}

// Opens a variable and checks its shape, so a damaged file cannot make the
// reader index past a block.
Dataset open_variable(const File& file, const std::string& name, const std::vector<std::size_t>& expected) {
    Dataset dataset = file.open_dataset(name);
    const std::vector<hsize_t> shape = dataset.shape();
    if (!std::equal(shape.begin(), shape.end(), expected.begin(), expected.end()))
        throw ResultsError(dataset.where() + ": unexpected shape");
    return dataset;
}

// All commune names empty means the scenario had none (the writer pads with "").
std::vector<std::string> commune_names(const std::vector<std::string>& all, std::size_t s, std::size_t width,
                                       std::size_t communes) {
    const auto first = all.begin() + std::ptrdiff_t(s * width);
    std::vector<std::string> names(first, first + std::ptrdiff_t(communes));
    if (std::all_of(names.begin(), names.end(), [](const std::string& n) { return n.empty(); })) names.clear();
    return names;
}

// The checks read_results makes, without reading the records: every variable
// has its shape and each scenario's month and commune counts fit them. Run
// by describe_results, so `codev info` and codev.open refuse a tampered file
// before a summary is made of it.
void check_layout(const File& file) {
    const ResultsSizes sizes = file_sizes(file);
    const std::size_t S = sizes.scenario, C = sizes.commune;
    const auto months = open_variable(file, "months_in_scenario", {S}).read<std::int32_t>();
    const auto communes = open_variable(file, "communes_in_scenario", {S}).read<std::int32_t>();
    for (std::size_t s = 0; s < S; ++s)
        if (months[s] < 1 || std::size_t(months[s]) > sizes.month || communes[s] < 0 || std::size_t(communes[s]) > C)
            throw ResultsError(file.where() + ": scenario " + std::to_string(s) +
                               " has invalid month or commune counts");
    for (const char* name : {"scenario", "scenario_toml", "scenario_start_date"}) open_variable(file, name, {S});
    for (const char* name : {"commune_population", "commune_region", "commune_name"}) open_variable(file, name, {S, C});
    const std::vector<std::size_t> monthly = {S, sizes.replicate, sizes.month};
    const std::vector<std::size_t> by_sector = {S, sizes.replicate, sizes.month, sizes.sector};
    for (const SeriesInfo& series : MONTHLY_SERIES) open_variable(file, series.name, monthly);
    for (const SeriesInfo& series : SECTOR_MONTHLY_SERIES) open_variable(file, series.name, by_sector);
    for (const char* name : {"mean_trust", "idea_to_completion_months", "completed_value"})
        open_variable(file, name, monthly);
    const std::vector<std::size_t> yearly = {S, sizes.replicate, sizes.year, C, sizes.sector};
    for (const char* name : {"people_served_by_commune", "projects_operating_by_commune"})
        open_variable(file, name, yearly);
    if (sizes.programme == 0) return;
    const std::size_t P = sizes.programme;
    const auto programmes = open_variable(file, "programmes_in_scenario", {S}).read<std::int32_t>();
    for (std::size_t s = 0; s < S; ++s)
        if (programmes[s] < 0 || std::size_t(programmes[s]) > P)
            throw ResultsError(file.where() + ": scenario " + std::to_string(s) + " has an invalid programme count");
    for (const char* name : {"programme_name", "programme_funder"}) open_variable(file, name, {S, P});
    for (const SeriesInfo& series : PROGRAMME_MONTHLY_SERIES)
        open_variable(file, series.name, {S, sizes.replicate, sizes.month, P});
    open_variable(file, "programme_projects_completed", {S, sizes.replicate, sizes.month, P, sizes.sector});
    if (sizes.rule == 0) return;
    const std::size_t R = sizes.rule;
    const auto rules = open_variable(file, "rules_in_scenario", {S}).read<std::int32_t>();
    for (std::size_t s = 0; s < S; ++s)
        if (rules[s] < 0 || std::size_t(rules[s]) > R)
            throw ResultsError(file.where() + ": scenario " + std::to_string(s) + " has an invalid rule count");
    for (const char* name : {"rule_name", "rule_programme", "rule_action"}) open_variable(file, name, {S, R});
    open_variable(file, "rule_fired", {S, sizes.replicate, sizes.month, R});
}

// The programmes of scenario s: their names and funders, and their count.
struct ScenarioProgrammes {
    std::vector<std::vector<std::string>> names, funders;  // per scenario
};

// The rules of scenario s: names, programmes and actions.
struct ScenarioRules {
    std::vector<std::vector<std::string>> names, programmes, actions;  // per scenario
};

ScenarioRules read_rule_names(const File& file, const ResultsSizes& sizes) {
    ScenarioRules found;
    found.names.resize(sizes.scenario);
    found.programmes.resize(sizes.scenario);
    found.actions.resize(sizes.scenario);
    if (sizes.rule == 0) return found;
    const std::size_t S = sizes.scenario, R = sizes.rule;
    const auto counts = open_variable(file, "rules_in_scenario", {S}).read<std::int32_t>();
    const auto names = open_variable(file, "rule_name", {S, R}).read_strings();
    const auto programmes = open_variable(file, "rule_programme", {S, R}).read_strings();
    const auto actions = open_variable(file, "rule_action", {S, R}).read_strings();
    for (std::size_t s = 0; s < S; ++s) {
        if (counts[s] < 0 || std::size_t(counts[s]) > R)
            throw ResultsError(file.where() + ": scenario " + std::to_string(s) + " has an invalid rule count");
        const auto first = std::ptrdiff_t(s * R), last = first + counts[s];
        found.names[s].assign(names.begin() + first, names.begin() + last);
        found.programmes[s].assign(programmes.begin() + first, programmes.begin() + last);
        found.actions[s].assign(actions.begin() + first, actions.begin() + last);
    }
    return found;
}

ScenarioProgrammes read_programme_names(const File& file, const ResultsSizes& sizes) {
    ScenarioProgrammes found;
    found.names.resize(sizes.scenario);
    found.funders.resize(sizes.scenario);
    if (sizes.programme == 0) return found;
    const std::size_t S = sizes.scenario, P = sizes.programme;
    const auto counts = open_variable(file, "programmes_in_scenario", {S}).read<std::int32_t>();
    const auto names = open_variable(file, "programme_name", {S, P}).read_strings();
    const auto funders = open_variable(file, "programme_funder", {S, P}).read_strings();
    for (std::size_t s = 0; s < S; ++s) {
        if (counts[s] < 0 || std::size_t(counts[s]) > P)
            throw ResultsError(file.where() + ": scenario " + std::to_string(s) + " has an invalid programme count");
        const auto first = std::ptrdiff_t(s * P), last = first + counts[s];
        found.names[s].assign(names.begin() + first, names.begin() + last);
        found.funders[s].assign(funders.begin() + first, funders.begin() + last);
    }
    return found;
}

void read_scenarios(const File& file, const ResultsSizes& sizes, EnsembleResults& results) {
    const std::size_t S = sizes.scenario, C = sizes.commune;
    const auto names = open_variable(file, "scenario", {S}).read_strings();
    const auto toml = open_variable(file, "scenario_toml", {S}).read_strings();
    const auto start_dates = open_variable(file, "scenario_start_date", {S}).read_strings();
    const auto months = open_variable(file, "months_in_scenario", {S}).read<std::int32_t>();
    const auto communes = open_variable(file, "communes_in_scenario", {S}).read<std::int32_t>();
    const auto population = open_variable(file, "commune_population", {S, C}).read<std::int64_t>();
    const auto region = open_variable(file, "commune_region", {S, C}).read<std::int32_t>();
    const auto all_names = open_variable(file, "commune_name", {S, C}).read_strings();
    const ScenarioProgrammes programmes = read_programme_names(file, sizes);
    const ScenarioRules rules = read_rule_names(file, sizes);
    for (std::size_t s = 0; s < S; ++s) {
        if (months[s] < 0 || std::size_t(months[s]) > sizes.month || communes[s] < 0 || std::size_t(communes[s]) > C)
            throw ResultsError(file.where() + ": scenario '" + names[s] + "' has invalid month or commune counts");
        const auto first = std::ptrdiff_t(s * C), last = first + communes[s];
        results.scenarios.push_back({names[s],
                                     toml[s],
                                     start_dates[s],
                                     {population.begin() + first, population.begin() + last},
                                     {region.begin() + first, region.begin() + last},
                                     commune_names(all_names, s, C, std::size_t(communes[s])),
                                     programmes.names[s],
                                     programmes.funders[s],
                                     rules.names[s],
                                     rules.programmes[s],
                                     rules.actions[s],
                                     "",
                                     0});
        for (std::size_t r = 0; r < sizes.replicate; ++r)
            results.records.emplace_back().resize(months[s], communes[s], int(programmes.names[s].size()),
                                                  int(rules.names[s].size()));
    }
    // Where scenarios forked (files written before forks have none: each ran from its first month).
    if (file.has_dataset("scenario_forked_from")) {
        const auto forked_from = open_variable(file, "scenario_forked_from", {S}).read_strings();
        const auto fork_month = open_variable(file, "scenario_fork_month", {S}).read<std::int32_t>();
        for (std::size_t s = 0; s < S; ++s) {
            results.scenarios[results.scenarios.size() - S + s].forked_from = forked_from[s];
            results.scenarios[results.scenarios.size() - S + s].fork_month = fork_month[s];
        }
    }
}

// Reads a [scenario, replicate, month, inner...] variable into the records,
// one scenario block at a time; fill values past a scenario's horizon are
// skipped (`set` skips those past its programmes).
template <class T, class Set>
void read_monthly_variable(const File& file, const ResultsSizes& sizes, EnsembleResults& results,
                           const std::string& name, const std::vector<std::string>& inner_dims, Set set) {
    std::vector<std::size_t> shape = {sizes.scenario, sizes.replicate, sizes.month};
    std::size_t inner = 1;
    for (const std::string& d : inner_dims) {
        shape.push_back(sizes.length(d));
        inner *= sizes.length(d);
    }
    const Dataset dataset = open_variable(file, name, shape);
    for (std::size_t s = 0; s < sizes.scenario; ++s) {
        const std::vector<T> block = dataset.read_block<T>(s);
        for (std::size_t r = 0; r < sizes.replicate; ++r) {
            JobRecord& job = results.records[s * sizes.replicate + r];
            for (int m = 0; m < job.months; ++m)
                for (std::size_t k = 0; k < inner; ++k)
                    set(job, m, int(k), block[(r * sizes.month + std::size_t(m)) * inner + k]);
        }
    }
}

void read_monthly(const File& file, const ResultsSizes& sizes, EnsembleResults& results) {
    for (int i = 0; i < SERIES_COUNT; ++i)
        read_monthly_variable<std::int64_t>(
            file, sizes, results, MONTHLY_SERIES[i].name, {},
            [i](JobRecord& job, int m, int, std::int64_t v) { job.at(m, Series(i)) = v; });
    for (int i = 0; i < SECTOR_SERIES_COUNT; ++i)
        read_monthly_variable<std::int64_t>(
            file, sizes, results, SECTOR_MONTHLY_SERIES[i].name, {"sector"},
            [i](JobRecord& job, int m, int k, std::int64_t v) { job.at(m, SectorSeries(i), k) = v; });
    read_monthly_variable<double>(file, sizes, results, "mean_trust", {},
                                  [](JobRecord& job, int m, int, double v) { job.mean_trust[std::size_t(m)] = v; });
    read_monthly_variable<std::int64_t>(
        file, sizes, results, "idea_to_completion_months", {},
        [](JobRecord& job, int m, int, std::int64_t v) { job.idea_to_completion_months[std::size_t(m)] = v; });
    read_monthly_variable<std::int64_t>(
        file, sizes, results, "completed_value", {},
        [](JobRecord& job, int m, int, std::int64_t v) { job.completed_value[std::size_t(m)] = v; });
    if (sizes.programme == 0) return;
    for (int i = 0; i < PROGRAMME_SERIES_COUNT; ++i)
        read_monthly_variable<std::int64_t>(file, sizes, results, PROGRAMME_MONTHLY_SERIES[i].name, {"programme"},
                                            [i](JobRecord& job, int m, int p, std::int64_t v) {
                                                if (p < job.programmes) job.at(m, p, ProgrammeSeries(i)) = v;
                                            });
    read_monthly_variable<std::int64_t>(file, sizes, results, "programme_projects_completed", {"programme", "sector"},
                                        [](JobRecord& job, int m, int k, std::int64_t v) {
                                            const int p = k / SECTOR_COUNT;
                                            if (p < job.programmes) job.completed(m, p, k % SECTOR_COUNT) = v;
                                        });
    if (sizes.rule == 0) return;
    read_monthly_variable<std::int64_t>(file, sizes, results, "rule_fired", {"rule"},
                                        [](JobRecord& job, int m, int r, std::int64_t v) {
                                            if (r < job.rules) job.fired(m, r) = v;
                                        });
}

void read_yearly(const File& file, const ResultsSizes& sizes, EnsembleResults& results) {
    const std::vector<std::size_t> shape = {sizes.scenario, sizes.replicate, sizes.year, sizes.commune, sizes.sector};
    const std::size_t per_year = sizes.commune * sizes.sector;
    const auto read = [&](const char* name, std::vector<std::int64_t> JobRecord::*series) {
        const Dataset dataset = open_variable(file, name, shape);
        for (std::size_t s = 0; s < sizes.scenario; ++s) {
            const std::vector<std::int64_t> block = dataset.read_block<std::int64_t>(s);
            for (std::size_t r = 0; r < sizes.replicate; ++r) {
                JobRecord& job = results.records[s * sizes.replicate + r];
                const std::size_t row = std::size_t(job.communes) * sizes.sector;
                for (std::size_t y = 0; y < std::size_t(job.years); ++y)
                    std::copy_n(block.begin() + std::ptrdiff_t((r * sizes.year + y) * per_year), row,
                                (job.*series).begin() + std::ptrdiff_t(y * row));
            }
        }
    };
    read("people_served_by_commune", &JobRecord::yearly_people_served);
    read("projects_operating_by_commune", &JobRecord::yearly_projects_operating);
    const Dataset population =
        open_variable(file, "population_by_commune", {sizes.scenario, sizes.replicate, sizes.year, sizes.commune});
    for (std::size_t s = 0; s < sizes.scenario; ++s) {
        const std::vector<std::int64_t> block = population.read_block<std::int64_t>(s);
        for (std::size_t r = 0; r < sizes.replicate; ++r) {
            JobRecord& job = results.records[s * sizes.replicate + r];
            for (std::size_t y = 0; y < std::size_t(job.years); ++y)
                std::copy_n(block.begin() + std::ptrdiff_t((r * sizes.year + y) * sizes.commune), job.communes,
                            job.yearly_population.begin() + std::ptrdiff_t(y * std::size_t(job.communes)));
        }
    }
}

// Sweep factors listed in the root attribute `factors`, each a coordinate
// variable along `scenario` (docs/results-format.md, "Sweep factors").
std::vector<FactorValues> read_factors(const File& file, std::size_t scenarios) {
    std::vector<FactorValues> factors;
    if (!file.has_attribute("factors")) return factors;
    std::istringstream keys(file.string_attribute("factors"));
    for (std::string key; keys >> key;) {
        const Dataset dataset = open_variable(file, factor_variable(key), {scenarios});
        FactorValues factor;
        factor.key = key;
        factor.units = dataset.has_attribute("units") ? dataset.string_attribute("units") : "1";
        factor.long_name = dataset.has_attribute("long_name") ? dataset.string_attribute("long_name") : "";
        const std::string type = dataset.type_name();
        if (type == "string")
            factor.values = dataset.read_strings();
        else if (type == "float64")
            factor.values = dataset.read<double>();
        else if (type.starts_with("int"))
            factor.values = dataset.read<std::int64_t>();
        else
            throw ResultsError(dataset.where() + ": a factor of type " + type);
        factors.push_back(std::move(factor));
    }
    return factors;
}

// The record of a precision-driven run, when the file has the `trigger`
// dimension (docs/results-format.md, "Precision").
PrecisionOutcome read_precision(const File& file, std::size_t scenarios) {
    PrecisionOutcome p;
    if (!file.has_dataset("trigger")) return p;
    const std::size_t triggers = std::size_t(file.open_dataset("trigger").shape().at(0));
    p.indicators = open_variable(file, "trigger", {triggers}).read_strings();
    p.units = open_variable(file, "precision_units", {triggers}).read_strings();
    p.tolerances = open_variable(file, "precision_tolerance", {triggers}).read<double>();
    for (std::int32_t n : open_variable(file, "precision_replicates_needed", {triggers}).read<std::int32_t>())
        p.replicates_needed.push_back(n > 0 ? n : 0);
    p.half_widths = open_variable(file, "precision_half_width", {scenarios, triggers}).read<double>();
    p.met = file.numeric_attribute<std::int32_t>("precision_met") != 0;
    p.baseline = file.has_attribute("precision_baseline") ? file.string_attribute("precision_baseline") : "";
    p.paired = file.string_attribute("precision_measure") == "paired difference";
    p.initial_replicates = file.numeric_attribute<std::int32_t>("precision_initial_replicates");
    p.batch = file.numeric_attribute<std::int32_t>("precision_batch");
    p.max_replicates = file.numeric_attribute<std::int32_t>("precision_max_replicates");
    return p;
}

// ---- describe ---------------------------------------------------------------

std::string text_or_missing(const File& file, const char* name) {
    return file.has_attribute(name) ? file.string_attribute(name) : "(missing)";
}

void describe_provenance(const File& file, std::ostream& out) {
    const auto row = [&](const char* label, const std::string& value) {
        out << "  " << std::left << std::setw(16) << label << value << '\n';
    };
    row("format version", std::to_string(file.numeric_attribute<std::int32_t>("format_version")));
    row("codev version", text_or_missing(file, "codev_version"));
    row("git commit", text_or_missing(file, "git_commit"));
    row("created", text_or_missing(file, "created"));
    row("seed", std::to_string(file.numeric_attribute<std::uint64_t>("seed")));
    row("replicates", std::to_string(file.numeric_attribute<std::int32_t>("replicates")));
    row("command line", text_or_missing(file, "command_line"));
    if (file.has_attribute("factors")) row("sweep factors", file.string_attribute("factors"));
    if (file.has_attribute("precision_met"))
        row("precision", std::string(file.numeric_attribute<std::int32_t>("precision_met") ? "met" : "NOT met") + " (" +
                             text_or_missing(file, "precision_measure") + "; precision_* variables)");
}

void describe_scenarios(const File& file, std::ostream& out) {
    const auto names = file.open_dataset("scenario").read_strings();
    const auto months = file.open_dataset("months_in_scenario").read<std::int32_t>();
    const auto communes = file.open_dataset("communes_in_scenario").read<std::int32_t>();
    std::size_t width = 0;
    for (const std::string& name : names) width = std::max(width, name.size());
    out << "scenarios (" << names.size() << "):\n";
    for (std::size_t s = 0; s < names.size() && s < months.size() && s < communes.size(); ++s)
        out << "  " << std::left << std::setw(int(width) + 2) << names[s] << months[s] << " months, " << communes[s]
            << " communes\n";
}

void describe_variables(const File& file, std::ostream& out) {
    const std::vector<std::string> names = file.dataset_names();
    std::size_t width = 0;
    for (const std::string& name : names) width = std::max(width, name.size());
    out << "variables (" << names.size() << "):\n";
    for (const std::string& name : names) {
        const Dataset dataset = file.open_dataset(name);
        std::string dimensions;
        for (const std::string& dimension : dataset.dimension_names())
            dimensions += (dimensions.empty() ? "" : ", ") + dimension;
        const std::string units = dataset.has_attribute("units") ? dataset.string_attribute("units") : "?";
        out << "  " << std::left << std::setw(int(width) + 2) << name << std::setw(8) << dataset.type_name() << '('
            << dimensions << ")  [" << units << "]\n";
    }
}

}  // namespace

EnsembleResults read_results(const std::string& path) {
    const File file = open_results(path);
    EnsembleResults results;
    results.seed = file.numeric_attribute<std::uint64_t>("seed");
    results.command_line = file.has_attribute("command_line") ? file.string_attribute("command_line") : "";
    const ResultsSizes sizes = file_sizes(file);
    results.replicates = int(sizes.replicate);
    results.months = int(sizes.month);
    read_scenarios(file, sizes, results);
    read_monthly(file, sizes, results);
    read_yearly(file, sizes, results);
    results.precision = read_precision(file, sizes.scenario);
    return results;
}

ResultsOutline read_outline(const std::string& path) {
    const File file = open_results(path);
    const ResultsSizes sizes = file_sizes(file);
    ResultsOutline outline;
    outline.scenarios = open_variable(file, "scenario", {sizes.scenario}).read_strings();
    outline.start_dates = open_variable(file, "scenario_start_date", {sizes.scenario}).read_strings();
    outline.replicates = int(sizes.replicate);
    const auto replicates = open_variable(file, "replicate", {sizes.replicate}).read<std::int32_t>();
    outline.first_replicate = replicates.empty() ? 0 : replicates.front();
    outline.months = int(sizes.month);
    outline.communes = sizes.commune;
    outline.programmes = sizes.programme;
    outline.rules = sizes.rule;
    outline.seed = file.numeric_attribute<std::uint64_t>("seed");
    outline.command_line = file.has_attribute("command_line") ? file.string_attribute("command_line") : "";
    outline.factors = read_factors(file, sizes.scenario);
    outline.precision = read_precision(file, sizes.scenario);
    if (file.has_attribute("shard_plan_hash")) {
        outline.shard_plan_hash = file.string_attribute("shard_plan_hash");
        outline.shard_block = long(file.numeric_attribute<std::int64_t>("shard_block"));
    }
    return outline;
}

std::string describe_results(const std::string& path) {
    const File file = open_results(path);
    check_layout(file);
    std::ostringstream out;
    out << "codev results file " << path << '\n';
    describe_provenance(file, out);
    describe_scenarios(file, out);
    describe_variables(file, out);
    return out.str();
}

}  // namespace codev
