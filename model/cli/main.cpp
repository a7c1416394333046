// The `codev` command: thin; parses arguments and calls the library
// (docs/architecture.md 1 and 4.6). Every error is one line on stderr and exit status 2;
// SIGINT / SIGTERM stop a run within a month's step and exit 130 / 143
// without writing a results file (a sharded run keeps its finished blocks).
// Launched by mpirun, the processes share the jobs (sharded.hpp).
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <charconv>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "codev/ensemble/benchmark.hpp"
#include "codev/ensemble/distributed.hpp"
#include "codev/ensemble/ensemble.hpp"
#include "codev/ensemble/precision.hpp"
#include "codev/invariants.hpp"
#include "codev/money.hpp"
#include "codev/results/results_file.hpp"
#include "codev/results/summary.hpp"
#include "codev/scenario/scenario.hpp"
#include "codev/version.hpp"
#include "precision_options.hpp"
#include "progress.hpp"
#include "sharded.hpp"
#include "shipped.hpp"
#include "signals.hpp"
#include "state_options.hpp"

namespace {

using codev::cli::EnsembleArgs;

// Set once a sharded run starts: where an interrupted run's blocks are kept.
std::string g_shards;

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

// The effect table needs a baseline that is a scenario of the run and shares
// its policies' horizon and communes: checked before the run, not after it.
void check_baseline(const std::vector<codev::Scenario>& scenarios, const std::string& requested) {
    const codev::Scenario* baseline = nullptr;
    std::string names;
    for (const codev::Scenario& s : scenarios) {
        names += (names.empty() ? "" : ", ") + s.name;
        if (requested.empty() ? s.params.baseline && baseline == nullptr : s.name == requested) baseline = &s;
    }
    if (!requested.empty() && baseline == nullptr)
        throw codev::ScenarioError("--baseline: '" + requested +
                                   "' is not a scenario of this run (scenarios: " + names + ")");
    if (baseline == nullptr) return;
    const char* const TAIL = " (a policy and its baseline must share the horizon and the world)";
    const auto communes = [](const codev::Scenario& s) {
        return s.params.communes.empty() ? std::size_t(s.params.world.communes) : s.params.communes.size();
    };
    for (const codev::Scenario& s : scenarios) {
        const std::string head =
            s.path + ": cannot compare '" + s.name + "' with the baseline '" + baseline->name + "': ";
        if (s.params.months != baseline->params.months)
            throw codev::ScenarioError(head + std::to_string(s.params.months) + " months against " +
                                       std::to_string(baseline->params.months) + TAIL);
        if (communes(s) != communes(*baseline))
            throw codev::ScenarioError(head + std::to_string(communes(s)) + " communes against " +
                                       std::to_string(communes(*baseline)) + TAIL);
    }
}

std::string joined_command_line(int argc, char** argv) {
    std::string line;
    for (int i = 0; i < argc; ++i) line += (i ? " " : "") + std::string(argv[i]);
    return line;
}

// A results file's default directory is made on demand; others must exist.
void prepare_out(const EnsembleArgs& args, const char* default_out, const std::vector<std::string>& inputs) {
    if (args.out == default_out) std::filesystem::create_directories("results");
    codev::check_writable(args.out, inputs);
}

std::vector<std::string> sources_of(const std::vector<codev::Scenario>& scenarios) {
    std::vector<std::string> files;
    for (const codev::Scenario& s : scenarios) files.insert(files.end(), s.sources.begin(), s.sources.end());
    return files;
}

// Runs `plan` in memory (with --precision, in rounds until its triggers are
// met), writes args.out and prints the effect table; with --precision, a line
// on stderr after each round, the precision table, and a warning when the
// maximum was reached first (exit status 0 either way: the file records
// precision_met). Throws ScenarioError for a bad rule, before anything runs,
// and Interrupted on SIGINT / SIGTERM.
int run_in_memory(const codev::JobPlan& plan, const codev::RunnerOptions& runner,
                  const codev::cli::PrecisionArgs& precision, const EnsembleArgs& args) {
    std::optional<codev::PrecisionRule> rule;
    if (precision.wanted()) {
        rule = codev::cli::precision_rule(precision);
        rule->baseline = args.baseline;
    }
    codev::RunProgress progress;
    codev::cli::stop_on_signals(progress.stop);
    // One progress line per round, each closed before the round's own line.
    std::optional<codev::ProgressLine> line(std::in_place, progress, !args.quiet);
    const auto after_round = [&](const codev::EnsembleResults& so_far, int next) {
        line.reset();
        if (!args.quiet) std::cerr << codev::format_round(so_far, next) << std::flush;
        if (next > 0) line.emplace(progress, !args.quiet);
    };
    const codev::EnsembleResults results =
        codev::run_ensemble(plan, runner, &progress, rule ? &*rule : nullptr, after_round);
    line.reset();
    if (codev::cli::caught_signal()) throw codev::Interrupted("interrupted");
    codev::write_results(results, args.out);
    std::cout << codev::format_run_table(results, codev::find_baseline(results, args.baseline), args.totals);
    if (rule) {
        std::cout << codev::format_precision(results);
        if (const std::string warning = codev::precision_warning(results); !warning.empty())
            std::cerr << "codev: warning: " << warning << "\n";
    }
    std::cerr << "codev: wrote " << args.out << "\n";
    return 0;
}

int run(const std::vector<std::string>& paths, EnsembleArgs args, const codev::cli::ShardArgs& shards,
        const codev::cli::PrecisionArgs& precision, const codev::cli::StateArgs& state_args, bool seed_given,
        const codev::ProcessGroup& group, const std::string& command_line) {
    std::vector<codev::Scenario> scenarios = load_all(paths);
    codev::check_replicates(args.replicates);
    if (!args.totals || !args.baseline.empty()) check_baseline(scenarios, args.baseline);
    prepare_out(args, "results/run.h5", sources_of(scenarios));
    if (precision.wanted() && (group.size() > 1 || shards.wanted()))
        throw codev::ScenarioError(
            "--precision runs in one process, without mpirun, --resume, --jobs, --block-jobs, --checkpoint-every "
            "or --keep-shards");
    if (precision.wanted() && !state_args.from.empty())
        throw codev::ScenarioError("--precision adds replicates that --from has no statepoints for: give --replicates");
    // Statepoints continued (their seed is the run's) or saved, checked before anything runs.
    const codev::StateSetup states = codev::state_setup(state_args.from, state_args.save_state, state_args.state_dir,
                                                        scenarios, args.replicates, seed_given, args.seed, args.out);
    // One plan; its records go to memory, or (distributed, resumable) to shards.
    const codev::JobPlan plan = codev::scenarios_plan(std::move(scenarios), args.replicates, args.seed, command_line);
    if (group.size() > 1 || shards.wanted()) {
        g_shards = codev::shard_directory(args.out);
        return codev::cli::run_sharded_command(plan, args, shards, group, true, states);
    }
    codev::RunnerOptions runner;
    runner.threads = args.threads > 0 ? args.threads : codev::default_threads(group);
    runner.run.check_invariants = args.check;
    runner.fork_window = shards.no_forks ? 1 : runner.fork_window;
    runner.from = states.from;
    runner.save_month = states.save_month;
    runner.save_directory = states.save_directory;
    return run_in_memory(plan, runner, precision, args);
}

int sweep(const codev::cli::SweepArgs& sweep_args, const EnsembleArgs& args, const codev::cli::ShardArgs& shards,
          const codev::ProcessGroup& group, const std::string& command_line) {
    const codev::JobPlan plan = codev::cli::sweep_command_plan(
        sweep_args, args, command_line,
        [&](const std::vector<std::string>& inputs) { prepare_out(args, "results/sweep.h5", inputs); });
    g_shards = codev::shard_directory(args.out);
    return codev::cli::run_sharded_command(plan, args, shards, group, false);
}

// A seed is a whole number from 0 to 2^64 - 1, written in decimal: CLI11
// clamped -1, 2^64 and 1e23 to 2^64 - 1, three seeds giving one result.
std::uint64_t parse_seed(const std::string& text) {
    std::uint64_t seed = 0;
    const char* end = text.data() + text.size();
    const auto [stop, error] = std::from_chars(text.data(), end, seed);
    if (text.empty() || error != std::errc() || stop != end)
        throw CLI::ValidationError("--seed", "'" + text + "' is not a whole number from 0 to 2^64 - 1");
    return seed;
}

void add_ensemble_options(CLI::App& command, EnsembleArgs& args) {
    command.add_option("--replicates,-r", args.replicates, "replicates per scenario");
    command
        .add_option_function<std::string>(
            "--seed,-s", [&args](const std::string& text) { args.seed = parse_seed(text); },
            "random seed (0 to 2^64 - 1)")
        ->type_name("UINT")
        ->default_str("0");
    command
        .add_option("--threads,-t", args.threads,
                    "worker threads (0: every core; under mpirun or Slurm, this process's share)")
        ->check(CLI::Range(0, 1024));
    command.add_option("--out,-o", args.out, "results file (HDF5)");
    command.add_flag("--check", args.check, "verify the invariants of docs/model.md section 9 every month");
    command.add_flag("--quiet,-q", args.quiet, "no progress line");
}

// Errors that every process of an mpirun meets alike are printed once.
bool speaks(const codev::ProcessGroup* group) { return group == nullptr || group->rank() == 0; }

// Every file is checked, each bad one reported (not only the first); the
// status is 2 when any is bad.
int validate(const std::vector<std::string>& arguments) {
    int status = 0;
    std::vector<std::string> paths;
    for (const auto& argument : arguments) {
        try {
            paths.push_back(codev::cli::scenario_argument(argument));
            const codev::Scenario s = codev::load_scenario(paths.back());
            std::cout << "ok: " << s.path << " (" << s.name << ": " << s.params.world.migrants << " migrants, "
                      << (s.params.communes.empty() ? s.params.world.communes : int(s.params.communes.size()))
                      << " communes, " << s.params.programmes.size() << " programmes, " << s.params.months
                      << " months)\n";
        } catch (const codev::ScenarioError& e) {
            std::cerr << "codev: error: " << e.what() << "\n";
            status = 2;
        }
    }
    if (status == 0) load_all(paths);  // names used twice
    return status;
}

// The commands that live in the Python package: `codev report` (the funding
// brief, python -m codev.report), `codev export` (its tables, codev.report.export),
// `codev calibrate` (codev.calibrate), `codev search` (codev.analysis.search_cli) and `codev app` (the workbench,
// codev.app). This process becomes that Python,
// so its exit status is the command's. The Python is $CODEV_PYTHON when set, else the one beside this executable (the
// venv's bin/ when pip installed codev), else python3 on PATH.
int run_python_module(int argc, char** argv, const std::string& module) {
    std::vector<std::string> pythons;
    if (const char* chosen = std::getenv("CODEV_PYTHON"); chosen != nullptr && *chosen != '\0')
        pythons.push_back(chosen);
    std::error_code error;
    const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", error);
    if (!error)
        for (const char* name : {"python", "python3"}) pythons.push_back((self.parent_path() / name).string());
    std::vector<std::string> args = {"python3", "-m", module};
    args.insert(args.end(), argv + 2, argv + argc);
    std::vector<char*> c_args;
    for (auto& a : args) c_args.push_back(a.data());
    c_args.push_back(nullptr);
    for (const auto& python : pythons) {
        if (::access(python.c_str(), X_OK) != 0) continue;
        c_args[0] = const_cast<char*>(python.c_str());
        ::execv(python.c_str(), c_args.data());
    }
    ::execvp("python3", c_args.data());
    std::cerr << "codev: error: " << argv[1] << ": found no Python to run " << module
              << " (set CODEV_PYTHON, or install codev with pip)\n";
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    // A file-size limit (ulimit -f) must fail the write with a message, not
    // kill the process with SIGXFSZ: the writer then reports it and removes
    // its temporary file.
    std::signal(SIGXFSZ, SIG_IGN);
    if (argc >= 2 && std::string(argv[1]) == "report") return run_python_module(argc, argv, "codev.report");
    if (argc >= 2 && std::string(argv[1]) == "calibrate") return run_python_module(argc, argv, "codev.calibrate");
    if (argc >= 2 && std::string(argv[1]) == "search")
        return run_python_module(argc, argv, "codev.analysis.search_cli");
    if (argc >= 2 && std::string(argv[1]) == "export") return run_python_module(argc, argv, "codev.report.export");
    if (argc >= 2 && std::string(argv[1]) == "app") return run_python_module(argc, argv, "codev.app");
    std::unique_ptr<codev::ProcessGroup> group;
    try {
        group = codev::join_process_group(argc, argv);
    } catch (const std::exception& e) {
        std::cerr << "codev: error: " << e.what() << "\n";
        return 2;
    }
    CLI::App app{"codev: co-financing of diaspora projects, simulated (an agent-based model)"};
    app.set_version_flag("--version",
                         std::string("codev ") + codev::codev_version() + " (git " + codev::codev_git_commit() + ")");
    app.require_subcommand(1);
    app.option_defaults()->always_capture_default();  // every --help shows each option's default
    std::vector<std::string> run_paths;
    EnsembleArgs run_args;
    run_args.out = "results/run.h5";
    codev::cli::ShardArgs run_shards;
    auto* run_cmd = app.add_subcommand("run", "run scenarios x replicates and write an HDF5 results file");
    run_cmd->add_option("scenarios", run_paths, "scenario files (TOML), or names of shipped scenarios")
        ->required()
        ->default_str("");
    add_ensemble_options(*run_cmd, run_args);
    codev::cli::add_shard_options(*run_cmd, run_shards);
    codev::cli::PrecisionArgs run_precision;
    codev::cli::add_precision_options(*run_cmd, run_precision);
    codev::cli::StateArgs run_states;
    codev::cli::add_state_options(*run_cmd, run_states);
    run_cmd->add_option("--baseline", run_args.baseline,
                        "print what each policy adds to this scenario, replicate by replicate (default: the scenario "
                        "declaring baseline = true); with --precision, measure differences with it");
    run_cmd->add_flag("--totals", run_args.totals,
                      "print each scenario's totals (the baseline's outcomes included) instead of the effects");
    codev::cli::SweepArgs sweep_args;
    EnsembleArgs sweep_run;
    sweep_run.replicates = 1;
    sweep_run.out = "results/sweep.h5";
    codev::cli::ShardArgs sweep_shards;
    auto* sweep_cmd = app.add_subcommand(
        "sweep", "run the points of a design over parameters of a base scenario (grid, Latin hypercube, Sobol')");
    codev::cli::add_sweep_options(*sweep_cmd, sweep_args);
    add_ensemble_options(*sweep_cmd, sweep_run);
    codev::cli::add_shard_options(*sweep_cmd, sweep_shards);
    std::string assemble_path;
    bool assemble_keep = false;
    auto* assemble_cmd = app.add_subcommand("assemble", "write a results file from the finished shards of its run");
    assemble_cmd->add_option("file", assemble_path, "results file (HDF5); its shards are in FILE.shards/")->required();
    assemble_cmd->add_flag("--keep-shards", assemble_keep, "keep FILE.shards/ after assembling");
    std::vector<std::string> validate_paths;
    auto* validate_cmd = app.add_subcommand("validate", "check scenario files and report the first problem of each");
    validate_cmd->add_option("scenarios", validate_paths, "scenario files (TOML), or names of shipped scenarios")
        ->default_str("")
        ->required();
    codev::BenchOptions bench;
    std::string bench_scenario;
    auto* bench_cmd = app.add_subcommand("bench", "time the monthly step of a national-size world (one JSON line)");
    bench_cmd->add_option("scenario", bench_scenario, "scenario whose parameters the world uses")->required();
    bench_cmd->add_option("--migrants", bench.migrants, "migrants in the world")
        ->check(CLI::Range(std::int64_t(1000), std::int64_t(100000000)));
    bench_cmd->add_option("--communes", bench.communes, "communes in the world")->check(CLI::Range(1, 100000));
    bench_cmd->add_option("--months", bench.months, "timed months")->check(CLI::Range(1, 1200));
    bench_cmd->add_option("--warmup", bench.warmup, "months run before timing")->check(CLI::Range(0, 1200));
    bench_cmd->add_option("--threads,-t", bench.threads, "worker threads (0: all cores)")->check(CLI::Range(0, 1024));
    std::string info_path;
    auto* info_cmd = app.add_subcommand("info", "describe a results file and its provenance");
    info_cmd->add_option("file", info_path, "results file (HDF5)")->required();
    app.add_subcommand("report", "write the funding brief of a results file (HTML, PDF): codev report --help")
        ->prefix_command();
    app.add_subcommand("calibrate",
                       "fit the national scenario to public figures (SMM), or the association side (--stage "
                       "associations): codev calibrate --help")
        ->prefix_command();
    app.add_subcommand("search", "find the smallest value of a factor that meets a target: codev search --help")
        ->prefix_command();
    app.add_subcommand("export", "write the brief's numbers as tables (Excel, CSV): codev export --help")
        ->prefix_command();
    app.add_subcommand("app",
                       "open the workbench, a local web page to build, run and compare policies: codev app --help")
        ->prefix_command();
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        if (speaks(group.get())) std::cerr << "codev: error: " << e.what() << " (see codev --help)\n";
        return 2;
    }
    const std::string command_line = joined_command_line(argc, argv);
    const auto fail = [&](const std::exception& e, int status, bool every_process_alike) {
        if (!every_process_alike || speaks(group.get())) {
            std::cerr << "codev: error: " << e.what();
            if (!every_process_alike && group->size() > 1) std::cerr << " (process " << group->rank() << ")";
            std::cerr << "\n";
        }
        return status;
    };
    try {
        if (*run_cmd) {
            for (std::string& path : run_paths) path = codev::cli::scenario_argument(path);
            return run(run_paths, run_args, run_shards, run_precision, run_states,
                       run_cmd->get_option("--seed")->count() > 0, *group, command_line);
        }
        if (*sweep_cmd) return sweep(sweep_args, sweep_run, sweep_shards, *group, command_line);
        if (*assemble_cmd) return codev::cli::assemble_command(assemble_path, assemble_keep);
        if (*validate_cmd) return validate(validate_paths);
        if (*bench_cmd) {
            std::cout << codev::bench_json(codev::run_benchmark(
                             codev::load_scenario(codev::cli::scenario_argument(bench_scenario)), bench))
                      << std::endl;
            return 0;
        }
        if (*info_cmd) {
            std::cout << codev::describe_results(info_path);
            return 0;
        }
    } catch (const codev::Interrupted&) {
        const int sig = codev::cli::caught_signal() ? codev::cli::caught_signal() : SIGINT;
        std::cerr << "codev: interrupted by " << (sig == SIGTERM ? "SIGTERM" : "SIGINT") << "; no results file written";
        if (!g_shards.empty()) std::cerr << " (finished blocks are kept in " << g_shards << ": continue with --resume)";
        std::cerr << "\n";
        return 128 + sig;
    } catch (const codev::ScenarioError& e) {
        return fail(e, 2, true);
    } catch (const codev::GroupError& e) {
        return fail(e, 2, true);
    } catch (const codev::ResultsError& e) {
        return fail(e, 2, false);
    } catch (const codev::StatepointError& e) {
        return fail(e, 2, false);
    } catch (const codev::InvariantViolation& e) {
        return fail(e, 3, false);
    } catch (const codev::MoneyOverflow& e) {
        return fail(e, 3, false);
    } catch (const std::exception& e) {
        return fail(e, 1, false);
    }
    return 0;
}
