// The layout of the results file shared by its writer (results_file.cpp) and
// reader (results_file_read.cpp): names, fill values, sizes and chunking of
// the format version of version.hpp (docs/results-format.md). Internal to model/.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <limits>
#include <numeric>
#include <string>
#include <vector>

#include "codev/records.hpp"
#include "hdf5_file.hpp"

namespace codev {

inline constexpr const char* RESULTS_FILETYPE = "codev-results";

// netCDF's default fill values (NC_FILL_INT64, NC_FILL_INT): never a count or
// an amount of money, and known to every netCDF tool. Float series use NaN,
// which xarray masks whatever the attribute says.
inline constexpr std::int64_t FILL_INT64 = -9223372036854775806LL;
inline constexpr std::int32_t FILL_INT32 = -2147483647;
inline constexpr double FILL_FLOAT64 = std::numeric_limits<double>::quiet_NaN();

// Deflate level 4 with shuffle: readable everywhere without plugins
// (docs/results-format.md, netCDF-4 rule 9); the file is written once and read many times.
inline constexpr unsigned DEFLATE_LEVEL = 4;
inline constexpr std::size_t CHUNK_TARGET_BYTES = std::size_t{1} << 20;

// Lengths of the file's dimensions.
struct ResultsSizes {
    std::size_t scenario = 0, replicate = 0, month = 0, sector = SECTOR_COUNT, year = 0, commune = 0;
    std::size_t programme = 0;  // the most programmes of any scenario
    std::size_t rule = 0;       // the most rules of any scenario; no `rule` dimension when 0
    std::size_t trigger = 0;    // precision triggers; no `trigger` dimension when 0

    static ResultsSizes of(const ResultsOutline& outline);
    std::size_t length(const std::string& dimension) const;
};

inline ResultsSizes ResultsSizes::of(const ResultsOutline& outline) {
    ResultsSizes sizes;
    sizes.scenario = outline.scenarios.size();
    sizes.replicate = std::size_t(std::max(outline.replicates, 0));
    sizes.month = std::size_t(std::max(outline.months, 0));
    sizes.year = (sizes.month + 11) / 12;
    sizes.commune = outline.communes;
    sizes.programme = outline.programmes;
    sizes.rule = outline.rules;
    sizes.trigger = outline.precision.indicators.size();
    return sizes;
}

inline std::size_t ResultsSizes::length(const std::string& dimension) const {
    if (dimension == "scenario") return scenario;
    if (dimension == "replicate") return replicate;
    if (dimension == "month") return month;
    if (dimension == "sector") return sector;
    if (dimension == "year") return year;
    if (dimension == "commune") return commune;
    if (dimension == "programme") return programme;
    if (dimension == "rule") return rule;
    if (dimension == "trigger") return trigger;
    throw ResultsError("unknown dimension '" + dimension + "'");
}

// Chunks of one scenario and as many whole replicates as fit in about 1 MiB,
// so reading one variable over all months for one scenario touches few
// chunks; later axes are halved only when one replicate alone is larger.
// Empty or one-dimensional shapes are stored contiguous, uncompressed.
inline hdf5::Layout chunked_layout(const std::vector<hsize_t>& shape, std::size_t element_bytes) {
    const bool empty = std::find(shape.begin(), shape.end(), hsize_t{0}) != shape.end();
    if (shape.size() < 2 || empty) return {};
    std::vector<hsize_t> chunk = shape;
    chunk[0] = 1;
    const auto bytes = [&] {
        return std::accumulate(chunk.begin(), chunk.end(), hsize_t(element_bytes), std::multiplies<>());
    };
    for (std::size_t axis = 1; axis < chunk.size(); ++axis)
        while (bytes() > CHUNK_TARGET_BYTES && chunk[axis] > 1) chunk[axis] = (chunk[axis] + 1) / 2;
    return {chunk, DEFLATE_LEVEL};
}

// 0, 1, ..., count - 1: the values of an index coordinate.
inline std::vector<std::int32_t> index_values(std::size_t count) {
    std::vector<std::int32_t> values(count);
    std::iota(values.begin(), values.end(), 0);
    return values;
}

}  // namespace codev
