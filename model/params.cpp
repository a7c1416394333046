// Params behaviour kept to the one thing a plain struct cannot do inline:
// evaluating a time path (params.hpp).
#include "codev/params.hpp"

#include <algorithm>
#include <stdexcept>

namespace codev {

// Piecewise-linear between points, constant before the first and after the
// last (docs/model.md 6: wage and fee paths). Months are strictly increasing, as
// the scenario loader checks, so the segment is found by binary search.
double Path::at(int month) const {
    if (points.empty()) throw std::logic_error("Path::at on an empty path (check empty() for optional paths)");
    if (month <= points.front().first) return points.front().second;
    if (month >= points.back().first) return points.back().second;
    auto after = std::upper_bound(points.begin(), points.end(), month,
                                  [](int m, const std::pair<int, double>& p) { return m < p.first; });
    auto before = after - 1;
    const double t = static_cast<double>(month - before->first) / static_cast<double>(after->first - before->first);
    return before->second + t * (after->second - before->second);
}

}  // namespace codev
