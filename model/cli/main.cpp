// The `codev` command: thin; parses arguments and calls the library
// (DESIGN.md, CLI). Every error is one line on stderr and exit status 2;
// SIGINT / SIGTERM stop a run within a month's step and exit 130 / 143
// without writing a results file.
#include <CLI/CLI.hpp>

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "codev/benchmark.hpp"
#include "codev/ensemble.hpp"
#include "codev/invariants.hpp"
#include "codev/money.hpp"
#include "codev/results_file.hpp"
#include "codev/scenario.hpp"
#include "codev/summary.hpp"
#include "progress.hpp"

namespace {

std::atomic<bool>* g_stop = nullptr;
volatile std::sig_atomic_t g_signal = 0;

extern "C" void on_signal(int signal) {
    g_signal = signal;
    if (g_stop) g_stop->store(true);
}

struct RunArgs {
    std::vector<std::string> scenarios;
    int replicates = 10;
    std::uint64_t seed = 0;
    int threads = 0;
    std::string out = "results/run.h5";
    bool check = false;
    bool quiet = false;
};

std::vector<codev::Scenario> load_all(const std::vector<std::string>& paths) {
    std::vector<codev::Scenario> scenarios;
    for (const auto& p : paths) scenarios.push_back(codev::load_scenario(p));
    for (std::size_t i = 0; i < scenarios.size(); ++i)
        for (std::size_t j = 0; j < i; ++j)
            if (scenarios[i].name == scenarios[j].name)
                throw codev::ScenarioError(scenarios[i].path + ": scenario name '" + scenarios[i].name +
                                           "' is used twice in one run (names are file stems)");
    return scenarios;
}

std::string joined_command_line(int argc, char** argv) {
    std::string line;
    for (int i = 0; i < argc; ++i) line += (i ? " " : "") + std::string(argv[i]);
    return line;
}

int run(const RunArgs& args, const std::string& command_line) {
    const std::vector<codev::Scenario> scenarios = load_all(args.scenarios);
    if (args.replicates < 1 || args.replicates > 100000)
        throw codev::ScenarioError("--replicates: " + std::to_string(args.replicates) + " is out of range (allowed: 1 to 100000)");
    if (args.out == "results/run.h5") std::filesystem::create_directories("results");
    codev::check_writable(args.out);
    codev::EnsembleOptions options;
    options.replicates = args.replicates;
    options.seed = args.seed;
    options.threads = args.threads;
    options.run.check_invariants = args.check;
    options.command_line = command_line;
    codev::EnsembleProgress progress;
    g_stop = &progress.stop;
    std::signal(SIGINT, on_signal);
    std::signal(SIGTERM, on_signal);
    codev::EnsembleResults results;
    {
        codev::ProgressLine line(progress, !args.quiet);
        results = codev::run_ensemble(scenarios, options, &progress);
    }
    if (g_signal) throw codev::Interrupted("interrupted");
    codev::write_results(results, args.out);
    std::cout << codev::format_summary(codev::summarise(results));
    std::cerr << "codev: wrote " << args.out << "\n";
    return 0;
}

int validate(const std::vector<std::string>& paths) {
    for (const auto& s : load_all(paths)) {
        std::cout << "ok: " << s.path << " (" << s.name << ": " << s.params.world.migrants << " migrants, "
                  << (s.params.communes.empty() ? s.params.world.communes : int(s.params.communes.size())) << " communes, "
                  << s.params.programmes.size() << " programmes, " << s.params.months << " months)\n";
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"codev: co-financing of diaspora projects, simulated (an agent-based model)"};
    app.require_subcommand(1);
    RunArgs run_args;
    auto* run_cmd = app.add_subcommand("run", "run scenarios x replicates and write an HDF5 results file");
    run_cmd->add_option("scenarios", run_args.scenarios, "scenario files (TOML)")->required();
    run_cmd->add_option("--replicates,-r", run_args.replicates, "replicates per scenario");
    run_cmd->add_option("--seed,-s", run_args.seed, "random seed");
    run_cmd->add_option("--threads,-t", run_args.threads, "worker threads (0: all cores)");
    run_cmd->add_option("--out,-o", run_args.out, "results file (HDF5)");
    run_cmd->add_flag("--check", run_args.check, "verify the invariants of MODEL.md section 9 every month");
    run_cmd->add_flag("--quiet,-q", run_args.quiet, "no progress line");
    std::vector<std::string> validate_paths;
    auto* validate_cmd = app.add_subcommand("validate", "check scenario files and report the first problem of each");
    validate_cmd->add_option("scenarios", validate_paths, "scenario files (TOML)")->required();
    codev::BenchOptions bench;
    std::string bench_scenario;
    auto* bench_cmd = app.add_subcommand("bench", "time the monthly step of a national-size world (one JSON line)");
    bench_cmd->add_option("scenario", bench_scenario, "scenario whose parameters the world uses")->required();
    bench_cmd->add_option("--migrants", bench.migrants, "migrants in the world")->check(CLI::Range(std::int64_t(1000), std::int64_t(100000000)));
    bench_cmd->add_option("--communes", bench.communes, "communes in the world")->check(CLI::Range(1, 100000));
    bench_cmd->add_option("--months", bench.months, "timed months")->check(CLI::Range(1, 1200));
    bench_cmd->add_option("--warmup", bench.warmup, "months run before timing")->check(CLI::Range(0, 1200));
    bench_cmd->add_option("--threads,-t", bench.threads, "worker threads (0: all cores)")->check(CLI::Range(0, 1024));
    std::string info_path;
    auto* info_cmd = app.add_subcommand("info", "describe a results file and its provenance");
    info_cmd->add_option("file", info_path, "results file (HDF5)")->required();
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        std::cerr << "codev: error: " << e.what() << " (see codev --help)\n";
        return 2;
    }
    try {
        if (*run_cmd) return run(run_args, joined_command_line(argc, argv));
        if (*validate_cmd) return validate(validate_paths);
        if (*bench_cmd) {
            std::cout << codev::bench_json(codev::run_benchmark(codev::load_scenario(bench_scenario), bench)) << std::endl;
            return 0;
        }
        if (*info_cmd) {
            std::cout << codev::describe_results(info_path);
            return 0;
        }
    } catch (const codev::Interrupted&) {
        const int sig = g_signal ? int(g_signal) : SIGINT;
        std::cerr << "codev: interrupted by " << (sig == SIGTERM ? "SIGTERM" : "SIGINT") << "; no results file written\n";
        return 128 + sig;
    } catch (const codev::ScenarioError& e) {
        std::cerr << "codev: error: " << e.what() << "\n";
        return 2;
    } catch (const codev::ResultsError& e) {
        std::cerr << "codev: error: " << e.what() << "\n";
        return 2;
    } catch (const codev::InvariantViolation& e) {
        std::cerr << "codev: error: " << e.what() << "\n";
        return 3;
    } catch (const codev::MoneyOverflow& e) {
        std::cerr << "codev: error: " << e.what() << "\n";
        return 3;
    } catch (const std::exception& e) {
        std::cerr << "codev: error: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
