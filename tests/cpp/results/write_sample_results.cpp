// codev_write_sample PATH: writes the synthetic ensemble of sample_results.hpp
// to PATH, for tests/python/test_results_format.py to check with xarray,
// netCDF4 and ncdump. Pass --different-start-dates to write it without `time`.
#include <cstring>
#include <iostream>

#include "codev/results/results_file.hpp"
#include "sample_results.hpp"

int main(int argc, char** argv) {
    const bool different_dates = argc == 3 && std::strcmp(argv[2], "--different-start-dates") == 0;
    if (argc < 2 || argc > 3 || (argc == 3 && !different_dates)) {
        std::cerr << "usage: codev_write_sample PATH [--different-start-dates]\n";
        return 2;
    }
    codev::EnsembleResults results = codev::testing::sample_ensemble();
    if (different_dates) results.scenarios[1].start_date = "";
    try {
        codev::write_results(results, argv[1]);
    } catch (const codev::ResultsError& error) {
        std::cerr << "codev_write_sample: " << error.what() << '\n';
        return 1;
    }
    return 0;
}
