// Sizing of the structure-of-arrays world (world.hpp).
#include "codev/world.hpp"

#include <sys/mman.h>

#include <cstdint>

namespace codev {
namespace {

// Asks the kernel for transparent huge pages (2 MiB) under the part of a
// fresh, not yet touched allocation that covers whole huge pages. The migrant
// passes stream every per-slot array each month; with 4 KiB pages a national
// world spans some 20,000 pages, and the page walks of the TLB misses cost
// 10-20 % of the economy pass on this project's machine (docs/performance.md),
// where THP is enabled only on request ("madvise"). Advice only: where the
// kernel has no THP, or the array is smaller than a huge page, nothing
// changes, and results never depend on it.
void advise_huge_pages(void* data, std::size_t bytes) {
    constexpr std::uintptr_t HUGE_PAGE = std::uintptr_t(2) << 20;
    const auto begin = (reinterpret_cast<std::uintptr_t>(data) + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
    const auto end = (reinterpret_cast<std::uintptr_t>(data) + bytes) & ~(HUGE_PAGE - 1);
#ifdef MADV_HUGEPAGE
    if (end > begin) (void)::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
#endif
}

// v = n copies of value, in a fresh allocation advised before the first
// write (the write then faults in huge pages directly).
template <typename T>
void fill_fresh(std::vector<T>& v, std::size_t n, T value) {
    std::vector<T> fresh;
    fresh.reserve(n);
    advise_huge_pages(fresh.data(), n * sizeof(T));
    fresh.assign(n, value);
    v.swap(fresh);
}

}  // namespace

void Migrants::resize(std::size_t n) {
    fill_fresh<std::uint64_t>(id, n, 0);
    fill_fresh<float>(base_income_xof, n, 0.0f);
    fill_fresh<float>(propensity, n, 0.0f);
    fill_fresh<float>(trust, n, 0.0f);
    fill_fresh<std::int32_t>(association, n, NO_ASSOCIATION);
    fill_fresh<std::uint8_t>(corridor, n, 0);
    fill_fresh<std::uint8_t>(flags, n, 0);
}

void Associations::resize(std::size_t n) {
    commune.assign(n, 0);
    treasury_xof.assign(n, 0);
    dues_xof.assign(n, 0);
    registered.assign(n, 0);
    created_month.assign(n, 0);
    status.assign(n, Status::unfounded);
    status_since.assign(n, 0);
    last_active_month.assign(n, 0);
    stage.assign(n, Stage::idle);
    project.assign(n, -1);
    under_way.assign(n, 0);
    stalled.assign(n, 0);
    members.assign(n, 0);
    raising_multiplier.assign(n, 0.0f);
    treasury_before.assign(n, 0);
    inflow_xof.assign(n, 0);
    completed_now.assign(n, 0);
    abandoned_now.assign(n, 0);
    completed_total.assign(n, 0);
    failed_total.assign(n, 0);
}

}  // namespace codev
