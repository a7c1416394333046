// A progress line on stderr for runs longer than a second (docs/architecture.md 1).
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "codev/ensemble/runner.hpp"

namespace codev {

// How a run is counted: in simulated months, or (a sharded run, a sweep) in
// jobs: done, of all, and found finished by a resumed run.
enum class Count { months, jobs };

// Watches a RunProgress from its own thread while in scope. On a terminal
// the line is redrawn in place; otherwise a line every 10%.
class ProgressLine {
  public:
    ProgressLine(const RunProgress& progress, bool enabled, Count count = Count::months);
    ~ProgressLine();
    ProgressLine(const ProgressLine&) = delete;
    ProgressLine& operator=(const ProgressLine&) = delete;

  private:
    void loop();
    void print(bool final_line);
    const RunProgress& progress_;
    Count count_;
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
