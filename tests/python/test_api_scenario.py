"""codev.Scenario: load, override by dotted key, build from a dict, round-trip
through TOML; every mistake is a ValueError with the CLI's own message."""

import math
import tomllib
from pathlib import Path

import pytest

import codev
from codev import _toml

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "scenarios"
BAD = ROOT / "tests" / "data" / "bad"


@pytest.fixture(scope="module")
def share70():
    return codev.Scenario.load(SCENARIOS / "codev-share-70.toml")


def test_a_loaded_scenario_knows_its_name_path_and_parameters(share70):
    assert share70.name == "codev-share-70"
    assert share70.path == SCENARIOS / "codev-share-70.toml"
    assert share70.months == 240
    assert share70.get("programmes.codev.share") == 0.7
    assert share70.get("world.migrants") == 200000  # from the baseline it extends
    assert share70.to_dict()["programmes"]["codev"]["rule"] == "share"
    assert "codev-share-70" in repr(share70)


def test_a_missing_scenario_file_is_file_not_found():
    with pytest.raises(FileNotFoundError, match=r"no-such-scenario\.toml"):
        codev.Scenario.load(BAD / "no-such-scenario.toml")


def expected_message(path: Path) -> str:
    first = path.read_bytes().split(b"\n", 1)[0].decode()
    return first[len("# expect: ") :].replace("FILE", str(path)).replace("DIR", str(path.parent))


@pytest.mark.parametrize("path", sorted(BAD.glob("*.toml")), ids=lambda p: p.stem)
def test_a_bad_file_raises_value_error_with_the_clis_message(path):
    expected = expected_message(path)
    with pytest.raises(ValueError) as error:
        codev.Scenario.load(str(path))
    if expected.endswith("..."):
        assert str(error.value).startswith(expected[:-3])
    else:
        assert str(error.value) == expected


def test_with_returns_a_new_scenario_and_leaves_the_old_one(share70):
    half = share70.with_(**{"programmes.codev.share": 0.5, "months": 120})
    assert half.get("programmes.codev.share") == 0.5 and half.months == 120
    assert share70.get("programmes.codev.share") == 0.7 and share70.months == 240
    assert half.name == share70.name and half != share70
    assert share70.with_(**{"programmes.codev.share": 0.7}) == share70
    assert share70.with_({"programmes.codev.share": 0.5}) == share70.with_(**{"programmes.codev.share": 0.5})


@pytest.mark.parametrize(
    "key, value",
    [
        ("programmes.codev.require_registered", False),
        ("programmes.codev.selection", "lottery"),
        ("programmes.codev.call_months", [3, 9]),
        ("programmes.codev.budget_per_year_xof", 2_000_000_000),
        ("programmes.codev.tranche_shares", (0.25, 0.75)),
        ("behaviour.epsilon", 0.0),
        ("corridors.france.wage_multiplier", [[0, 1.0], [36, 0.95]]),
        ("world.initial_coverage", {"water": 0.1, "health": 0.2, "education": 0.3, "energy": 0.4, "agriculture": 0.5}),
        ("start_date", "2024-01-31"),
    ],
)
def test_python_values_become_the_toml_values_of_the_file(share70, key, value):
    changed = share70.with_(**{key: value})
    expected = [list(v) for v in value] if isinstance(value, list) and value and isinstance(value[0], list) else value
    assert changed.get(key) == (list(expected) if isinstance(expected, tuple) else expected)


def test_an_integer_is_accepted_where_a_real_is_expected(share70):
    assert share70.with_(**{"behaviour.epsilon": 1}).get("behaviour.epsilon") == 1.0


@pytest.mark.parametrize(
    "key, value, message",
    [
        (
            "behaviour.epsilonn",
            0.3,
            "<override>:1: behaviour.epsilonn: unknown key (did you mean 'behaviour.epsilon'?)",
        ),
        (
            "associations.dues_xof_per_month",
            "5000",
            "<override>:1: associations.dues_xof_per_month: expected an integer, got a string",
        ),
        ("programmes.codev.share", 1.5, "<override>:1: programmes.codev.share: 1.5 is out of range (allowed: 0 to 1)"),
        ("months", 120.0, "<override>:1: months: expected an integer, got a float"),
        ("programmes..share", 0.5, "<override>:1: programmes..share: not a dotted key (e.g. programmes.codev.share)"),
    ],
)
def test_a_bad_override_raises_value_error_with_the_loaders_message(share70, key, value, message):
    with pytest.raises(ValueError) as error:
        share70.with_(**{key: value})
    assert str(error.value) == message


def test_an_override_is_checked_like_the_same_value_in_a_file(share70):
    in_file = expected_message(BAD / "share-out-of-range.toml").split(": ", 1)[1]
    with pytest.raises(ValueError) as error:
        share70.with_(**{"programmes.codev.share": 1.5})
    assert str(error.value).split(": ", 1)[1] == in_file


def test_a_value_with_no_toml_form_is_a_type_error(share70):
    with pytest.raises(TypeError, match="NoneType"):
        share70.with_(months=None)


def test_to_toml_loads_back_to_an_equal_scenario(share70, tmp_path):
    assert codev.Scenario.from_toml(share70.to_toml(), name=share70.name) == share70
    saved = share70.with_(months=36).save(tmp_path / "codev-share-70.toml")
    assert codev.Scenario.load(saved) == share70.with_(months=36)
    assert codev.Scenario.load(saved).to_toml() == share70.with_(months=36).to_toml()


def test_from_dict_extends_a_file_and_validates():
    d = {
        "extends": str(SCENARIOS / "recession-shock.toml"),
        "months": 48,
        "world": {"migrants": 5000},
        "programmes": {"codev": {"share": 0.6, "technical_assistance": {"cost_xof": 100000}}},
    }
    sc = codev.Scenario.from_dict(d, name="small-shock")
    assert sc.name == "small-shock" and sc.path is None and sc.months == 48
    assert sc.get("world.migrants") == 5000 and sc.get("programmes.codev.share") == 0.6
    assert sc.get("programmes.codev.technical_assistance.cost_xof") == 100000
    assert sc.get("shocks.0.kind") == codev.Scenario.load(SCENARIOS / "recession-shock.toml").get("shocks.0.kind")


def test_from_dict_writes_arrays_of_tables_and_relative_extends():
    d = {
        "extends": "mali-kayes-baseline.toml",
        "months": 48,
        "shocks": [{"kind": "host_recession", "start_month": 12, "end_month": 23, "wage_multiplier": 0.9}],
    }
    sc = codev.Scenario.from_dict(d, name="shocked", base_dir=SCENARIOS)
    assert sc.get("shocks.0.end_month") == 23 and sc.get("shocks.0.wage_multiplier") == 0.9


def test_from_dict_errors_name_the_key():
    with pytest.raises(ValueError, match=r"^<dict>:\d+: months: 0 is out of range"):
        codev.Scenario.from_dict({"extends": str(SCENARIOS / "mali-kayes-baseline.toml"), "months": 0})
    with pytest.raises(ValueError, match=r"world\.migrantz: unknown key"):
        codev.Scenario.from_dict({"extends": str(SCENARIOS / "mali-kayes-baseline.toml"), "world": {"migrantz": 10}})


def test_names_are_plain_and_renaming_keeps_the_parameters(share70):
    other = share70.renamed("share-70-again")
    assert other.name == "share-70-again" and other.to_toml() == share70.to_toml() and other != share70
    for bad in ("", "a b", "x/y"):
        with pytest.raises(ValueError, match="not a scenario name"):
            share70.renamed(bad)


@pytest.mark.parametrize(
    "value",
    [
        True,
        False,
        0,
        -7,
        2**62,
        0.5,
        1e9,
        1e-7,
        1.5e300,
        -0.0,
        "plain",
        'quote " and \\ backslash',
        "tab\tnew line\n\x01\x7f",
        "été à Kayès",
        [],
        [1, 2],
        [[0, 1.0], [36, 0.95]],
        ["a", "b"],
        {"a": 1, "b": [True]},
    ],
)
def test_toml_values_read_back_as_the_python_value(value):
    assert tomllib.loads("v = " + _toml.value(value))["v"] == value


def test_toml_floats_keep_their_type_and_non_finite_values():
    assert _toml.value(1e9) == "1000000000.0"
    assert math.isinf(tomllib.loads("v = " + _toml.value(float("-inf")))["v"])
    assert math.isnan(tomllib.loads("v = " + _toml.value(float("nan")))["v"])


def test_toml_documents_read_back_as_the_dict():
    d = {
        "months": 12,
        "name key": "x",
        "world": {"migrants": 10, "initial_coverage": {"water": 0.5}},
        "programmes": {"a": {}, "b": {"share": 0.5, "loan": {"amount_xof": 5}}},
        "shocks": [{"kind": "k", "corridors": ["france"]}, {"kind": "j"}],
    }
    assert tomllib.loads(_toml.document(d)) == d
