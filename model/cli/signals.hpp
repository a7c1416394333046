// SIGINT and SIGTERM in the `codev` command: they ask a running ensemble to
// stop within a month's step; the command then exits 130 or 143.
#pragma once

#include <atomic>

namespace codev::cli {

// From now on SIGINT and SIGTERM set `stop` (which must outlive the run).
void stop_on_signals(std::atomic<bool>& stop);

// The signal caught, or 0.
int caught_signal();

}  // namespace codev::cli
