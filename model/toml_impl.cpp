// The one translation unit that compiles toml++ (built with
// TOML_HEADER_ONLY=0, see CMakeLists.txt): every other file includes
// <toml++/toml.h> for declarations only, so the parser is compiled once.
#define TOML_IMPLEMENTATION
#include <toml++/toml.h>
