// The results file: an ensemble's series written as HDF5 laid out netCDF-4
// style, so `xarray.open_dataset(path, engine="h5netcdf")` opens it directly.
// The layout (format version RESULTS_FORMAT_VERSION) is docs/results-format.md.
#pragma once

#include <stdexcept>
#include <string>

#include "codev/results.hpp"

namespace codev {

// Any failure to write, read or recognise a results file. The message names
// the file and says what is wrong in one line.
class ResultsError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// Throws ResultsError unless a results file could be created at `path`: its
// directory exists and is writable, and `path` is not a directory. Call it
// before a long run so a typo in --out fails in a second, not after an hour.
void check_writable(const std::string& path);

// Writes `results` to `path`. The file is written under `path + ".tmp-<pid>"`
// in the same directory and renamed when complete, so `path` is either the
// whole new file or untouched; on failure the temporary file is removed.
// Throws ResultsError (inconsistent record sizes, unwritable directory, HDF5
// failure).
void write_results(const EnsembleResults& results, const std::string& path);

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
