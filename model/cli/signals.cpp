// Signals (signals.hpp): the handler only stores, as a handler may.
#include "signals.hpp"

#include <csignal>

namespace codev::cli {

namespace {

std::atomic<bool>* g_stop = nullptr;
volatile std::sig_atomic_t g_signal = 0;

extern "C" void on_signal(int signal) {
    g_signal = signal;
    if (g_stop) g_stop->store(true);
}

}  // namespace

void stop_on_signals(std::atomic<bool>& stop) {
    g_stop = &stop;
    std::signal(SIGINT, on_signal);
    std::signal(SIGTERM, on_signal);
}

int caught_signal() { return int(g_signal); }

}  // namespace codev::cli
