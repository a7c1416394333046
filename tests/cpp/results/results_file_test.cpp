// The results file (docs/results-format.md): round trip, the temp-then-rename
// guarantee, describe_results, and a clear ResultsError for every bad file.
#include "codev/results/results_file.hpp"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "codev/version.hpp"
#include "results/hdf5_file.hpp"
#include "sample_results.hpp"
#include "temporary_directory.hpp"

namespace fs = std::filesystem;
using Catch::Matchers::Contains;
using codev::EnsembleResults;
using codev::ResultsError;

namespace {

using codev::testing::TemporaryDirectory;

void require_same_record(const codev::JobRecord& a, const codev::JobRecord& b) {
    REQUIRE(a.months == b.months);
    REQUIRE(a.years == b.years);
    REQUIRE(a.communes == b.communes);
    REQUIRE(a.monthly == b.monthly);
    REQUIRE(a.sector_monthly == b.sector_monthly);
    REQUIRE(a.mean_trust == b.mean_trust);  // exact: float64 on disk, no arithmetic
    REQUIRE(a.idea_to_completion_months == b.idea_to_completion_months);
    REQUIRE(a.completed_value == b.completed_value);
    REQUIRE(a.yearly_people_served == b.yearly_people_served);
    REQUIRE(a.yearly_projects_operating == b.yearly_projects_operating);
    REQUIRE(a.yearly_population == b.yearly_population);
    REQUIRE(a.programmes == b.programmes);
    REQUIRE(a.programme_monthly == b.programme_monthly);
    REQUIRE(a.programme_completed == b.programme_completed);
}

void require_same_results(const EnsembleResults& a, const EnsembleResults& b) {
    REQUIRE(a.replicates == b.replicates);
    REQUIRE(a.months == b.months);
    REQUIRE(a.seed == b.seed);
    REQUIRE(a.command_line == b.command_line);
    REQUIRE(a.scenarios.size() == b.scenarios.size());
    for (std::size_t s = 0; s < a.scenarios.size(); ++s) {
        const codev::ScenarioInfo &x = a.scenarios[s], &y = b.scenarios[s];
        REQUIRE(x.name == y.name);
        REQUIRE(x.toml == y.toml);
        REQUIRE(x.start_date == y.start_date);
        REQUIRE(x.commune_population == y.commune_population);
        REQUIRE(x.commune_region == y.commune_region);
        REQUIRE(x.commune_names == y.commune_names);
        REQUIRE(x.programme_names == y.programme_names);
        REQUIRE(x.programme_funders == y.programme_funders);
    }
    REQUIRE(a.records.size() == b.records.size());
    for (std::size_t j = 0; j < a.records.size(); ++j) require_same_record(a.records[j], b.records[j]);
}

// Files that are HDF5 but not (complete, current) codev results, made with
// the project's HDF5 wrapper: `stamp` says which root attributes to write.
enum class Stamp { nothing, filetype_only, newer_format };

void write_foreign_hdf5(const std::string& path, Stamp stamp) {
    codev::hdf5::File file = codev::hdf5::File::create(path);
    if (stamp != Stamp::nothing) file.set_attribute("filetype", "codev-results");
    if (stamp == Stamp::filetype_only)
        file.set_attribute("format_version", std::int32_t{codev::RESULTS_FORMAT_VERSION});
    if (stamp == Stamp::newer_format) {
        file.set_attribute("format_version", std::int32_t{codev::RESULTS_FORMAT_VERSION + 1});
        file.set_attribute("complete", std::int32_t{1});
    }
    file.close();
}

void require_both_fail(const std::string& path, const std::string& message) {
    REQUIRE_THROWS_WITH(codev::read_results(path), Contains(message));
    REQUIRE_THROWS_WITH(codev::describe_results(path), Contains(message));
}

}  // namespace

TEST_CASE("A written results file reads back equal to what was written", "[results_file]") {
    TemporaryDirectory dir("results-test");
    const EnsembleResults written = codev::testing::sample_ensemble();
    codev::write_results(written, dir.file("results.h5"));
    const EnsembleResults read = codev::read_results(dir.file("results.h5"));
    require_same_results(written, read);
    // Spot checks against the formulas, in case writer and reader share a mistake.
    REQUIRE(read.records[5].at(17, codev::Series::remit_formal) == codev::testing::sample_monthly(1, 2, 17, 3));
    REQUIRE(read.records[1].at(23, codev::SectorSeries::people_served, 4) ==
            codev::testing::sample_sector(0, 1, 23, 5, 4));
    REQUIRE(read.records[3].months == 18);
    REQUIRE(read.scenarios[0].commune_names[1] == "Thiès");
    REQUIRE(read.scenarios[1].commune_names.empty());
    REQUIRE(read.scenarios[1].programme_funders == std::vector<std::string>{"france"});
    REQUIRE(read.records[4].at(17, 0, codev::ProgrammeSeries::loan_disbursed) ==
            codev::testing::sample_programme(1, 1, 17, 0, 2));
    REQUIRE(read.records[0].programmes == 0);
}

TEST_CASE("A successful write leaves only the final file, no temporary", "[results_file]") {
    TemporaryDirectory dir("results-test");
    codev::write_results(codev::testing::sample_ensemble(), dir.file("results.h5"));
    REQUIRE(fs::exists(dir.file("results.h5")));
    REQUIRE(dir.entries() == 1);
}

TEST_CASE("Writing over an existing file replaces it whole", "[results_file]") {
    TemporaryDirectory dir("results-test");
    EnsembleResults results = codev::testing::sample_ensemble();
    codev::write_results(results, dir.file("results.h5"));
    results.seed = 7;
    codev::write_results(results, dir.file("results.h5"));
    REQUIRE(codev::read_results(dir.file("results.h5")).seed == 7);
    REQUIRE(dir.entries() == 1);
}

TEST_CASE("A failed write leaves no file under the final name", "[results_file]") {
    TemporaryDirectory dir("results-test");
    SECTION("the directory does not exist") {
        const std::string path = dir.file("missing/results.h5");
        REQUIRE_THROWS_WITH(codev::write_results(codev::testing::sample_ensemble(), path), Contains("does not exist"));
        REQUIRE_FALSE(fs::exists(path));
    }
    SECTION("the records do not match the scenarios") {
        EnsembleResults results = codev::testing::sample_ensemble();
        results.records.pop_back();
        REQUIRE_THROWS_AS(codev::write_results(results, dir.file("results.h5")), ResultsError);
        REQUIRE(dir.entries() == 0);
    }
    SECTION("a record is sized for the wrong horizon") {
        EnsembleResults results = codev::testing::sample_ensemble();
        results.records[4].resize(12, 2);
        REQUIRE_THROWS_WITH(codev::write_results(results, dir.file("results.h5")),
                            Contains("scenario 'reform' replicate 1"));
        REQUIRE(dir.entries() == 0);
    }
}

TEST_CASE("check_writable names the problem with the output path", "[results_file]") {
    TemporaryDirectory dir("results-test");
    REQUIRE_NOTHROW(codev::check_writable(dir.file("results.h5")));
    REQUIRE_THROWS_WITH(codev::check_writable(dir.file("nowhere/results.h5")),
                        Contains("directory '" + dir.file("nowhere") + "' does not exist"));
    REQUIRE_THROWS_WITH(codev::check_writable(dir.path.string()), Contains("is a directory"));
    if (geteuid() != 0) {  // root may write anywhere
        fs::create_directory(dir.path / "locked");
        fs::permissions(dir.path / "locked", fs::perms::owner_read | fs::perms::owner_exec);
        REQUIRE_THROWS_WITH(codev::check_writable(dir.file("locked/results.h5")), Contains("is not writable"));
        fs::permissions(dir.path / "locked", fs::perms::owner_all);
    }
}

TEST_CASE("describe_results summarises provenance, scenarios and variables", "[results_file]") {
    TemporaryDirectory dir("results-test");
    codev::write_results(codev::testing::sample_ensemble(), dir.file("results.h5"));
    const std::string text = codev::describe_results(dir.file("results.h5"));
    CHECK_THAT(text, Contains("format version  " + std::to_string(codev::RESULTS_FORMAT_VERSION)));
    CHECK_THAT(text, Contains(std::string("codev version   ") + codev::codev_version()));
    CHECK_THAT(text, Contains("seed            12345678901234567890"));
    CHECK_THAT(text, Contains("replicates      3"));
    CHECK_THAT(text, Contains("codev run baseline.toml reform.toml --replicates 3"));
    CHECK_THAT(text, Contains("baseline  24 months, 3 communes"));
    CHECK_THAT(text, Contains("reform    18 months, 2 communes"));
    CHECK_THAT(text, Contains("(scenario, replicate, month)  [XOF]"));
    CHECK_THAT(text, Contains("(scenario, replicate, year, commune, sector)  [1]"));
    CHECK_THAT(text, Contains("time "));
}

TEST_CASE("The time coordinate is written only when all scenarios share a start date", "[results_file]") {
    TemporaryDirectory dir("results-test");
    EnsembleResults results = codev::testing::sample_ensemble();
    results.scenarios[1].start_date = "2030-01-01";
    codev::write_results(results, dir.file("results.h5"));
    REQUIRE_THAT(codev::describe_results(dir.file("results.h5")), !Contains("\n  time "));
    REQUIRE(codev::read_results(dir.file("results.h5")).scenarios[1].start_date == "2030-01-01");
}

TEST_CASE("Bad results files give a clear ResultsError, never a crash", "[results_file]") {
    TemporaryDirectory dir("results-test");
    SECTION("missing") { require_both_fail(dir.file("absent.h5"), "does not exist"); }
    SECTION("not HDF5") {
        std::ofstream(dir.file("notes.h5")) << "not HDF5 at all\n";
        require_both_fail(dir.file("notes.h5"), "is not an HDF5 file");
    }
    SECTION("HDF5 but not codev's") {
        write_foreign_hdf5(dir.file("other.h5"), Stamp::nothing);
        require_both_fail(dir.file("other.h5"), "not a codev results file");
    }
    SECTION("not closed properly") {
        write_foreign_hdf5(dir.file("half.h5"), Stamp::filetype_only);
        require_both_fail(dir.file("half.h5"), "was not closed properly");
    }
    SECTION("written by a newer codev") {
        write_foreign_hdf5(dir.file("new.h5"), Stamp::newer_format);
        require_both_fail(dir.file("new.h5"),
                          "written by a newer codev (format " + std::to_string(codev::RESULTS_FORMAT_VERSION + 1) +
                              "); this build reads format " + std::to_string(codev::RESULTS_FORMAT_VERSION));
    }
    SECTION("truncated") {
        codev::write_results(codev::testing::sample_ensemble(), dir.file("results.h5"));
        fs::resize_file(dir.file("results.h5"), fs::file_size(dir.file("results.h5")) / 2);
        REQUIRE_THROWS_AS(codev::read_results(dir.file("results.h5")), ResultsError);
    }
}

TEST_CASE("The streaming writer writes the file write_results writes, scenario by scenario", "[results_file]") {
    TemporaryDirectory dir("results-test");
    const EnsembleResults written = codev::testing::sample_ensemble();
    codev::write_results(written, dir.file("whole.h5"));
    codev::ResultsOutline outline;
    outline.scenarios = {"baseline", "reform"};
    outline.start_dates = {"2024-01-31", "2024-01-31"};
    outline.replicates = 3;
    outline.months = 24;
    outline.communes = 3;
    outline.programmes = 1;
    outline.rules = 1;
    outline.seed = written.seed;
    outline.command_line = written.command_line;
    std::vector<std::size_t> asked;
    codev::write_results(
        outline,
        [&](std::size_t s) {
            asked.push_back(s);
            const auto first = written.records.begin() + std::ptrdiff_t(3 * s);
            return codev::ScenarioRecords{written.scenarios[s], {first, first + 3}};
        },
        dir.file("streamed.h5"));
    CHECK(asked == std::vector<std::size_t>{0, 1});
    require_same_results(codev::read_results(dir.file("whole.h5")), codev::read_results(dir.file("streamed.h5")));
    const std::string whole = codev::describe_results(dir.file("whole.h5"));
    const std::string streamed = codev::describe_results(dir.file("streamed.h5"));
    CHECK(whole.substr(whole.find("scenarios (")) == streamed.substr(streamed.find("scenarios (")));
}

TEST_CASE("Sweep factors are coordinates along scenario and read back with the outline", "[results_file]") {
    TemporaryDirectory dir("results-test");
    EnsembleResults results = codev::testing::sample_ensemble();
    codev::ResultsOutline outline;
    outline.scenarios = {"baseline", "reform"};
    outline.start_dates = {"2024-01-31", "2024-01-31"};
    outline.replicates = 2;
    outline.first_replicate = 1;  // a shard holding replicates 1 and 2
    outline.months = 24;
    outline.communes = 3;
    outline.programmes = 1;
    outline.rules = 1;
    outline.factors = {{"programmes.codev.share", "share of cost", "public share", std::vector<double>{0.5, 0.9}},
                       {"world.migrants", "people", "migrants", std::vector<std::int64_t>{1000, 2000}},
                       {"programmes.codev.rule", "1", "rule", std::vector<std::string>{"share", "ratio"}}};
    codev::write_results(
        outline,
        [&](std::size_t s) {
            const auto first = results.records.begin() + std::ptrdiff_t(3 * s + 1);
            return codev::ScenarioRecords{results.scenarios[s], {first, first + 2}};
        },
        dir.file("sweep.h5"));
    const codev::ResultsOutline read = codev::read_outline(dir.file("sweep.h5"));
    CHECK(read.scenarios == outline.scenarios);
    CHECK(read.first_replicate == 1);
    CHECK(read.replicates == 2);
    REQUIRE(read.factors.size() == 3);
    CHECK(read.factors[0].key == "programmes.codev.share");
    CHECK(read.factors[0].units == "share of cost");
    CHECK(std::get<std::vector<double>>(read.factors[0].values) == std::vector<double>{0.5, 0.9});
    CHECK(std::get<std::vector<std::int64_t>>(read.factors[1].values) == std::vector<std::int64_t>{1000, 2000});
    CHECK(std::get<std::vector<std::string>>(read.factors[2].values) == std::vector<std::string>{"share", "ratio"});
    codev::hdf5::File file = codev::hdf5::File::open_read_only(dir.file("sweep.h5"));
    CHECK(file.string_attribute("factors") == "programmes.codev.share world.migrants programmes.codev.rule");
    CHECK(file.open_dataset("remit_formal").string_attribute("coordinates") ==
          "time programmes__codev__share world__migrants programmes__codev__rule");
    CHECK(file.open_dataset("programmes__codev__share").string_attribute("factor") == "programmes.codev.share");
    // A record of the wrong replicate count is refused, naming the scenario.
    REQUIRE_THROWS_WITH(codev::write_results(
                            outline,
                            [&](std::size_t s) {
                                return codev::ScenarioRecords{results.scenarios[s], {results.records[0]}};
                            },
                            dir.file("bad.h5")),
                        Contains("scenario 'baseline': 1 job records for 2 replicates"));
    CHECK_FALSE(fs::exists(dir.file("bad.h5")));
}
