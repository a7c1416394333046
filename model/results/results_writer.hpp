// Writing an ensemble's variables into an open results file, scenario by
// scenario (results_writer.cpp). Internal to model/: the public interface is
// include/codev/results_file.hpp, whose write_results adds the temporary
// name, the sync and the rename.
#pragma once

#include <string>

#include "codev/results/results_file.hpp"
#include "hdf5_file.hpp"

namespace codev {

// Throws ResultsError naming `job` unless `record` is sized for `months`
// months and `communes` communes (results_file.cpp).
void check_record(const JobRecord& record, int months, std::size_t communes, const std::string& job);

// Throws ResultsError unless scenario s's records fit the outline: its name,
// its replicate count, one horizon, within the file's months and communes.
void check_scenario(const ResultsOutline& outline, std::size_t s, const ScenarioRecords& scenario);

// Creates every variable of `outline` in `file`, writes each scenario from
// `source` in order (check_scenario first), and marks the file
// complete. Every dataset it opened is closed when it returns: HDF5 closes
// (and flushes) a file only once its last object is closed.
void write_ensemble(hdf5::File& file, const ResultsOutline& outline, const ScenarioSource& source);

}  // namespace codev
