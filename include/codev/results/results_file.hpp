// The results file: an ensemble's series written as HDF5 laid out netCDF-4
// style, so `xarray.open_dataset(path, engine="h5netcdf")` opens it directly.
// The layout (format version RESULTS_FORMAT_VERSION) is docs/results-format.md.
#pragma once

#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

#include "codev/records.hpp"

namespace codev {

// Any failure to write, read or recognise a results file. The message names
// the file and says what is wrong in one line.
class ResultsError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// Throws ResultsError unless a results file could be created at `path`: its
// directory exists and is writable; `path` is new or a regular file (not a
// directory, a device, a FIFO or a symbolic link, which the final rename would
// replace); and it is none of `inputs` (the scenario files, their extends
// chains and CSVs), which it would destroy. Call it before a long run so a
// typo in --out fails in a second, not after an hour.
void check_writable(const std::string& path, const std::vector<std::string>& inputs = {});

// The values of one sweep factor, one per scenario: written as a coordinate
// variable along `scenario` named after the dotted key with '.' -> "__"
// (docs/results-format.md, "Sweep factors").
struct FactorValues {
    std::string key;        // dotted key, e.g. "programmes.codev.share"
    std::string units;      // of the parameter ("1" when it has none)
    std::string long_name;  // what the parameter is
    std::variant<std::vector<double>, std::vector<std::int64_t>, std::vector<std::string>> values;

    std::size_t size() const;
};

// The variable name of a factor: "programmes.codev.share" -> "programmes__codev__share".
std::string factor_variable(const std::string& dotted_key);

// Writes `results` to `path`. The file is written under `path + ".tmp-<pid>"`
// in the same directory and renamed when complete, so `path` is either the
// whole new file or untouched; on failure the temporary file is removed.
// Throws ResultsError (inconsistent record sizes, unwritable directory, HDF5
// failure).
// `factors`: a sweep's factor values, one per scenario.
void write_results(const EnsembleResults& results, const std::string& path,
                   const std::vector<FactorValues>& factors = {});

// The bytes of the results file write_results would write, made in memory
// (HDF5's core driver) and never on disk: codev.run and codev.sweep without
// `out` hand them to xarray as they are (one layout, no temporary file).
std::string results_image(const EnsembleResults& results, const std::vector<FactorValues>& factors = {});

// Everything in a results file but the scenarios' own data: enough to create
// every variable before the first job has finished.
struct ResultsOutline {
    std::vector<std::string> scenarios;    // names, the `scenario` coordinate
    std::vector<std::string> start_dates;  // one per scenario ("" if none): decides `time`
    int replicates = 0;                    // replicates per scenario held in this file
    int first_replicate = 0;               // the `replicate` coordinate starts here (shards)
    int months = 0;                        // the longest horizon
    std::size_t communes = 0;              // the most communes of any scenario
    std::size_t programmes = 0;            // the most programmes of any scenario
    std::size_t rules = 0;                 // the most rules of any scenario
    std::uint64_t seed = 0;
    std::string command_line;
    std::vector<FactorValues> factors;  // sweep factors, empty for a plain run
    PrecisionOutcome precision;         // empty unless the run was precision-driven
    // A shard's identity: the hash of its ensemble's plan and its block number
    // (attributes shard_plan_hash, shard_block; "" and -1 in a results file).
    std::string shard_plan_hash;
    long shard_block = -1;
};

// One scenario's share of a results file: its description and its
// `replicates` job records, in replicate order.
struct ScenarioRecords {
    ScenarioInfo info;
    std::vector<JobRecord> records;
};

// Gives scenario s (0 .. outline.scenarios.size() - 1); called once per
// scenario, in order.
using ScenarioSource = std::function<ScenarioRecords(std::size_t scenario)>;

// Writes a results file scenario by scenario: every variable is created from
// `outline`, then each scenario's records are fetched from `source` and
// written, so memory holds one scenario's records, never the ensemble's.
// Same file and guarantees as write_results (which is built on it). Throws
// ResultsError for records that do not match the outline (name, replicate
// count, horizon, communes) and for any write failure.
void write_results(const ResultsOutline& outline, const ScenarioSource& source, const std::string& path);

// Reads what write_results(outline, ...) was given as outline: names, start
// dates, sizes, provenance and sweep factors, without the records. Throws
// ResultsError as read_results does.
ResultsOutline read_outline(const std::string& path);

// Reads a file written by write_results back into an EnsembleResults equal to
// the one written (shorter scenarios come back with their own month and
// commune counts). Throws ResultsError for a missing file, a file that is not
// HDF5, not a codev results file, not closed properly, or of a newer format.
EnsembleResults read_results(const std::string& path);

// A human-readable multi-line summary for `codev info FILE.h5`: provenance,
// scenarios (name, months, communes) and variables with their dimensions.
// Throws ResultsError as read_results does.
std::string describe_results(const std::string& path);

}  // namespace codev
