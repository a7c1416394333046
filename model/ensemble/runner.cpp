// The one runner (runner.hpp): plans of jobs, and the loop that runs them.
//
// Jobs are grouped into units, a replicate of a window of consecutive
// scenarios, handed out in order from one counter to as many workers as
// there are threads (not split by TBB's parallel_for), so that a sink
// grouping jobs into blocks (shards.cpp) has only the blocks of about
// `threads` windows open. Inside a unit, scenarios that share their past
// fork from one another (state/fork.hpp): the past is run once. Inside a
// job the model's own loops use the same arena, so a run of fewer jobs than
// threads still uses every thread.
#include "codev/ensemble/runner.hpp"

#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>
#include <tbb/task_group.h>

#include <algorithm>
#include <exception>
#include <filesystem>
#include <limits>
#include <map>
#include <memory>
#include <mutex>

#include "codev/initialisation.hpp"
#include "codev/state/fork.hpp"
#include "codev/version.hpp"

namespace codev {

void check_replicates(int replicates) {
    if (replicates < 1 || replicates > MAX_REPLICATES)
        throw ScenarioError("--replicates: " + std::to_string(replicates) + " is out of range (allowed: 1 to " +
                            std::to_string(MAX_REPLICATES) + ")");
}

JobPlan scenarios_plan(std::vector<Scenario> scenarios, int replicates, std::uint64_t seed, std::string command_line) {
    JobPlan plan;
    plan.kind = "run";
    plan.scenarios = scenarios.size();
    plan.replicates = replicates;
    plan.seed = seed;
    plan.command_line = std::move(command_line);
    for (const Scenario& s : scenarios) plan.description += (plan.description.empty() ? "" : " ") + s.name;
    auto shared = std::make_shared<const std::vector<Scenario>>(std::move(scenarios));
    plan.scenario = [shared](std::size_t s) { return shared->at(s); };
    return plan;
}

ScenarioInfo describe_scenario(const Scenario& scenario, std::uint64_t seed, const ForkOrigin& origin,
                               const std::string& parent_name) {
    ScenarioInfo info;
    info.forked_from = parent_name;
    info.fork_month = parent_name.empty() ? -scenario.params.spinup_months : origin.month;
    info.name = scenario.name;
    info.toml = scenario.toml;
    info.start_date = scenario.params.start_date;
    // Communes are the same in every replicate (initialisation.cpp): replicate 0 describes them all.
    for (const CommuneParams& c : resolve_communes(scenario.params, StreamKey{seed, 0})) {
        info.commune_population.push_back(c.population);
        info.commune_region.push_back(c.region);
        info.commune_names.push_back(c.name);
    }
    for (const ProgrammeParams& p : scenario.params.programmes) {
        info.programme_names.push_back(p.name);
        info.programme_funders.push_back(p.funder);
    }
    for (const RuleParams& r : scenario.params.rules) {
        info.rule_names.push_back(r.name);
        info.rule_programmes.push_back(r.programme);
        info.rule_actions.push_back(RuleParams::ACTION_NAMES[std::size_t(r.action)]);
    }
    return info;
}

std::vector<ForkOrigin> window_forks(const std::vector<const Params*>& window, const RunnerOptions& options) {
    std::vector<ForkOrigin> origins = plan_forks(window);
    for (ForkOrigin& o : origins) {
        // A saved state is each scenario's own: none forks after the month saved.
        if (options.save_month && o.parent >= 0) o.month = std::min(o.month, *options.save_month);
        // Statepoints hold every scenario's past up to their month.
        if (options.from && (o.parent < 0 || o.month < options.from->month)) o = {-1, options.from->month};
    }
    return origins;
}

std::vector<ForkOrigin> plan_fork_origins(const JobPlan& plan, const RunnerOptions& options, std::size_t first,
                                          std::size_t count) {
    const std::size_t window = std::size_t(std::max(1, options.fork_window));
    std::vector<ForkOrigin> origins;
    for (std::size_t w = first / window; w * window < first + count; ++w) {
        const std::size_t begin = w * window, end = std::min(plan.scenarios, begin + window);
        std::vector<Scenario> scenarios;
        std::vector<const Params*> params;
        for (std::size_t s = begin; s < end; ++s) scenarios.push_back(plan.scenario(s));
        for (const Scenario& s : scenarios) params.push_back(&s.params);
        std::vector<ForkOrigin> here = window_forks(params, options);
        for (std::size_t s = std::max(begin, first); s < std::min(end, first + count); ++s) {
            ForkOrigin o = here[s - begin];
            if (o.parent >= 0) o.parent += int(begin);
            origins.push_back(o);
        }
    }
    return origins;
}

std::string checkpoint_file(const std::string& directory, std::size_t scenario, int replicate) {
    return (std::filesystem::path(directory) /
            ("s" + std::to_string(scenario) + "-r" + std::to_string(replicate) + ".h5"))
        .string();
}

int shard_fork_window(const JobPlan& plan) {
    if (plan.scenarios == 0) return 1;
    const Params& p = plan.scenario(0).params;
    const int communes = p.communes.empty() ? p.world.communes : int(p.communes.size());
    const double per_scenario = record_bytes(p.months, communes, int(p.programmes.size())) * plan.replicates;
    return int(std::clamp(512.0 * 1024 * 1024 / std::max(per_scenario, 1.0), 1.0, 1024.0));
}

namespace {

// The jobs of one replicate among a window of consecutive scenarios: the
// unit a worker takes. Its scenarios share their pasts (fork.hpp).
struct Unit {
    std::size_t window = 0;
    int replicate = 0;
    std::vector<std::size_t> jobs;  // indices into the job list
};

// A window's scenarios, made once for all its units, and their forks.
struct Window {
    std::size_t first = 0;  // the plan's index of scenarios[0]
    std::vector<Scenario> scenarios;
    std::vector<ForkOrigin> origins;
};

class JobLoop {
  public:
    JobLoop(const JobPlan& plan, const std::vector<Job>& jobs, const RunnerOptions& options, RunProgress* progress,
            const JobSink& sink)
        : plan_(plan), jobs_(jobs), options_(options), progress_(progress), sink_(sink) {
        window_size_ = std::size_t(std::max(1, options.fork_window));
        std::map<std::pair<std::size_t, int>, std::size_t> unit_of;  // (window, replicate) -> unit
        for (std::size_t i = 0; i < jobs.size(); ++i) {
            const std::pair<std::size_t, int> key{jobs[i].scenario / window_size_, jobs[i].replicate};
            auto [it, added] = unit_of.try_emplace(key, units_.size());
            if (added) units_.push_back({key.first, key.second, {}});
            units_[it->second].jobs.push_back(i);
        }
        const std::size_t windows = (plan.scenarios + window_size_ - 1) / window_size_;
        windows_.resize(windows);
        window_once_ = std::make_unique<std::once_flag[]>(windows);
        window_units_ = std::make_unique<std::atomic<std::size_t>[]>(windows);
        for (const Unit& u : units_) window_units_[u.window].fetch_add(1, std::memory_order_relaxed);
    }

    void run() {
        const int threads = options_.threads > 0 ? options_.threads : tbb::this_task_arena::max_concurrency();
        tbb::task_arena arena(threads);
        arena.execute([&] {
            tbb::task_group workers;
            for (int t = 0; t < threads; ++t) workers.run([this] { work(); });
            workers.wait();
        });
        if (error_) std::rethrow_exception(error_);
    }

  private:
    void work() {
        try {
            for (std::size_t u; !abort_ && (u = next_.fetch_add(1)) < units_.size();) run_unit(units_[u]);
        } catch (...) {
            std::lock_guard<std::mutex> lock(mutex_);
            // The first failure is the news; others are the abort it caused.
            if (!error_) error_ = std::current_exception();
            abort_ = true;
        }
    }

    std::shared_ptr<const Window> window(std::size_t w) {
        std::call_once(window_once_[w], [&] {
            auto made = std::make_shared<Window>();
            made->first = w * window_size_;
            const std::size_t end = std::min(plan_.scenarios, made->first + window_size_);
            std::vector<const Params*> params;
            for (std::size_t s = made->first; s < end; ++s) made->scenarios.push_back(plan_.scenario(s));
            for (const Scenario& s : made->scenarios) params.push_back(&s.params);
            made->origins = window_forks(params, options_);
            std::lock_guard<std::mutex> lock(mutex_);
            windows_[w] = made;
        });
        std::lock_guard<std::mutex> lock(mutex_);
        return windows_[w];
    }

    // A window's scenarios the unit needs: those it records to their
    // horizon, and the parents they fork from until their last fork. A job
    // with a checkpoint continues from it, and needs no parent then.
    void run_unit(const Unit& unit) {
        const std::shared_ptr<const Window> win = window(unit.window);
        const std::size_t n = win->scenarios.size();
        UnitRun run{*win,
                    unit.replicate,
                    win->origins,
                    std::vector<int>(n, NOT_RUN),
                    std::vector<std::ptrdiff_t>(n, -1),
                    std::vector<std::string>(n)};
        for (std::size_t i : unit.jobs) {
            const std::size_t k = jobs_[i].scenario - win->first;
            run.job[k] = std::ptrdiff_t(i);
            run.end[k] = win->scenarios[k].params.months;
        }
        for (std::size_t k = n; k-- > 0;) {  // children (later scenarios) first
            if (run.end[k] == NOT_RUN) continue;
            if (run.job[k] >= 0) resume_from_checkpoint(run, k);
            if (run.origin[k].parent >= 0) {
                int& parent_end = run.end[std::size_t(run.origin[k].parent)];
                parent_end = std::max(parent_end, run.origin[k].month);
            }
        }
        for (std::size_t k = 0; k < n; ++k)
            if (run.end[k] != NOT_RUN && run.origin[k].parent < 0) run_node(run, k, nullptr);
        if (window_units_[unit.window].fetch_sub(1) == 1) {
            std::lock_guard<std::mutex> lock(mutex_);
            windows_[unit.window].reset();  // every unit of the window is done
        }
    }

    static constexpr int NOT_RUN = std::numeric_limits<int>::min();
    struct UnitRun {
        const Window& window;
        int replicate;
        std::vector<ForkOrigin> origin;       // the window's, with jobs that continue a checkpoint made roots
        std::vector<int> end;                 // per scenario of the window: the month it runs to
        std::vector<std::ptrdiff_t> job;      // the job it records, or -1 (a parent run only to its forks)
        std::vector<std::string> checkpoint;  // the checkpoint it continues, or ""
    };

    // A job whose checkpoint is usable continues from it, unless a child
    // forks from it before the checkpoint's month (that child needs the
    // state of the month it forks, which only running gives).
    void resume_from_checkpoint(UnitRun& run, std::size_t k) {
        if (options_.checkpoint_months <= 0) return;
        const std::string path = checkpoint_file(options_.checkpoint_directory, run.window.first + k, run.replicate);
        std::error_code error;
        if (!std::filesystem::exists(path, error)) return;
        const Scenario& scenario = run.window.scenarios[k];
        Statepoint header;
        try {
            header = read_statepoint_header(path);
        } catch (const StatepointError&) {
            return;  // a checkpoint cut short by a kill: the job runs from its start
        }
        const int month = header.state.world.month;
        if (header.scenario_toml != scenario.toml || header.state.world.key.seed != plan_.seed ||
            int(header.state.world.key.replicate) != run.replicate || month <= run.origin[k].month)
            return;
        for (std::size_t c = k + 1; c < run.end.size(); ++c)
            if (run.end[c] != NOT_RUN && run.origin[c].parent == int(k) && run.origin[c].month < month) return;
        run.checkpoint[k] = path;
        run.origin[k] = {-1, month};
    }

    // The state scenario k starts from: a checkpoint, a trunk's state at its
    // fork, a statepoint it continues, or its first month.
    std::unique_ptr<Simulation> start(const UnitRun& run, std::size_t k, const SimulationState* trunk) {
        const Params& params = run.window.scenarios[k].params;
        const auto continue_from = [&](SimulationState state, const std::string& where) {
            check_state_fits(state, params, where);
            return std::make_unique<Simulation>(params, std::move(state), options_.run);
        };
        if (!run.checkpoint[k].empty()) {
            try {
                return continue_from(read_statepoint(run.checkpoint[k]).state, run.checkpoint[k]);
            } catch (const StatepointError&) {
                // damaged after its header was read: the job runs from its first month
            }
        }
        if (trunk && run.checkpoint[k].empty()) {
            const Params& parent = run.window.scenarios[std::size_t(run.origin[k].parent)].params;
            return continue_from(fork_state(*trunk, parent, params), "a fork");
        }
        if (options_.from) {
            const std::string& path = options_.from->files.at(std::size_t(run.replicate));
            return continue_from(fork_state(read_statepoint(path).state, options_.from->params, params), path);
        }
        return std::make_unique<Simulation>(params, plan_.seed, std::uint32_t(run.replicate), options_.run);
    }

    // Runs scenario k, keeps a copy of its state at each month a child
    // forks, records it, then runs the children from their copies.
    void run_node(const UnitRun& run, std::size_t k, const SimulationState* trunk) {
        const bool recorded = run.job[k] >= 0;
        std::vector<std::pair<int, std::size_t>> children;  // (fork month, scenario)
        for (std::size_t c = k + 1; c < run.end.size(); ++c)
            if (run.end[c] != NOT_RUN && run.origin[c].parent == int(k)) children.emplace_back(run.origin[c].month, c);
        std::sort(children.begin(), children.end());
        std::vector<std::pair<int, std::shared_ptr<const SimulationState>>> forks;
        {
            std::unique_ptr<Simulation> simulation = start(run, k, trunk);
            int saved = NOT_RUN;
            if (recorded && progress_)  // the months run before it started are done
                progress_->months_done.fetch_add(std::max(0, simulation->world().month), std::memory_order_relaxed);
            for (const auto& [month, child] : children) {
                if (forks.empty() || forks.back().first != month) {
                    advance(run, k, *simulation, month, recorded, saved);
                    forks.emplace_back(month, std::make_shared<const SimulationState>(simulation->state()));
                }
            }
            advance(run, k, *simulation, run.end[k], recorded, saved);
            if (recorded) {
                sink_(std::size_t(run.job[k]), simulation->take_record());
                if (progress_) progress_->jobs_done.fetch_add(1, std::memory_order_relaxed);
            }
        }
        tbb::parallel_for(std::size_t(0), children.size(), [&](std::size_t i) {
            const auto fork = std::lower_bound(forks.begin(), forks.end(), children[i].first,
                                               [](const auto& f, int month) { return f.first < month; });
            run_node(run, children[i].second, fork->second.get());
        });
    }

    // Steps to `end`, saving the state where asked (a saved month, checkpoints).
    // `saved` is the last month saved, for a simulation advanced in several calls.
    void advance(const UnitRun& run, std::size_t k, Simulation& simulation, int end, bool recorded, int& saved) {
        const Scenario& scenario = run.window.scenarios[k];
        const auto save = [&](const std::string& path) {
            write_statepoint(path, Statepoint{scenario.name, scenario.toml, codev_version(), simulation.state()});
        };
        while (true) {
            const int month = simulation.world().month;
            const bool fresh = month != saved;
            saved = month;
            if (recorded && fresh && options_.save_month && month == *options_.save_month) {
                std::filesystem::create_directories(std::filesystem::path(options_.save_directory) / scenario.name);
                save(statepoint_file((std::filesystem::path(options_.save_directory) / scenario.name).string(),
                                     run.replicate));
            }
            if (recorded && fresh && options_.checkpoint_months > 0 && month > run.origin[k].month &&
                month < simulation.params().months && month % options_.checkpoint_months == 0)
                save(checkpoint_file(options_.checkpoint_directory, run.window.first + k, run.replicate));
            if (month >= std::min(end, scenario.params.months)) return;
            int next = end;
            if (options_.save_month && *options_.save_month > month) next = std::min(next, *options_.save_month);
            if (options_.checkpoint_months > 0)
                next = std::min(next, (month / options_.checkpoint_months + 1) * options_.checkpoint_months);
            step_to(simulation, next, recorded);
        }
    }

    void step_to(Simulation& simulation, int end, bool recorded) {
        const bool finished = simulation.run_to(end, [&] {
            if (abort_.load(std::memory_order_relaxed)) return true;
            if (!progress_) return false;
            // progress counts recorded months (the spin-up's are not) of the jobs asked for
            if (recorded && simulation.world().month >= 0)
                progress_->months_done.fetch_add(1, std::memory_order_relaxed);
            return progress_->stop.load(std::memory_order_relaxed);
        });
        if (!finished) throw Interrupted("run interrupted");
    }

    const JobPlan& plan_;
    const std::vector<Job>& jobs_;
    const RunnerOptions& options_;
    RunProgress* progress_;
    const JobSink& sink_;
    std::size_t window_size_ = 1;
    std::vector<Unit> units_;
    std::vector<std::shared_ptr<const Window>> windows_;
    std::unique_ptr<std::once_flag[]> window_once_;
    std::unique_ptr<std::atomic<std::size_t>[]> window_units_;
    std::atomic<std::size_t> next_{0};
    std::atomic<bool> abort_{false};
    std::mutex mutex_;
    std::exception_ptr error_;
};

}  // namespace

void run_jobs(const JobPlan& plan, const std::vector<Job>& jobs, const RunnerOptions& options, RunProgress* progress,
              const JobSink& sink) {
    if (!jobs.empty()) JobLoop(plan, jobs, options, progress, sink).run();
}

}  // namespace codev
