// Checks that the ThreadSanitizer set-up sees races (scripts/ci-extra.sh):
// run plainly, a parallel_for with disjoint writes, data prepared before it
// and read after it, must give no report; run with "racy", its bodies also
// increment one shared counter, and TSan must report that race. Built only
// in ThreadSanitizer builds, with tests/tsan/tbb_happens_before.cpp.
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

#include <cstdio>
#include <string_view>
#include <vector>

int main(int argc, char** argv) {
    const bool racy = argc > 1 && std::string_view(argv[1]) == "racy";
    long shared_count = 0;
    double total = 0;
    tbb::task_arena arena(2);
    for (int round = 0; round < 10; ++round) {
        std::vector<double> in(50000), out(in.size());
        for (std::size_t i = 0; i < in.size(); ++i) in[i] = double(i + round);
        arena.execute([&] {
            tbb::parallel_for(std::size_t(0), in.size(), [&](std::size_t i) {
                out[i] = 2 * in[i];
                if (racy && i % 500 == 0) ++shared_count;  // the race TSan must report
            });
        });
        for (double v : out) total += v;
    }
    std::printf("race canary (%s): total %.0f, count %ld\n", racy ? "racy" : "clean", total, shared_count);
    return 0;
}
