// A fresh directory per test case, removed with everything in it: tests of
// files (results, shards) never see each other's leftovers, and a failed
// test leaves nothing in the system's temporary directory.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <iterator>
#include <string>
#include <system_error>

namespace codev::testing {

struct TemporaryDirectory {
    std::filesystem::path path;
    // `prefix` names the test file that made it (codev-PREFIX-PID-N).
    explicit TemporaryDirectory(const std::string& prefix) {
        static int counter = 0;
        path = std::filesystem::temp_directory_path() /
               ("codev-" + prefix + "-" + std::to_string(getpid()) + "-" + std::to_string(counter++));
        std::filesystem::create_directories(path);
    }
    ~TemporaryDirectory() {
        std::error_code ignored;
        std::filesystem::remove_all(path, ignored);
    }
    TemporaryDirectory(const TemporaryDirectory&) = delete;
    TemporaryDirectory& operator=(const TemporaryDirectory&) = delete;
    std::string file(const std::string& name) const { return (path / name).string(); }
    std::size_t entries() const { return std::size_t(std::distance(std::filesystem::directory_iterator(path), {})); }
};

}  // namespace codev::testing
