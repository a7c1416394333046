// Statepoint files (docs/statepoints.md): the columns of state_fields.hpp,
// one HDF5 dataset each, and the run's identity in the file's attributes.
#include "codev/state/statepoint.hpp"

#include <unistd.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <type_traits>

#include "../results/hdf5_file.hpp"
#include "codev/scenario/scenario.hpp"
#include "codev/state/fork.hpp"
#include "codev/version.hpp"
#include "state_fields.hpp"

namespace codev {

namespace fs = std::filesystem;

namespace {

// How a C++ element is stored: enums as their underlying type, bool as
// uint8, std::array<T, N> as N columns of T (a second axis).
template <class T, class = void>
struct Stored {
    using type = T;
    static constexpr std::size_t width = 1;
};
template <class T>
struct Stored<T, std::enable_if_t<std::is_enum_v<T>>> {
    using type = std::underlying_type_t<T>;
    static constexpr std::size_t width = 1;
};
template <>
struct Stored<bool> {
    using type = std::uint8_t;
    static constexpr std::size_t width = 1;
};
template <class T, std::size_t N>
struct Stored<std::array<T, N>> {
    using type = T;
    static constexpr std::size_t width = N;
};

template <class S>
const char* type_name() {
    if constexpr (std::is_same_v<S, float>) return "float32";
    if constexpr (std::is_same_v<S, double>) return "float64";
    if constexpr (std::is_same_v<S, std::int8_t>) return "int8";
    if constexpr (std::is_same_v<S, std::uint8_t>) return "uint8";
    if constexpr (std::is_same_v<S, std::int32_t>) return "int32";
    if constexpr (std::is_same_v<S, std::uint32_t>) return "uint32";
    if constexpr (std::is_same_v<S, std::int64_t>) return "int64";
    if constexpr (std::is_same_v<S, std::uint64_t>) return "uint64";
}

template <class T>
void flatten(const T& value, std::vector<typename Stored<T>::type>& out) {
    if constexpr (Stored<T>::width > 1)
        out.insert(out.end(), value.begin(), value.end());
    else
        out.push_back(static_cast<typename Stored<T>::type>(value));
}

template <class T>
T unflatten(const typename Stored<T>::type* in) {
    if constexpr (Stored<T>::width > 1) {
        T value{};
        std::copy(in, in + Stored<T>::width, value.begin());
        return value;
    } else {
        return static_cast<T>(in[0]);
    }
}

class Writer {
  public:
    explicit Writer(hdf5::File& file) : file_(file) {}

    template <class T>
    void operator()(const char* name, const std::vector<T>& values) {
        std::vector<typename Stored<T>::type> out;
        out.reserve(values.size() * Stored<T>::width);
        for (const T& v : values) flatten(v, out);
        write<T>(name, values.size(), out);
    }
    template <class Row, class T>
    void operator()(const char* name, const std::vector<Row>& rows, state::Column<Row, T> column) {
        std::vector<typename Stored<T>::type> out;
        out.reserve(rows.size());
        for (const Row& r : rows) flatten(r.*column.member, out);
        write<T>(name, rows.size(), out);
    }
    void ragged(const char* name, const std::vector<ProgrammeState>& programmes) {
        std::vector<std::int64_t> values, lengths;
        for (const ProgrammeState& p : programmes) {
            values.insert(values.end(), p.businesses.begin(), p.businesses.end());
            lengths.push_back(std::int64_t(p.businesses.size()));
        }
        write<std::int64_t>(name, values.size(), values);
        write<std::int64_t>((std::string(name) + "_length").c_str(), lengths.size(), lengths);
    }

  private:
    template <class T>
    void write(const char* name, std::size_t rows, const std::vector<typename Stored<T>::type>& out) {
        std::vector<hsize_t> shape{hsize_t(rows)};
        if (Stored<T>::width > 1) shape.push_back(Stored<T>::width);
        file_.create_dataset<typename Stored<T>::type>(name, shape, hdf5::Layout{}).write(out);
    }
    hdf5::File& file_;
};

class Reader {
  public:
    Reader(const hdf5::File& file, const std::string& path) : file_(file), path_(path) {}

    template <class T>
    void operator()(const char* name, std::vector<T>& values) {
        const auto in = read<T>(name);
        values.resize(in.size() / Stored<T>::width);
        for (std::size_t i = 0; i < values.size(); ++i) values[i] = unflatten<T>(&in[i * Stored<T>::width]);
    }
    template <class Row, class T>
    void operator()(const char* name, std::vector<Row>& rows, state::Column<Row, T> column) {
        const auto in = read<T>(name);
        // The first column of a struct sizes it; the others must agree.
        if (rows.empty()) rows.resize(in.size());
        if (in.size() != rows.size())
            fail(std::string(name) + " has " + std::to_string(in.size()) + " rows, its table " +
                 std::to_string(rows.size()));
        for (std::size_t i = 0; i < rows.size(); ++i) rows[i].*column.member = unflatten<T>(&in[i]);
    }
    void ragged(const char* name, std::vector<ProgrammeState>& programmes) {
        const auto values = read<std::int64_t>(name);
        const auto lengths = read<std::int64_t>((std::string(name) + "_length").c_str());
        if (lengths.size() != programmes.size()) fail(std::string(name) + "_length: one length per programme expected");
        std::size_t at = 0;
        for (std::size_t p = 0; p < programmes.size(); ++p) {
            if (lengths[p] < 0 || std::size_t(lengths[p]) > values.size() - at)
                fail(std::string(name) + "_length: lengths do not add up to the values");
            programmes[p].businesses.assign(values.begin() + std::ptrdiff_t(at),
                                            values.begin() + std::ptrdiff_t(at + std::size_t(lengths[p])));
            at += std::size_t(lengths[p]);
        }
        if (at != values.size()) fail(std::string(name) + "_length: lengths do not add up to the values");
    }
    [[noreturn]] void fail(const std::string& what) const {
        throw StatepointError("statepoint '" + path_ + "' is damaged: " + what);
    }

  private:
    template <class T>
    std::vector<typename Stored<T>::type> read(const char* name) {
        using S = typename Stored<T>::type;
        if (!file_.has_dataset(name)) fail(std::string("no variable '") + name + "'");
        const hdf5::Dataset d = file_.open_dataset(name);
        if (d.type_name() != type_name<S>())
            fail(std::string("'") + name + "' is " + d.type_name() + ", not " + type_name<S>());
        const auto shape = d.shape();
        const std::size_t rank = Stored<T>::width > 1 ? 2 : 1;
        if (shape.size() != rank || (rank == 2 && shape[1] != Stored<T>::width))
            fail(std::string("'") + name + "' does not have the shape of its field");
        auto values = d.read<S>();
        if constexpr (std::is_floating_point_v<S>)
            for (S v : values)
                if (!std::isfinite(v)) fail(std::string("'") + name + "' holds a value that is not finite");
        return values;
    }
    const hdf5::File& file_;
    const std::string& path_;
};

// Every index of the world points inside what it indexes, so that a damaged
// file is refused here rather than read out of bounds later.
void check_world(const World& w, const Reader& reader) {
    auto require = [&](bool ok, const std::string& what) {
        if (!ok) reader.fail(what);
    };
    auto same_size = [&](std::size_t expected, std::size_t size, const std::string& what) {
        require(size == expected, what + " has " + std::to_string(size) + " entries, not " + std::to_string(expected));
    };
    auto in_range = [&](const auto& values, std::int64_t low, std::int64_t high, const std::string& what) {
        for (const auto v : values)
            if (std::int64_t(v) < low || std::int64_t(v) >= high)
                reader.fail(what + " holds " + std::to_string(std::int64_t(v)) + ", outside " + std::to_string(low) +
                            " to " + std::to_string(high - 1));
    };
    const Migrants& m = w.migrants;
    const std::size_t slots = m.size(), associations = w.associations.size(), communes = w.communes.size();
    for (std::size_t n : {m.base_income_xof.size(), m.propensity.size(), m.trust.size(), m.association.size(),
                          m.corridor.size(), m.flags.size(), w.free_slots.size()})
        same_size(slots, n, "a migrants column");
    const Associations& a = w.associations;
    for (std::size_t n :
         {a.treasury_xof.size(), a.dues_xof.size(), a.registered.size(), a.created_month.size(), a.status.size(),
          a.status_since.size(), a.last_active_month.size(), a.stage.size(), a.project.size(), a.under_way.size(),
          a.stalled.size(), a.members.size(), a.raising_multiplier.size(), a.treasury_before.size(),
          a.inflow_xof.size(), a.completed_total.size(), a.failed_total.size(), w.joinable.size()})
        same_size(associations, n, "an associations column");
    const Communes& c = w.communes;
    for (std::size_t n :
         {c.region.size(), c.risk.size(), c.cofinancing_budget_xof_per_year.size(), c.cofinancing_left_xof.size(),
          c.served.size(), c.served_initial.size(), c.joinable_count.size(), c.migrants.size(),
          c.departures_made.size(), w.free_count.size(), w.tally.size()})
        same_size(communes, n, "a communes column");
    same_size(communes + 1, c.first_slot.size(), "communes.first_slot");
    same_size(communes + 1, c.first_association.size(), "communes.first_association");
    require(c.first_slot.front() == 0 && std::size_t(c.first_slot.back()) == slots &&
                std::is_sorted(c.first_slot.begin(), c.first_slot.end()),
            "communes.first_slot does not divide the migrants' slots among the communes");
    require(c.first_association.front() == 0 && std::size_t(c.first_association.back()) == associations &&
                std::is_sorted(c.first_association.begin(), c.first_association.end()),
            "communes.first_association does not divide the associations among the communes");
    for (std::size_t k = 0; k < communes; ++k) {
        require(w.free_count[k] >= 0 && w.free_count[k] <= c.first_slot[k + 1] - c.first_slot[k],
                "free_count exceeds a commune's slots");
        require(c.joinable_count[k] >= 0 && c.joinable_count[k] <= c.first_association[k + 1] - c.first_association[k],
                "communes.joinable_count exceeds a commune's associations");
    }
    in_range(m.association, NO_ASSOCIATION, std::int64_t(associations), "migrants.association");
    in_range(w.free_slots, 0, std::int64_t(std::max<std::size_t>(slots, 1)), "free_slots");
    in_range(w.joinable, 0, std::int64_t(std::max<std::size_t>(associations, 1)), "joinable");
    in_range(a.commune, 0, std::int64_t(communes), "associations.commune");
    in_range(a.project, -1, std::int64_t(w.projects.size()), "associations.project");
    std::vector<int> status, stage;
    for (Status s : a.status) status.push_back(int(s));
    for (Stage s : a.stage) stage.push_back(int(s));
    in_range(status, 0, int(Status::dissolved) + 1, "associations.status");
    in_range(stage, 0, int(Stage::implementing) + 1, "associations.stage");
    for (const Project& p : w.projects) {
        require(p.association >= 0 && std::size_t(p.association) < associations, "a project's association");
        require(p.commune >= 0 && std::size_t(p.commune) < communes, "a project's commune");
        require(int(p.sector) < SECTOR_COUNT, "a project's sector");
        require(p.state <= ProjectState::dropped, "a project's state");
        require(p.programme >= -1 && p.programme < std::int64_t(w.programmes.size()), "a project's programme");
    }
}

void check_record(const JobRecord& r, const Reader& reader) {
    JobRecord shape;
    shape.resize(r.months, r.communes, r.programmes, r.rules);
    const bool ok = r.monthly.size() == shape.monthly.size() &&
                    r.sector_monthly.size() == shape.sector_monthly.size() &&
                    r.mean_trust.size() == shape.mean_trust.size() &&
                    r.idea_to_completion_months.size() == shape.idea_to_completion_months.size() &&
                    r.completed_value.size() == shape.completed_value.size() &&
                    r.yearly_people_served.size() == shape.yearly_people_served.size() &&
                    r.yearly_projects_operating.size() == shape.yearly_projects_operating.size() &&
                    r.yearly_population.size() == shape.yearly_population.size() &&
                    r.programme_monthly.size() == shape.programme_monthly.size() &&
                    r.programme_completed.size() == shape.programme_completed.size() &&
                    r.rule_fired.size() == shape.rule_fired.size();
    if (!ok) reader.fail("the record's variables do not have the sizes of its months, communes and programmes");
}

}  // namespace

void write_statepoint(const std::string& path, const Statepoint& statepoint) {
    try {
        check_writable(path);
    } catch (const ResultsError& e) {
        throw StatepointError(std::string("cannot write the statepoint: ") + e.what());
    }
    const std::string temporary = path + ".tmp-" + std::to_string(getpid());
    try {
        hdf5::File file = hdf5::File::create(temporary);
        const World& w = statepoint.state.world;
        const JobRecord& r = statepoint.state.record;
        file.set_attribute("codev_statepoint_format", std::int32_t(STATEPOINT_FORMAT_VERSION));
        file.set_attribute("codev_version", statepoint.model_version);
        file.set_attribute("scenario", statepoint.scenario_name);
        file.set_attribute("scenario_toml", statepoint.scenario_toml);
        file.set_attribute("seed", w.key.seed);
        file.set_attribute("replicate", std::uint32_t(w.key.replicate));
        file.set_attribute("month", std::int32_t(w.month));
        file.set_attribute("record_months", std::int32_t(r.months));
        file.set_attribute("record_communes", std::int32_t(r.communes));
        file.set_attribute("record_programmes", std::int32_t(r.programmes));
        file.set_attribute("record_rules", std::int32_t(r.rules));
        Writer writer(file);
        state::visit_world(w, writer);
        state::visit_record(r, writer);
        file.close();
        std::error_code error;
        fs::rename(temporary, path, error);
        if (error) throw ResultsError("cannot rename '" + temporary + "': " + error.message());
    } catch (const ResultsError& e) {
        std::error_code ignored;
        fs::remove(temporary, ignored);
        throw StatepointError("cannot write the statepoint '" + path + "': " + e.what());
    }
}

namespace {

// Opens a statepoint and reads its attributes; `with_state` reads the state too.
Statepoint read(const std::string& path, bool with_state) {
    std::error_code error;
    if (!fs::is_regular_file(path, error))
        throw StatepointError("cannot read the statepoint '" + path +
                              "': " + (fs::exists(path, error) ? "it is not a regular file" : "no such file"));
    if (!hdf5::File::is_hdf5(path))
        throw StatepointError("cannot read the statepoint '" + path + "': it is not an HDF5 file");
    try {
        const hdf5::File file = hdf5::File::open_read_only(path);
        Reader reader(file, path);
        if (!file.has_attribute("codev_statepoint_format"))
            throw StatepointError("'" + path + "' is not a codev statepoint (no codev_statepoint_format attribute)");
        const int format = file.numeric_attribute<std::int32_t>("codev_statepoint_format");
        if (format != STATEPOINT_FORMAT_VERSION)
            throw StatepointError("statepoint '" + path + "' has format " + std::to_string(format) +
                                  "; this codev reads format " + std::to_string(STATEPOINT_FORMAT_VERSION));
        Statepoint sp;
        sp.model_version = file.string_attribute("codev_version");
        sp.scenario_name = file.string_attribute("scenario");
        sp.scenario_toml = file.string_attribute("scenario_toml");
        World& w = sp.state.world;
        JobRecord& r = sp.state.record;
        w.key.seed = file.numeric_attribute<std::uint64_t>("seed");
        w.key.replicate = file.numeric_attribute<std::uint32_t>("replicate");
        w.month = file.numeric_attribute<std::int32_t>("month");
        r.months = file.numeric_attribute<std::int32_t>("record_months");
        r.communes = file.numeric_attribute<std::int32_t>("record_communes");
        r.programmes = file.numeric_attribute<std::int32_t>("record_programmes");
        r.rules = file.numeric_attribute<std::int32_t>("record_rules");
        if (r.months < 0 || r.communes < 0 || r.programmes < 0 || r.rules < 0 || r.months > 1000000 ||
            r.programmes > 127 || r.rules > 1000)
            reader.fail("the record's months, communes, programmes or rules are out of range");
        r.years = (r.months + 11) / 12;
        if (!with_state) return sp;
        state::visit_world(w, reader);
        state::visit_record(r, reader);
        check_world(w, reader);
        check_record(r, reader);
        if (w.rules.size() != std::size_t(r.rules)) reader.fail("the rules' states do not match the record's rules");
        // The month scratch the first process rebuilds, sized as a world's.
        w.associations.completed_now.assign(w.associations.size(), 0);
        w.associations.abandoned_now.assign(w.associations.size(), 0);
        w.communes.completed_now.assign(w.communes.size(), 0);
        w.communes.abandoned_now.assign(w.communes.size(), 0);
        return sp;
    } catch (const ResultsError& e) {
        throw StatepointError("cannot read the statepoint '" + path + "': " + e.what());
    }
}

}  // namespace

Statepoint read_statepoint(const std::string& path) { return read(path, true); }

Statepoint read_statepoint_header(const std::string& path) { return read(path, false); }

void check_state_fits(const SimulationState& state, const Params& params, const std::string& where) {
    const World& w = state.world;
    const JobRecord& r = state.record;
    const std::size_t communes = params.communes.empty() ? std::size_t(params.world.communes) : params.communes.size();
    auto fail = [&](const std::string& what) { throw StatepointError(where + ": " + what); };
    if (w.communes.size() != communes)
        fail("it has " + std::to_string(w.communes.size()) + " communes, the scenario " + std::to_string(communes));
    if (r.months != params.months)
        fail("it was made for " + std::to_string(r.months) + " months, the scenario runs " +
             std::to_string(params.months));
    if (w.month < -params.spinup_months || w.month > params.months)
        fail("its month " + std::to_string(w.month) + " is outside the scenario's run");
    if (w.programmes.size() != params.programmes.size() || std::size_t(r.programmes) != params.programmes.size())
        fail("it has " + std::to_string(w.programmes.size()) + " programmes, the scenario " +
             std::to_string(params.programmes.size()));
    if (w.rules.size() != params.rules.size() || std::size_t(r.rules) != params.rules.size())
        fail("it has " + std::to_string(w.rules.size()) + " rules, the scenario " +
             std::to_string(params.rules.size()));
    for (std::uint8_t k : w.migrants.corridor)
        if (k >= params.corridors.size()) fail("a migrant's corridor is not one of the scenario's");
}

}  // namespace codev

namespace codev {

std::string statepoint_file(const std::string& directory, int replicate) {
    char name[32];
    std::snprintf(name, sizeof name, "r%04d.h5", replicate);
    return (fs::path(directory) / name).string();
}

StartStates open_start_states(const std::string& directory, int replicates) {
    std::error_code error;
    if (!fs::is_directory(directory, error))
        throw StatepointError("--from: '" + directory + "' is not a directory of statepoints (codev run --save-state)");
    StartStates states;
    states.directory = directory;
    if (!fs::exists(statepoint_file(directory, 0), error)) {
        // A --state-dir holds one directory per scenario: name the ones there.
        std::string scenarios;
        for (const auto& entry : fs::directory_iterator(directory, error))
            if (fs::exists(statepoint_file(entry.path().string(), 0), error))
                scenarios += (scenarios.empty() ? "" : ", ") + entry.path().string();
        if (!scenarios.empty())
            throw StatepointError("--from: '" + directory +
                                  "' holds the statepoints of several scenarios; give one: " + scenarios);
    }
    for (int r = 0; r < replicates; ++r) {
        const std::string path = statepoint_file(directory, r);
        if (!fs::exists(path, error))
            throw StatepointError("--from: '" + directory + "' has no statepoint of replicate " + std::to_string(r) +
                                  " (" + path + "): it holds fewer replicates than the " + std::to_string(replicates) +
                                  " asked for");
        const Statepoint sp = read_statepoint_header(path);
        if (int(sp.state.world.key.replicate) != r)
            throw StatepointError("--from: '" + path + "' holds replicate " +
                                  std::to_string(sp.state.world.key.replicate) + ", not " + std::to_string(r));
        if (r == 0) {
            states.scenario_name = sp.scenario_name;
            states.month = sp.state.world.month;
            states.seed = sp.state.world.key.seed;
            try {
                states.params = parse_scenario(sp.scenario_toml, sp.scenario_name, path, ".").params;
            } catch (const ScenarioError& e) {
                throw StatepointError("--from: the scenario stored in '" + path + "' does not load: " + e.what());
            }
        } else if (sp.scenario_name != states.scenario_name || sp.state.world.month != states.month ||
                   sp.state.world.key.seed != states.seed) {
            throw StatepointError("--from: '" + path + "' is not of the same scenario, month and seed as '" +
                                  statepoint_file(directory, 0) + "'");
        }
        states.files.push_back(path);
    }
    return states;
}

void check_continues(const StartStates& states, const Params& params, const std::string& name) {
    const int differs = first_difference_month(states.params, params);
    if (differs < states.month)
        throw StatepointError("--from: scenario '" + name + "' acts differently from '" + states.scenario_name +
                              "', whose statepoints it would continue, from month " + std::to_string(differs) +
                              ", before their month " + std::to_string(states.month) +
                              " (only what starts at or after it may differ: programmes, shocks, fee paths)");
}

}  // namespace codev
