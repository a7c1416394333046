// libFuzzer target for the scenario loader and validator (issue 5).
//
// Any byte string is a possible scenario file: the loader must either accept
// it or reject it with one ScenarioError. Anything else is a finding: a crash,
// a sanitizer report (ASan, UBSan), or any other exception escaping, which
// ends in std::terminate and so also counts as a crash.
//
// `extends` and `world.communes_csv` resolve against tests/data, so the
// fuzzer can reach the extends chain, the CSV reader and the merge of the
// real test scenarios. Built by tests/fuzz/CMakeLists.txt (CMake preset
// `fuzz`), run by scripts/ci-extra.sh.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "codev/scenario/scenario.hpp"

#ifndef CODEV_SOURCE_DIR
#error "CODEV_SOURCE_DIR must name the source tree (set by tests/fuzz/CMakeLists.txt)"
#endif

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const std::string base_dir = std::string(CODEV_SOURCE_DIR) + "/tests/data";
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    codev::Scenario scenario;
    try {
        scenario = codev::parse_scenario(text, "fuzz", "<fuzz>", base_dir);
    } catch (const codev::ScenarioError&) {
        return 0;  // expected: a rejected input
    }
    // An accepted scenario writes itself back as text that loads to the same
    // parameters (scenario.hpp: params_to_toml round-trips), so here even a
    // ScenarioError escaping is a finding.
    const codev::Scenario again = codev::parse_scenario(scenario.toml, "fuzz", "<fuzz resolved>", base_dir);
    if (again.toml != scenario.toml) __builtin_trap();
    return 0;
}
