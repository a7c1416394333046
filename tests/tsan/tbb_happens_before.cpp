// ThreadSanitizer support for oneTBB from Debian (issue 5, reliability).
//
// Debian's libtbb is not built with -fsanitize=thread, so TSan cannot see how
// its scheduler hands a task from the thread that spawns it to the thread
// that steals it, nor how a waiting thread learns that the work is done: every
// parallel_for would look like a race between the code before it and its body,
// and between its body and the code after it. This file restores those two
// edges, exactly as TBB guarantees them and no more, so that TSan still
// reports a real race between two bodies or between a body and another thread:
//
// - spawn: everything the spawning thread did before spawn(t) happens before
//   t runs. r1::spawn is interposed (this executable's definition wins over
//   libtbb's): it spawns instead a small wrapper task, released on when made,
//   whose execute() first acquires on itself, then runs t in its place.
// - wait: the last body's completion happens before the waiter returns. The
//   completion is an atomic update of the wait_context's reference count in
//   TBB's headers (instrumented); the library's wait reads it unseen, so after
//   r1::execute_and_wait and r1::wait return, the waiter acquires on it.
//
// Linked into codev_tests only in ThreadSanitizer builds (tests/cpp/CMakeLists.txt);
// TBB's own internals are left to tests/tsan.supp.
#include <dlfcn.h>
#include <oneapi/tbb/detail/_task.h>
#include <sanitizer/tsan_interface.h>

#include <cstdio>
#include <cstdlib>

namespace {

namespace d1 = tbb::detail::d1;

template <class F>
F* real(const char* mangled) {
    void* symbol = dlsym(RTLD_NEXT, mangled);
    if (symbol == nullptr) {
        std::fprintf(stderr, "tbb_happens_before: %s not found in libtbb\n", mangled);
        std::abort();
    }
    return reinterpret_cast<F*>(symbol);
}

// Runs the spawned task after acquiring what its spawner released.
class Handoff final : public d1::task {
  public:
    explicit Handoff(d1::task& target) : target_(target) { __tsan_release(this); }

    d1::task* execute(d1::execution_data& ed) override {
        __tsan_acquire(this);  // before reading anything the spawner wrote
        d1::task* next = target_.execute(ed);
        delete this;  // TBB does not touch a task after execute() returns
        return next;
    }
    d1::task* cancel(d1::execution_data& ed) override {
        __tsan_acquire(this);
        d1::task* next = target_.cancel(ed);
        delete this;
        return next;
    }

  private:
    d1::task& target_;
};

// The reference count the last finishing task releases (d1::wait_context:
// a 64-bit version word, then the count).
void acquire_completion(d1::wait_context& wait_ctx) {
    static_assert(sizeof(d1::wait_context) == 2 * sizeof(std::uint64_t), "unexpected oneTBB wait_context layout");
    __tsan_acquire(reinterpret_cast<char*>(&wait_ctx) + sizeof(std::uint64_t));
}

}  // namespace

namespace tbb::detail::r1 {

void spawn(d1::task& t, d1::task_group_context& ctx) {
    using Spawn = void(d1::task&, d1::task_group_context&);
    static Spawn* const next = real<Spawn>("_ZN3tbb6detail2r15spawnERNS0_2d14taskERNS2_18task_group_contextE");
    next(*new Handoff(t), ctx);
}

void spawn(d1::task& t, d1::task_group_context& ctx, d1::slot_id id) {
    using Spawn = void(d1::task&, d1::task_group_context&, d1::slot_id);
    static Spawn* const next = real<Spawn>("_ZN3tbb6detail2r15spawnERNS0_2d14taskERNS2_18task_group_contextEt");
    next(*new Handoff(t), ctx, id);
}

void execute_and_wait(d1::task& t, d1::task_group_context& t_ctx, d1::wait_context& wait_ctx,
                      d1::task_group_context& w_ctx) {
    using Run = void(d1::task&, d1::task_group_context&, d1::wait_context&, d1::task_group_context&);
    static Run* const next = real<Run>(
        "_ZN3tbb6detail2r116execute_and_waitERNS0_2d14taskERNS2_18task_group_contextERNS2_12wait_contextES6_");
    next(t, t_ctx, wait_ctx, w_ctx);
    acquire_completion(wait_ctx);
}

void wait(d1::wait_context& wait_ctx, d1::task_group_context& ctx) {
    using Wait = void(d1::wait_context&, d1::task_group_context&);
    static Wait* const next = real<Wait>("_ZN3tbb6detail2r14waitERNS0_2d112wait_contextERNS2_18task_group_contextE");
    next(wait_ctx, ctx);
    acquire_completion(wait_ctx);
}

}  // namespace tbb::detail::r1
