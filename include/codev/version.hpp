// The codev version and the git commit it was built from (provenance).
#pragma once

namespace codev {
const char* codev_version();
const char* codev_git_commit();
// Version of the results file layout (docs/results-format.md).
inline constexpr int RESULTS_FORMAT_VERSION = 3;
}  // namespace codev
