// Scenario: a parsed, validated, immutable description of one policy and
// world (docs/architecture.md 4.2: description apart from simulation).
//
// Loading reads a TOML file (toml++), follows its `extends` chain, checks
// every key against the parameter schema and every value against its range,
// and produces Params. Any problem throws ScenarioError whose message is one
// line: "FILE:LINE: KEY: what is wrong (what is allowed)".
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "codev/params.hpp"

namespace codev {

class ScenarioError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

struct Scenario {
    std::string name;  // file stem, or the name given for in-memory scenarios
    std::string path;  // file it was loaded from ("" when built in memory)
    std::string toml;  // the full resolved scenario: every parameter, extends applied
    Params params;
    // Every file read to make it: the file, its extends chain, its communes CSV
    // (an output may not overwrite one of them).
    std::vector<std::string> sources;
};

// Loads and validates a scenario file. Relative `extends` and CSV paths are
// resolved against the directory of the file that names them. The file's stem
// is the scenario's name: letters, digits, '_' and '-' only.
Scenario load_scenario(const std::string& path);

// Parses and validates scenario text. `origin` names the text in messages
// (a file name or "<string>"); `base_dir` resolves relative paths.
Scenario parse_scenario(std::string_view text, const std::string& name, const std::string& origin,
                        const std::string& base_dir);

// The full resolved TOML of the params (every parameter, no extends):
// parse_scenario(params_to_toml(p), ...) gives back params equal to p.
std::string params_to_toml(const Params& params);

// Returns a scenario with one dotted key (e.g. "programmes.codev.share")
// set from a TOML value text (e.g. "0.5"), validated as if written in the file.
// An inline table merges into the table the key names (as `extends` merges).
Scenario with_override(const Scenario& scenario, const std::string& dotted_key, const std::string& toml_value);

// One parameter as the schema documents it: the table it sits in ("" for the
// top level; "programmes.*" where a name goes), its key, unit, allowed values
// and one line of doc, as `codev validate` and the resolved TOML's comments
// state them. Forms (the workbench, docs/app.md) are built from this list.
struct ParameterDoc {
    std::string table;
    std::string key;
    std::string unit;
    std::string doc;
    std::string allowed;
    std::string default_value;  // TOML text of the default ("" when the key has none)
};

// Every parameter of the schema, in the order of a resolved scenario file.
std::vector<ParameterDoc> parameter_docs();

}  // namespace codev
