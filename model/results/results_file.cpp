// Writing the results file: the public side of include/codev/results_file.hpp
// (checks, temporary name, sync, rename). The variables themselves are
// written by results_writer.cpp; reading is in results_file_read.cpp.
#include "codev/results/results_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "hdf5_file.hpp"
#include "results_writer.hpp"

namespace codev {

namespace fs = std::filesystem;

// ---- consistency of the input -------------------------------------------

void check_record(const JobRecord& record, int months, std::size_t communes, const std::string& job) {
    const auto fail = [&](const std::string& what) { throw ResultsError("cannot write " + job + ": " + what); };
    const std::size_t m = std::size_t(months), years = std::size_t(months + 11) / 12;
    const std::size_t yearly = years * communes * SECTOR_COUNT;
    if (record.months != months)
        fail(std::to_string(record.months) + " months, replicate 0 has " + std::to_string(months));
    if (std::size_t(record.communes) != communes || record.years != int(years))
        fail("record sized for " + std::to_string(record.communes) + " communes, the scenario has " +
             std::to_string(communes));
    if (record.monthly.size() != m * SERIES_COUNT ||
        record.sector_monthly.size() != m * SECTOR_SERIES_COUNT * SECTOR_COUNT || record.mean_trust.size() != m ||
        record.idea_to_completion_months.size() != m || record.completed_value.size() != m ||
        record.yearly_people_served.size() != yearly || record.yearly_projects_operating.size() != yearly ||
        record.yearly_population.size() != years * communes ||
        record.programme_monthly.size() != m * std::size_t(record.programmes) * PROGRAMME_SERIES_COUNT ||
        record.programme_completed.size() != m * std::size_t(record.programmes) * SECTOR_COUNT)
        fail("series sizes do not match " + std::to_string(months) + " months (JobRecord::resize not called?)");
}

void check_scenario(const ResultsOutline& outline, std::size_t s, const ScenarioRecords& scenario) {
    const ScenarioInfo& info = scenario.info;
    const std::string what = "cannot write scenario '" + info.name + "': ";
    if (info.name != outline.scenarios[s])
        throw ResultsError(what + "expected scenario " + std::to_string(s) + " '" + outline.scenarios[s] + "'");
    const std::size_t communes = info.commune_population.size();
    if (info.commune_region.size() != communes ||
        (!info.commune_names.empty() && info.commune_names.size() != communes))
        throw ResultsError(what + "commune population, region and names differ in length");
    if (communes > outline.communes)
        throw ResultsError(what + std::to_string(communes) + " communes, the file has room for " +
                           std::to_string(outline.communes));
    if (info.programme_funders.size() != info.programme_names.size())
        throw ResultsError(what + "programme names and funders differ in length");
    if (info.rule_names.size() > outline.rules || info.rule_programmes.size() != info.rule_names.size() ||
        info.rule_actions.size() != info.rule_names.size())
        throw ResultsError(what + std::to_string(info.rule_names.size()) + " rules, the file has room for " +
                           std::to_string(outline.rules) + " (or their programmes and actions differ in length)");
    if (info.programme_names.size() > outline.programmes)
        throw ResultsError(what + std::to_string(info.programme_names.size()) + " programmes, the file has room for " +
                           std::to_string(outline.programmes));
    if (scenario.records.size() != std::size_t(outline.replicates))
        throw ResultsError(what + std::to_string(scenario.records.size()) + " job records for " +
                           std::to_string(outline.replicates) + " replicates");
    const int months = scenario.records.front().months;
    if (months > outline.months)
        throw ResultsError(what + std::to_string(months) + " months, the file has room for " +
                           std::to_string(outline.months));
    for (const JobRecord& record : scenario.records)
        if (std::size_t(record.programmes) != info.programme_names.size())
            throw ResultsError(what + "records sized for " + std::to_string(record.programmes) +
                               " programmes, the scenario has " + std::to_string(info.programme_names.size()));
    for (std::size_t r = 0; r < scenario.records.size(); ++r)
        check_record(scenario.records[r], months, communes,
                     "scenario '" + info.name + "' replicate " + std::to_string(outline.first_replicate + int(r)));
}

namespace {

void check_outline(const ResultsOutline& outline) {
    const std::size_t scenarios = outline.scenarios.size();
    if (scenarios == 0 || outline.replicates <= 0)
        throw ResultsError("cannot write results: no scenarios or no replicates");
    if (outline.start_dates.size() != scenarios)
        throw ResultsError("cannot write results: " + std::to_string(outline.start_dates.size()) + " start dates for " +
                           std::to_string(scenarios) + " scenarios");
    for (const FactorValues& factor : outline.factors)
        if (factor.size() != scenarios)
            throw ResultsError("cannot write results: factor '" + factor.key + "' has " +
                               std::to_string(factor.size()) + " values for " + std::to_string(scenarios) +
                               " scenarios");
    const PrecisionOutcome& precision = outline.precision;
    const std::size_t triggers = precision.indicators.size();
    if (precision.units.size() != triggers || precision.tolerances.size() != triggers ||
        precision.replicates_needed.size() != triggers || precision.half_widths.size() != scenarios * triggers)
        throw ResultsError("cannot write results: the precision record is not sized for " + std::to_string(triggers) +
                           " triggers and " + std::to_string(scenarios) + " scenarios");
}

// Every scenario of an in-memory ensemble is checked before anything is written.
void check_ensemble(const EnsembleResults& results) {
    const std::size_t scenarios = results.scenarios.size(), replicates = std::size_t(std::max(results.replicates, 0));
    if (scenarios == 0 || replicates == 0) throw ResultsError("cannot write results: no scenarios or no replicates");
    if (results.records.size() != scenarios * replicates)
        throw ResultsError("cannot write results: " + std::to_string(results.records.size()) + " job records for " +
                           std::to_string(scenarios) + " scenarios x " + std::to_string(replicates) + " replicates");
    for (std::size_t s = 0; s < scenarios; ++s) {
        const ScenarioInfo& info = results.scenarios[s];
        const std::size_t communes = info.commune_population.size();
        if (info.commune_region.size() != communes ||
            (!info.commune_names.empty() && info.commune_names.size() != communes))
            throw ResultsError("cannot write scenario '" + info.name +
                               "': commune population, region and names differ in length");
        const int months = results.records[s * replicates].months;
        for (std::size_t r = 0; r < replicates; ++r)
            check_record(results.records[s * replicates + r], months, communes,
                         "scenario '" + info.name + "' replicate " + std::to_string(r));
    }
}

ResultsOutline outline_of(const EnsembleResults& results) {
    ResultsOutline outline;
    outline.replicates = results.replicates;
    outline.months = std::max(results.months, 0);
    for (const JobRecord& job : results.records) outline.months = std::max(outline.months, job.months);
    for (const ScenarioInfo& info : results.scenarios) {
        outline.scenarios.push_back(info.name);
        outline.start_dates.push_back(info.start_date);
        outline.communes = std::max(outline.communes, info.commune_population.size());
        outline.programmes = std::max(outline.programmes, info.programme_names.size());
        outline.rules = std::max(outline.rules, info.rule_names.size());
    }
    outline.seed = results.seed;
    outline.command_line = results.command_line;
    outline.precision = results.precision;
    return outline;
}

// Data written but still in the page cache survives a killed process, not a
// lost machine: the file is synced before its rename makes it final (and the
// directory after), so a file under its final name is whole even then.
void sync_to_disk(const std::string& path) {
    const int fd = open(path.c_str(), O_RDONLY);
    if (fd < 0) return;  // nothing to sync that we could reach
    const int synced = fsync(fd);
    const int error = errno;
    close(fd);
    if (synced != 0 && error != EINVAL && error != EROFS)  // EINVAL: a file system without fsync
        throw ResultsError("cannot sync '" + path + "' to disk: " + std::strerror(error));
}

}  // namespace

std::size_t FactorValues::size() const {
    return std::visit([](const auto& v) { return v.size(); }, values);
}

std::string factor_variable(const std::string& dotted_key) {
    std::string name;
    for (char c : dotted_key) name += c == '.' ? std::string("__") : std::string(1, c);
    return name;
}

// ---- public -----------------------------------------------------------------

void check_writable(const std::string& path, const std::vector<std::string>& inputs) {
    if (path.empty()) throw ResultsError("no results file name given");
    const fs::path file(path);
    const fs::path directory = file.parent_path().empty() ? fs::path(".") : file.parent_path();
    std::error_code error;
    if (fs::is_directory(file, error))
        throw ResultsError("cannot write results to '" + path + "': it is a directory, give a file name");
    if (!fs::exists(directory, error))
        throw ResultsError("cannot write results to '" + path + "': directory '" + directory.string() +
                           "' does not exist");
    if (!fs::is_directory(directory, error))
        throw ResultsError("cannot write results to '" + path + "': '" + directory.string() + "' is not a directory");
    if (access(directory.c_str(), W_OK | X_OK) != 0)
        throw ResultsError("cannot write results to '" + path + "': directory '" + directory.string() +
                           "' is not writable");
    const fs::file_status status = fs::symlink_status(file, error);
    if (fs::is_symlink(status))
        throw ResultsError("cannot write results to '" + path +
                           "': it is a symbolic link, which would be replaced (name the file it points to)");
    if (fs::exists(status) && !fs::is_regular_file(status))
        throw ResultsError("cannot write results to '" + path + "': it is not a regular file (a device or a FIFO)");
    for (const std::string& input : inputs)
        if (fs::exists(status) && fs::equivalent(file, input, error))
            throw ResultsError("cannot write results to '" + path + "': it is an input of this run ('" + input +
                               "'), which it would destroy");
}

// Written under a temporary name in the same directory (so the rename is
// atomic) and renamed only once closed: a crash or an error never leaves a
// half-written file under the final name (docs/results-format.md, netCDF-4 rule 11).
void write_results(const ResultsOutline& outline, const ScenarioSource& source, const std::string& path) {
    check_writable(path);
    check_outline(outline);
    const std::string temporary = path + ".tmp-" + std::to_string(getpid());
    try {
        hdf5::File file = hdf5::File::create(temporary);
        write_ensemble(file, outline, source);
        file.close();
        sync_to_disk(temporary);
        std::error_code error;
        fs::rename(temporary, path, error);
        if (error) throw ResultsError("cannot rename '" + temporary + "' to '" + path + "': " + error.message());
        sync_to_disk(fs::path(path).parent_path().empty() ? "." : fs::path(path).parent_path().string());
    } catch (const ResultsError& e) {
        // A full disk or a file size limit shows here, often only when the
        // file is closed: "cannot write results to 'x.h5': ...(File too large)".
        std::error_code ignored;
        fs::remove(temporary, ignored);
        throw ResultsError("cannot write results to '" + path + "': " + e.what());
    } catch (...) {
        std::error_code ignored;
        fs::remove(temporary, ignored);
        throw;
    }
}

namespace {

// The in-memory ensemble is one source among others: each scenario's records
// are handed to the streaming writer in turn.
ScenarioSource source_of(const EnsembleResults& results) {
    const std::size_t replicates = std::size_t(results.replicates);
    return [&results, replicates](std::size_t s) {
        const auto first = results.records.begin() + std::ptrdiff_t(s * replicates);
        return ScenarioRecords{results.scenarios[s], {first, first + std::ptrdiff_t(replicates)}};
    };
}

ResultsOutline checked_outline(const EnsembleResults& results, const std::vector<FactorValues>& factors) {
    check_ensemble(results);
    ResultsOutline outline = outline_of(results);
    outline.factors = factors;
    return outline;
}

}  // namespace

void write_results(const EnsembleResults& results, const std::string& path, const std::vector<FactorValues>& factors) {
    check_writable(path);
    write_results(checked_outline(results, factors), source_of(results), path);
}

std::string results_image(const EnsembleResults& results, const std::vector<FactorValues>& factors) {
    const ResultsOutline outline = checked_outline(results, factors);
    check_outline(outline);
    hdf5::File file = hdf5::File::create_in_memory("results (in memory)");
    write_ensemble(file, outline, source_of(results));
    return file.image();
}

}  // namespace codev
