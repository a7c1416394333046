// The Catch2 runner (Debian's Catch2 2.13, single header).
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
