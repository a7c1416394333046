// Tests of scenario loading, validation and writing (model/scenario*.cpp).
#include "codev/scenario/scenario.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "codev/scenario/input_file.hpp"

namespace fs = std::filesystem;
using codev::ScenarioError;

namespace {

const std::string SOURCE_DIR = CODEV_SOURCE_DIR;

std::string scenario_path(const std::string& stem) { return SOURCE_DIR + "/scenarios/" + stem + ".toml"; }

std::vector<std::string> files_in(const std::string& dir, const std::string& extension) {
    std::vector<std::string> out;
    for (const auto& entry : fs::directory_iterator(dir))
        if (entry.is_regular_file() && entry.path().extension() == extension) out.push_back(entry.path().string());
    std::sort(out.begin(), out.end());
    return out;
}

std::string error_of(const std::function<void()>& action) {
    try {
        action();
    } catch (const ScenarioError& e) {
        return e.what();
    }
    return "(no error)";
}

// The message without its "FILE:LINE: " location.
std::string without_location(const std::string& message) {
    const auto first = message.find(':');
    return message.substr(message.find(": ", first + 1) + 2);
}

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
    for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
        text.replace(at, from.size(), to);
    return text;
}

// First line of a bad input: "# expect: MESSAGE" (FILE and DIR stand for the
// file's path and directory; a trailing "..." matches any ending).
std::string expectation(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::string line;
    std::getline(in, line);
    const std::string tag = "# expect: ";
    REQUIRE(line.rfind(tag, 0) == 0);
    const std::string dir = fs::path(path).parent_path().string();
    return replace_all(replace_all(line.substr(tag.size()), "FILE", path), "DIR", dir);
}

}  // namespace

TEST_CASE("Every shipped scenario loads and names itself after its file", "[scenario]") {
    const auto files = files_in(SOURCE_DIR + "/scenarios", ".toml");
    REQUIRE(files.size() >= 6);
    for (const auto& file : files) {
        INFO(file);
        const auto s = codev::load_scenario(file);
        CHECK(s.name == fs::path(file).stem().string());
        CHECK(s.path == file);
        CHECK(s.toml == codev::params_to_toml(s.params));
    }
}

TEST_CASE("The baseline holds the Kayes figures of its comments", "[scenario]") {
    const auto p = codev::load_scenario(scenario_path("mali-kayes-baseline")).params;
    CHECK(p.months == 240);
    CHECK(p.world.migrants == 200000);
    CHECK(p.world.communes == 130);
    CHECK(p.communes.empty());  // synthetic communes, generated at init
    CHECK(p.programmes.empty());
    REQUIRE(p.corridors.size() == 5);
    // Corridors are ordered by name.
    CHECK(p.corridors[0].name == "cote_divoire");
    CHECK(p.corridors[1].name == "france");
    CHECK(p.corridors[1].share_of_migrants == 0.5);
    CHECK(p.corridors[1].formal_fee_pct == 0.065);
    double total = 0;
    for (const auto& c : p.corridors) total += c.share_of_migrants;
    CHECK(total == Approx(1.0));
    CHECK(p.sectors[static_cast<int>(codev::Sector::water)].weight == 0.30);
    CHECK(p.associations.size_mean == 100.0);
}

TEST_CASE("A child scenario overrides what it sets and inherits the rest", "[scenario][extends]") {
    const auto base = codev::load_scenario(scenario_path("mali-kayes-baseline"));
    const auto codev_70 = codev::load_scenario(scenario_path("codev-share-70"));
    REQUIRE(codev_70.params.programmes.size() == 1);
    const auto& g = codev_70.params.programmes[0];
    CHECK(g.name == "codev");
    CHECK(g.rule == codev::Rule::share);
    CHECK(g.share == 0.7);
    CHECK(g.commune_share == 0.2);
    CHECK(g.cap_xof == 30000000);
    CHECK_FALSE(g.technical_assistance.enabled);
    // Everything but the programme is the baseline's, except being the
    // baseline, its title and its description, which are the file's own.
    CHECK(base.params.baseline);
    CHECK_FALSE(codev_70.params.baseline);
    CHECK(codev_70.params.title.en != base.params.title.en);
    CHECK(codev_70.params.appraisal.discount_rate == base.params.appraisal.discount_rate);
    auto without_programme = codev_70.params;
    without_programme.programmes.clear();
    without_programme.baseline = true;
    without_programme.title = base.params.title;
    without_programme.description = base.params.description;
    CHECK(codev::params_to_toml(without_programme) == base.toml);

    // A grandchild adds a sub-table to the parent's programme, keeping the rest.
    const auto with_ta = codev::load_scenario(scenario_path("codev-with-ta")).params;
    REQUIRE(with_ta.programmes.size() == 1);
    CHECK(with_ta.programmes[0].technical_assistance.enabled);
    CHECK(with_ta.programmes[0].technical_assistance.cost_xof == 1500000);
    CHECK(with_ta.programmes[0].share == 0.7);
    CHECK(with_ta.programmes[0].cap_xof == 30000000);
}

TEST_CASE("Shipped policies and shocks read as written", "[scenario]") {
    const auto ratio = codev::load_scenario(scenario_path("three-for-one")).params.programmes.at(0);
    CHECK(ratio.rule == codev::Rule::ratio);
    CHECK(ratio.ratio == 3.0);
    const auto fees = codev::load_scenario(scenario_path("fee-cut-3pct")).params;
    CHECK(fees.formal_fee_pct.at(0) == 0.065);
    CHECK(fees.formal_fee_pct.at(30) == Approx(0.0475));
    CHECK(fees.formal_fee_pct.at(600) == 0.03);
    CHECK(fees.formal_fee_fixed_xof.empty());
    const auto shocked = codev::load_scenario(scenario_path("recession-shock")).params;
    REQUIRE(shocked.shocks.size() == 1);
    const auto& shock = shocked.shocks[0];
    CHECK(shock.kind == codev::ShockParams::Kind::host_recession);
    CHECK(shock.start_month == 24);
    CHECK(shock.end_month == 47);
    REQUIRE(shock.corridors.size() == 2);
    CHECK(shocked.corridors.at(static_cast<std::size_t>(shock.corridors[0])).name == "france");
    CHECK(shocked.corridors.at(static_cast<std::size_t>(shock.corridors[1])).name == "spain");
}

TEST_CASE("The resolved text of every shipped scenario reads back to the same parameters", "[scenario][roundtrip]") {
    for (const auto& file : files_in(SOURCE_DIR + "/scenarios", ".toml")) {
        INFO(file);
        const auto s = codev::load_scenario(file);
        const auto again = codev::parse_scenario(s.toml, s.name, "<resolved>", "");
        CHECK(again.toml == s.toml);
        CHECK(again.params.programmes.size() == s.params.programmes.size());
        CHECK(again.params.shocks.size() == s.params.shocks.size());
    }
}

TEST_CASE("Communes from a CSV are written inline and read back", "[scenario][communes]") {
    const auto s = codev::load_scenario(SOURCE_DIR + "/tests/data/with-communes.toml");
    const auto& p = s.params;
    REQUIRE(p.communes.size() == 3);
    CHECK(p.world.communes == 3);
    CHECK(p.world.regions == std::vector<std::string>{"Kayes", "Koulikoro"});
    CHECK(p.communes[0].name == "Kayes");
    CHECK(p.communes[0].population == 127368);
    CHECK(p.communes[1].risk == 1.2);
    CHECK(p.communes[2].region == 1);
    CHECK(p.communes[2].diaspora_weight == 1.25);
    CHECK(p.communes[2].cofinancing_budget_xof_per_year == 0);
    CHECK(p.months == 36);
    CHECK(s.toml.find("[[communes]]") != std::string::npos);
    const auto again = codev::parse_scenario(s.toml, "again", "<resolved>", "");
    CHECK(again.toml == s.toml);
    CHECK(again.params.communes.size() == 3);
    CHECK(again.params.world.regions == p.world.regions);
}

TEST_CASE("Scenario text parses from memory, with extends relative to a base directory", "[scenario]") {
    const std::string text = "extends = \"mali-kayes-baseline.toml\"\nmonths = 12\n";
    const auto s = codev::parse_scenario(text, "short", "<string>", SOURCE_DIR + "/scenarios");
    CHECK(s.name == "short");
    CHECK(s.path.empty());
    CHECK(s.params.months == 12);
    CHECK(s.params.world.migrants == 200000);
    CHECK(error_of([] { codev::parse_scenario("months = -1", "x", "<string>", ""); }) ==
          "<string>:1: months: -1 is out of range (allowed: 1 to 12000)");
}

TEST_CASE("A title, a description and the appraisal table are read, written back and checked", "[scenario]") {
    const std::string text = R"(extends = "codev-share-70.toml"
title = { en = "A \"quoted\" title", fr = "Un titre accentué" }
description = { en = "Two\nlines" }
[appraisal]
discount_rate = 0.1
benefit_xof_per_person_year = { water = 12000 }
benefit_range = [0.5, 1.5]
uncertain = { "associations.idea_rate" = [0.03, 0.08] }
)";
    const auto s = codev::parse_scenario(text, "titled", "<string>", SOURCE_DIR + "/scenarios");
    CHECK(s.params.title.en == "A \"quoted\" title");
    CHECK(s.params.title.fr == "Un titre accentué");
    CHECK(s.params.description.fr.empty());
    CHECK(s.params.appraisal.discount_rate == 0.1);
    CHECK(s.params.appraisal.benefit_xof_per_person_year[0] == 12000);  // water
    CHECK(s.params.appraisal.benefit_xof_per_person_year[1] == 5000);   // health: the baseline's
    // Tables merge through extends: the baseline's five ranges, idea_rate's now the child's.
    REQUIRE(s.params.appraisal.uncertain.size() == 5);
    const auto idea = std::find_if(s.params.appraisal.uncertain.begin(), s.params.appraisal.uncertain.end(),
                                   [](const auto& u) { return u.key == "associations.idea_rate"; });
    REQUIRE(idea != s.params.appraisal.uncertain.end());
    CHECK(idea->low == 0.03);
    CHECK(idea->high == 0.08);
    const auto again = codev::parse_scenario(s.toml, "titled", "<resolved>", "");
    CHECK(again.toml == s.toml);
    CHECK(again.params.title.en == s.params.title.en);
    // A child of a titled file has no title of its own until it says one.
    const auto child =
        codev::parse_scenario("extends = \"codev-share-70.toml\"", "child", "<string>", SOURCE_DIR + "/scenarios");
    CHECK(child.params.title.en.empty());
    CHECK(child.toml.find("\ntitle") == std::string::npos);
}

TEST_CASE("An override sets one dotted key and keeps the rest", "[scenario][override]") {
    const auto s = codev::load_scenario(scenario_path("codev-share-70"));
    const auto changed = codev::with_override(s, "programmes.codev.share", "0.5");
    CHECK(changed.params.programmes.at(0).share == 0.5);
    CHECK(changed.name == s.name);
    auto expected = s.params;
    expected.programmes[0].share = 0.5;
    CHECK(changed.toml == codev::params_to_toml(expected));

    CHECK(codev::with_override(s, "months", "120").params.months == 120);
    CHECK(codev::with_override(s, "corridors.france.wage_multiplier", "[[0, 1.0], [36, 0.95]]")
              .params.corridors.at(1)
              .wage_multiplier.at(36) == 0.95);
    CHECK(codev::with_override(s, "sectors.water.weight", "0.4").params.sectors[0].weight == 0.4);
    CHECK(codev::with_override(s, "world.initial_coverage.energy", "0.1").params.world.initial_coverage[3] == 0.1);

    const auto shocked = codev::load_scenario(scenario_path("recession-shock"));
    CHECK(codev::with_override(shocked, "shocks[0].end_month", "59").params.shocks.at(0).end_month == 59);
    CHECK(codev::with_override(shocked, "shocks.0.wage_multiplier", "0.9").params.shocks.at(0).wage_multiplier == 0.9);
}

TEST_CASE("An override is checked as if it were written in the file", "[scenario][override]") {
    const auto s = codev::load_scenario(scenario_path("codev-share-70"));
    const std::string in_file = SOURCE_DIR + "/tests/data/bad/share-out-of-range.toml";
    const std::string from_file = error_of([&] { codev::load_scenario(in_file); });
    const std::string from_override = error_of([&] { codev::with_override(s, "programmes.codev.share", "1.5"); });
    CHECK(from_override == "<override>:1: programmes.codev.share: 1.5 is out of range (allowed: 0 to 1)");
    CHECK(without_location(from_override) == without_location(from_file));

    CHECK(error_of([&] { codev::with_override(s, "behaviour.epsilonn", "0.3"); }) ==
          "<override>:1: behaviour.epsilonn: unknown key (did you mean 'behaviour.epsilon'?)");
    CHECK(error_of([&] { codev::with_override(s, "associations.dues_xof_per_month", "\"5000\""); }) ==
          "<override>:1: associations.dues_xof_per_month: expected an integer, got a string");
    CHECK(error_of([&] { codev::with_override(s, "programmes.codev.rule", "share"); }) ==
          "<override>:1: programmes.codev.rule: \"share\" is not a TOML value (text needs quotes)");
    CHECK(error_of([&] {
              codev::with_override(s, "programmes.codev.commune_share", "0.5");
          }).find("programmes.codev.share: share + commune_share is 1.2") != std::string::npos);
}

TEST_CASE("Every bad input gives its one-line message", "[scenario][errors]") {
    const auto files = files_in(SOURCE_DIR + "/tests/data/bad", ".toml");
    REQUIRE(files.size() >= 25);
    for (const auto& file : files) {
        INFO(file);
        std::string expected = expectation(file);
        const std::string actual = error_of([&] { codev::load_scenario(file); });
        CHECK(actual.find('\n') == std::string::npos);
        if (expected.size() > 3 && expected.compare(expected.size() - 3, 3, "...") == 0) {
            expected.resize(expected.size() - 3);
            CHECK(actual.substr(0, expected.size()) == expected);
        } else {
            CHECK(actual == expected);
        }
    }
}

TEST_CASE("A missing scenario file is a clear error", "[scenario][errors]") {
    const std::string path = SOURCE_DIR + "/tests/data/bad/no-such-scenario.toml";
    CHECK(error_of([&] { codev::load_scenario(path); }) ==
          path + ":1: cannot read '" + path + "' (No such file or directory)");
}

TEST_CASE("A path is linear between its points and constant outside them", "[params]") {
    codev::Path p{{{12, 1.0}, {24, 0.5}, {36, 0.5}}};
    CHECK(p.at(-5) == 1.0);
    CHECK(p.at(12) == 1.0);
    CHECK(p.at(18) == 0.75);
    CHECK(p.at(24) == 0.5);
    CHECK(p.at(30) == 0.5);
    CHECK(p.at(1000) == 0.5);
    CHECK(codev::Path::constant(2.0).at(7) == 2.0);
    CHECK_THROWS_AS(codev::Path{}.at(0), std::logic_error);
}

// Issue 20: a CSV's names go into the resolved TOML, which must read back.
TEST_CASE("invalid_utf8_at finds the first byte that is not UTF-8", "[scenario]") {
    using codev::invalid_utf8_at;
    CHECK(invalid_utf8_at("Kayes, S\xC3\xA9gou \xE2\x82\xAC \xF0\x90\x8D\x88") == 22);  // all valid: the size
    CHECK(invalid_utf8_at("Koulikor\x81") == 8);                                        // a lone continuation
    CHECK(invalid_utf8_at("a\xC0\xAF") == 1);                                           // overlong '/'
    CHECK(invalid_utf8_at("a\xED\xA0\x80") == 1);                                       // a surrogate
    CHECK(invalid_utf8_at("ab\xE2\x82") == 2);                                          // cut short
    CHECK(invalid_utf8_at("\xF4\x90\x80\x80") == 0);                                    // past U+10FFFF
}

TEST_CASE("parameter_docs lists every parameter the resolved file writes, with its doc and allowed values",
          "[scenario]") {
    const auto docs = codev::parameter_docs();
    auto find = [&](const std::string& table, const std::string& key) {
        return std::find_if(docs.begin(), docs.end(),
                            [&](const codev::ParameterDoc& d) { return d.table == table && d.key == key; });
    };
    const auto share = find("programmes.*", "share");
    REQUIRE(share != docs.end());
    CHECK(share->unit == "share of cost");
    CHECK(share->allowed == "0 to 1");
    CHECK(find("programmes.*.technical_assistance", "cost_xof") != docs.end());
    const auto months = find("", "months");
    REQUIRE(months != docs.end());
    CHECK(months->default_value == "240");
    for (const auto& d : docs) {
        INFO(d.table << "." << d.key);
        CHECK(!d.doc.empty());
        CHECK(!d.allowed.empty());
    }
    // Every key of a resolved scenario's top-level tables is documented: the
    // list and the writer read the same schema.
    for (const char* file : {"codev-with-ta.toml", "regional-bank-line.toml"}) {
        const codev::Scenario s = codev::load_scenario(SOURCE_DIR + "/scenarios/" + file);
        std::string table;
        std::istringstream lines(s.toml);
        for (std::string line; std::getline(lines, line);) {
            if (line.rfind("[[", 0) == 0) break;  // shocks, rules, communes: arrays of tables
            if (line.rfind("[", 0) == 0) {
                table = line.substr(1, line.size() - 2);
                for (const char* named : {"corridors.", "sectors.", "programmes."}) {
                    if (table.rfind(named, 0) != 0) continue;
                    const auto component = table.find('.', std::string(named).size());  // programmes.NAME.loan
                    table = std::string(named) + "*" + (component == std::string::npos ? "" : table.substr(component));
                }
                continue;
            }
            const auto eq = line.find(" = ");
            if (line.empty() || line[0] == '#' || eq == std::string::npos) continue;
            INFO(file << ": " << table << "." << line.substr(0, eq));
            CHECK(find(table, line.substr(0, eq)) != docs.end());
        }
    }
}
