// The codev version and the git commit it was built from (provenance).
#pragma once

namespace codev {
const char* codev_version();
const char* codev_git_commit();
// Version of the results file layout (docs/results-format.md).
inline constexpr int RESULTS_FORMAT_VERSION = 4;
// The oldest format this build reads: 3 lacks only where scenarios forked.
inline constexpr int RESULTS_FORMAT_OLDEST_READ = 3;
}  // namespace codev
