// libFuzzer target for the communes CSV reader (issue 20): any bytes as the
// file named by world.communes_csv must load or be refused with one
// ScenarioError. The bytes are written to a file of their own (the reader
// takes only regular files), named by a scenario that is otherwise valid.
// Built by tests/fuzz/CMakeLists.txt (preset `fuzz`), run by scripts/ci-extra.sh.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <string>

#include "codev/scenario/scenario.hpp"

namespace {

// One file per process, rewritten for each input, removed at exit.
struct InputFile {
    std::string path = "/tmp/codev-csv-fuzz-" + std::to_string(getpid()) + ".csv";
    ~InputFile() { unlink(path.c_str()); }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const InputFile file;
    const std::string& path = file.path;
    {
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(data), std::streamsize(size));
    }
    const std::string text = "[world]\ncommunes_csv = \"" + path + "\"\n[corridors.france]\n";
    codev::Scenario scenario;
    try {
        scenario = codev::parse_scenario(text, "fuzz", "<fuzz>", "/tmp");
    } catch (const codev::ScenarioError&) {
        return 0;  // expected: a rejected file
    }
    // Accepted communes are written inline; that text must load to the same.
    const codev::Scenario again = codev::parse_scenario(scenario.toml, "fuzz", "<fuzz resolved>", "/tmp");
    if (again.toml != scenario.toml) __builtin_trap();
    return 0;
}
