// Progress line (progress.hpp).
#include "progress.hpp"

#include <unistd.h>

#include <cstdio>

namespace codev {

ProgressLine::ProgressLine(const RunProgress& progress, bool enabled, Count count)
    : progress_(progress),
      count_(count),
      enabled_(enabled),
      terminal_(isatty(STDERR_FILENO) != 0),
      first_done_(progress.months_done.load()),
      start_(std::chrono::steady_clock::now()) {
    if (enabled_) thread_ = std::thread([this] { loop(); });
}

ProgressLine::~ProgressLine() {
    if (!enabled_) return;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        done_ = true;
    }
    wake_.notify_all();
    thread_.join();
    if (printed_) print(true);
}

void ProgressLine::loop() {
    std::unique_lock<std::mutex> lock(mutex_);
    while (!wake_.wait_for(lock, std::chrono::milliseconds(250), [this] { return done_; })) {
        // Runs shorter than a second print nothing.
        if (std::chrono::steady_clock::now() - start_ > std::chrono::seconds(1)) print(false);
    }
}

void ProgressLine::print(bool final_line) {
    if (!progress_.started) return;  // the totals are set before started
    const double total = double(std::max<std::int64_t>(1, progress_.months_total));
    const std::int64_t done = progress_.months_done.load();
    const double fraction = double(done) / total;
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    // Time left from this line's own pace: a later round starts with months done.
    const double own = double(done - first_done_) / std::max(1.0, total - double(first_done_));
    const double left = own > 0 ? elapsed * (1.0 - own) / own : 0.0;
    const int decile = int(fraction * 10.0);
    if (!terminal_ && !final_line && decile == last_decile_) return;
    last_decile_ = decile;
    if (count_ == Count::jobs) {
        const long long found = progress_.jobs_found, all = progress_.jobs_total;
        std::fprintf(stderr, "%s[codev] %lld of %lld jobs done", terminal_ ? "\r" : "",
                     (long long)progress_.jobs_done.load(), all);
        if (found > 0) std::fprintf(stderr, " (%lld before this run)", found);
        std::fprintf(stderr, ", %.0f s elapsed, about %.0f s left%s", elapsed, left,
                     terminal_ && !final_line ? "   " : "\n");
    } else {
        std::fprintf(stderr, "%s[codev] %5.1f%% of %.0f simulated months, %.0f s elapsed, about %.0f s left%s",
                     terminal_ ? "\r" : "", 100.0 * fraction, total, elapsed, left,
                     terminal_ && !final_line ? "" : "\n");
    }
    std::fflush(stderr);
    printed_ = true;
}

}  // namespace codev
