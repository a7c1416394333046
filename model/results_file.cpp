// Writing the results file: format version 1 of docs/results-format.md.
//
// The layout follows notes/hdf5-as-netcdf.md so that xarray (h5netcdf and
// netcdf4 engines) and ncdump read it without help: every axis has a
// coordinate variable that is its own dimension scale, text attributes are
// fixed-length, creation order is tracked. Reading is in results_file_read.cpp.
#include "codev/results_file.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <map>
#include <numeric>

#include "codev/version.hpp"
#include "hdf5_file.hpp"
#include "results_layout.hpp"

namespace codev {

namespace {

namespace fs = std::filesystem;
using hdf5::Dataset;

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
        record.yearly_people_served.size() != yearly || record.yearly_projects_operating.size() != yearly)
        fail("series sizes do not match " + std::to_string(months) + " months (JobRecord::resize not called?)");
}

// Record sizes are checked before anything is written so that a mistake in
// the caller is reported as such, not as an out-of-bounds read.
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

// ---- calendar ---------------------------------------------------------------

// The start date shared by every scenario, or nothing when they differ, one
// has no calendar, or the text is not YYYY-MM-DD (the loader validates it; a
// bad date must not cost the results of a finished run).
std::optional<std::chrono::year_month_day> common_start_date(const EnsembleResults& results) {
    const std::string& text = results.scenarios.front().start_date;
    for (const ScenarioInfo& info : results.scenarios)
        if (info.start_date != text) return std::nullopt;
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

// Writes one ensemble into an open file. Values go in one scenario block at a
// time, so memory holds one scenario's copy of a variable, never the whole.
class Writer {
  public:
    Writer(hdf5::File& file, const EnsembleResults& results)
        : file_(file), results_(results), sizes_(ResultsSizes::of(results)), start_(common_start_date(results)) {}

    void write() {
        write_provenance();
        write_coordinates();
        write_scenarios();
        write_monthly();
        write_yearly();
        file_.set_attribute("complete", std::int32_t{1});  // last: marks the file whole
    }

  private:
    hdf5::File& file_;
    const EnsembleResults& results_;
    ResultsSizes sizes_;
    std::optional<std::chrono::year_month_day> start_;
    std::map<std::string, Dataset> scales_;

    const JobRecord& record(std::size_t s, std::size_t r) const { return results_.records[s * sizes_.replicate + r]; }

    void write_provenance() {
        file_.set_attribute("filetype", RESULTS_FILETYPE);
        file_.set_attribute("format_version", std::int32_t{RESULTS_FORMAT_VERSION});
        file_.set_attribute("codev_version", codev_version());
        file_.set_attribute("git_commit", codev_git_commit());
        file_.set_attribute("created", now_utc());
        file_.set_attribute("seed", std::uint64_t{results_.seed});
        file_.set_attribute("replicates", std::int32_t(results_.replicates));
        file_.set_attribute("command_line", results_.command_line);
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
        std::vector<std::string> names, sectors(SECTOR_NAMES.begin(), SECTOR_NAMES.end());
        for (const ScenarioInfo& info : results_.scenarios) names.push_back(info.name);
        label_coordinate("scenario", names, "scenario name (file stem)");
        coordinate("replicate", index_values(sizes_.replicate), "1", "replicate number");
        coordinate("month", index_values(sizes_.month), "1", "model month, 0 is the first simulated month");
        label_coordinate("sector", sectors, "project sector");
        coordinate("year", index_values(sizes_.year), "1", "model year, year y is months 12y to 12y+11");
        coordinate("commune", index_values(sizes_.commune), "1", "commune index within the scenario");
        if (start_) write_time();
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

    std::vector<hsize_t> shape_of(const std::vector<std::string>& dimensions) const {
        std::vector<hsize_t> shape;
        for (const std::string& dimension : dimensions) shape.push_back(sizes_.length(dimension));
        return shape;
    }

    // Every axis gets its scale: netCDF-C and h5netcdf need all or none
    // (notes/hdf5-as-netcdf.md 1).
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

    template <class T>
    void numbers(const std::string& name, const std::vector<std::string>& dimensions, const std::vector<T>& values,
                 std::optional<T> fill, const char* units, const char* long_name) {
        Dataset dataset = variable<T>(name, dimensions, fill);
        dataset.write(values);
        describe(dataset, units, long_name);
    }

    void strings(const std::string& name, const std::vector<std::string>& dimensions,
                 const std::vector<std::string>& values, const char* long_name) {
        Dataset dataset = file_.create_string_dataset(name, shape_of(dimensions));
        attach_scales(dataset, dimensions);
        dataset.write_strings(values);
        describe(dataset, "1", long_name);
    }

    void write_scenarios();
    void write_monthly();
    void write_yearly();
    template <class T, class Value>
    std::vector<T> monthly_block(std::size_t s, std::size_t inner, T fill, Value value) const;
    template <class T, class Value>
    void monthly_variable(const std::string& name, const SeriesInfo& info, bool by_sector, T fill, Value value);
    std::vector<std::int64_t> yearly_block(std::size_t s, std::vector<std::int64_t> JobRecord::*series) const;
};

// Per-scenario description: names, TOML, calendar, sizes and communes.
void Writer::write_scenarios() {
    const std::size_t cells = sizes_.scenario * sizes_.commune;
    std::vector<std::string> toml, start_dates, commune_names(cells);
    std::vector<std::int32_t> months, communes, region(cells, FILL_INT32);
    std::vector<std::int64_t> population(cells, FILL_INT64);
    for (std::size_t s = 0; s < sizes_.scenario; ++s) {
        const ScenarioInfo& info = results_.scenarios[s];
        toml.push_back(info.toml);
        start_dates.push_back(info.start_date);
        months.push_back(record(s, 0).months);
        communes.push_back(std::int32_t(info.commune_population.size()));
        for (std::size_t c = 0; c < info.commune_population.size(); ++c) {
            population[s * sizes_.commune + c] = info.commune_population[c];
            region[s * sizes_.commune + c] = info.commune_region[c];
            if (!info.commune_names.empty()) commune_names[s * sizes_.commune + c] = info.commune_names[c];
        }
    }
    strings("scenario_toml", {"scenario"}, toml, "full resolved scenario TOML text");
    strings("scenario_start_date", {"scenario"}, start_dates, "calendar date of month 0 (YYYY-MM-DD), empty if none");
    numbers<std::int32_t>("months_in_scenario", {"scenario"}, months, std::nullopt, "month",
                          "months simulated; later months hold fill values");
    numbers<std::int32_t>("communes_in_scenario", {"scenario"}, communes, std::nullopt, "1",
                          "communes in the scenario; later communes hold fill values");
    numbers<std::int64_t>("commune_population", {"scenario", "commune"}, population, FILL_INT64, "1",
                          "population of the commune");
    numbers<std::int32_t>("commune_region", {"scenario", "commune"}, region, FILL_INT32, "1",
                          "index of the commune's region");
    strings("commune_name", {"scenario", "commune"}, commune_names, "commune name, empty if none");
}

// One scenario's block [replicate, month, inner] of a monthly variable; months
// past the scenario's horizon hold `fill`.
template <class T, class Value>
std::vector<T> Writer::monthly_block(std::size_t s, std::size_t inner, T fill, Value value) const {
    std::vector<T> block(sizes_.replicate * sizes_.month * inner, fill);
    for (std::size_t r = 0; r < sizes_.replicate; ++r) {
        const JobRecord& job = record(s, r);
        for (int m = 0; m < job.months; ++m)
            for (std::size_t k = 0; k < inner; ++k)
                block[(r * sizes_.month + std::size_t(m)) * inner + k] = value(job, m, int(k));
    }
    return block;
}

template <class T, class Value>
void Writer::monthly_variable(const std::string& name, const SeriesInfo& info, bool by_sector, T fill, Value value) {
    std::vector<std::string> dimensions = {"scenario", "replicate", "month"};
    if (by_sector) dimensions.push_back("sector");
    Dataset dataset = variable<T>(name, dimensions, fill);
    describe(dataset, info.units, info.long_name, info.is_flow ? "flow" : "stock");
    // CF auxiliary coordinate: xarray shows the dates beside the month index.
    if (start_) dataset.set_attribute("coordinates", "time");
    for (std::size_t s = 0; s < sizes_.scenario; ++s)
        dataset.write_block(s, monthly_block(s, by_sector ? sizes_.sector : 1, fill, value));
}

// MODEL.md section 8: every monthly observable.
void Writer::write_monthly() {
    for (int i = 0; i < SERIES_COUNT; ++i)
        monthly_variable(MONTHLY_SERIES[i].name, MONTHLY_SERIES[i], false, FILL_INT64,
                         [i](const JobRecord& job, int m, int) { return job.at(m, Series(i)); });
    for (int i = 0; i < SECTOR_SERIES_COUNT; ++i)
        monthly_variable(SECTOR_MONTHLY_SERIES[i].name, SECTOR_MONTHLY_SERIES[i], true, FILL_INT64,
                         [i](const JobRecord& job, int m, int k) { return job.at(m, SectorSeries(i), k); });
    monthly_variable("mean_trust", {"", "1", "mean trust of association members (end of month)", false}, false,
                     FILL_FLOAT64, [](const JobRecord& job, int m, int) { return job.mean_trust[std::size_t(m)]; });
    monthly_variable("idea_to_completion_months",
                     {"", "month", "sum over projects completed in the month of months from idea to completion", true},
                     false, FILL_INT64,
                     [](const JobRecord& job, int m, int) { return job.idea_to_completion_months[std::size_t(m)]; });
    monthly_variable("completed_value", {"", "XOF", "total cost of the projects completed in the month", true}, false,
                     FILL_INT64, [](const JobRecord& job, int m, int) { return job.completed_value[std::size_t(m)]; });
}

// Yearly stocks per commune and sector [replicate, year, commune, sector] for
// one scenario; years and communes the scenario does not have hold fill values.
std::vector<std::int64_t> Writer::yearly_block(std::size_t s, std::vector<std::int64_t> JobRecord::*series) const {
    const std::size_t per_year = sizes_.commune * sizes_.sector;
    std::vector<std::int64_t> block(sizes_.replicate * sizes_.year * per_year, FILL_INT64);
    for (std::size_t r = 0; r < sizes_.replicate; ++r) {
        const JobRecord& job = record(s, r);
        const std::vector<std::int64_t>& values = job.*series;
        const std::size_t row = std::size_t(job.communes) * sizes_.sector;  // one year of the record
        for (std::size_t y = 0; y < std::size_t(job.years); ++y)
            std::copy_n(values.begin() + std::ptrdiff_t(y * row), row,
                        block.begin() + std::ptrdiff_t((r * sizes_.year + y) * per_year));
    }
    return block;
}

void Writer::write_yearly() {
    const std::vector<std::string> dimensions = {"scenario", "replicate", "year", "commune", "sector"};
    const auto write = [&](const char* name, std::vector<std::int64_t> JobRecord::*series, const char* long_name) {
        Dataset dataset = variable<std::int64_t>(name, dimensions, FILL_INT64);
        describe(dataset, "1", long_name, "stock");
        for (std::size_t s = 0; s < sizes_.scenario; ++s) dataset.write_block(s, yearly_block(s, series));
    };
    write("people_served_by_commune", &JobRecord::yearly_people_served,
          "people served by working projects, by commune (end of year)");
    write("projects_operating_by_commune", &JobRecord::yearly_projects_operating,
          "completed projects working, by commune (end of year)");
}

}  // namespace

// ---- public -----------------------------------------------------------------

void check_writable(const std::string& path) {
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
}

// Written under a temporary name in the same directory (so the rename is
// atomic) and renamed only once closed: a crash or an error never leaves a
// half-written file under the final name (notes/hdf5-as-netcdf.md 11).
void write_results(const EnsembleResults& results, const std::string& path) {
    check_writable(path);
    check_ensemble(results);
    const std::string temporary = path + ".tmp-" + std::to_string(getpid());
    try {
        hdf5::File file = hdf5::File::create(temporary);
        Writer(file, results).write();
        file.close();
        std::error_code error;
        fs::rename(temporary, path, error);
        if (error) throw ResultsError("cannot rename '" + temporary + "' to '" + path + "': " + error.message());
    } catch (...) {
        std::error_code ignored;
        fs::remove(temporary, ignored);
        throw;
    }
}

}  // namespace codev
