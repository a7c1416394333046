// A progress line on stderr for runs longer than a second (docs/architecture.md 1).
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "codev/ensemble/ensemble.hpp"
#include "codev/ensemble/shards.hpp"

namespace codev {

// Watches an EnsembleProgress from its own thread while in scope. On a
// terminal the line is redrawn in place; otherwise a line every 10%. For a
// sharded run (a sweep) the line also counts jobs: done, of all, and found
// finished by a resumed run.
class ProgressLine {
  public:
    ProgressLine(const EnsembleProgress& progress, bool enabled);
    ProgressLine(const ShardProgress& progress, bool enabled);
    ~ProgressLine();
    ProgressLine(const ProgressLine&) = delete;
    ProgressLine& operator=(const ProgressLine&) = delete;

  private:
    void loop();
    void print(bool final_line);
    const EnsembleProgress& progress_;
    const ShardProgress* jobs_ = nullptr;
    bool enabled_;
    bool terminal_;
    bool printed_ = false;
    std::int64_t first_done_ = 0;  // months done before this line (earlier rounds of a precision run)
    int last_decile_ = -1;
    std::chrono::steady_clock::time_point start_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool done_ = false;
    std::thread thread_;
};

}  // namespace codev
