"""The numbers game (attrition.py) against closed forms computed by hand, and its bad input.

References: expected kills of shoot-look-shoot and salvos worked out by hand from the rules in the
module docstring (each shot at a live object kills with probability Pk; a warhead engaged with k
shots leaks with (1 - Pk)^k); inventory exhaustion; decoys that share the interceptors; a Monte
Carlo of the shoot-look-shoot process for the exact capped distribution; and impossible limits in
scenario files (one line naming file:line and key, exit status 2).
"""

import json
import math

import numpy as np
import pytest
import scenarios
from cli_helpers import run

from shieldcheck import attrition, scenario
from shieldcheck.attrition import Doctrine, expected_shots, raid_leakage, russian_bound, warheads_destroyed_at_most
from shieldcheck.errors import InputError

TOLERANCE = 1e-12  # closed forms in exact arithmetic: only rounding differs


# --- doctrine ------------------------------------------------------------------------------------

def test_doctrine_kill_and_cost_closed_forms():
    sls, salvo = Doctrine.parse("shoot-look-shoot"), Doctrine.parse("salvo:3")
    # three opportunities at Pk 0.5: killed with 1 - 0.5^3 = 0.875; shots 1 + 0.5 + 0.25 = 1.75
    assert sls.kill_probability(0.5, 3) == pytest.approx(0.875, abs=TOLERANCE)
    assert sls.interceptors_per_object(0.5, 3) == pytest.approx(1.75, abs=TOLERANCE)
    assert sls.interceptors_per_object(0.0, 3) == 3.0  # Pk 0: every opportunity is used
    # a salvo of three whatever the opportunities: 1 - 0.5^3, three interceptors
    assert salvo.kill_probability(0.5, 1) == pytest.approx(0.875, abs=TOLERANCE)
    assert salvo.interceptors_per_object(0.5, 1) == 3.0
    assert sls.kill_probability(0.5, 0) == 0.0 and salvo.interceptors_per_object(0.5, 0) == 0.0
    assert str(salvo) == "salvo:3" and str(sls) == "shoot-look-shoot"


# --- warheads destroyed at most ------------------------------------------------------------------

def test_two_flights_of_four_warheads_three_interceptors_shoot_look_shoot():
    # 8 warheads, each with 2 opportunities, need at least 8 shots; the 3 interceptors are all fired
    # at live warheads, each killing with 0.5: 3 x 0.5 = 1.5 warheads
    assert warheads_destroyed_at_most([(4, 2), (4, 2)], 3, 0.5, "shoot-look-shoot") == pytest.approx(1.5)


def test_inventory_binds_part_way_through_one_warhead():
    # one warhead, 3 opportunities, 2 interceptors: shots needed 1 (p .5), 2 (.25), 3 (.25); fired
    # min(2, S): 1 w.p. .5, 2 w.p. .5 -> 1.5 shots x 0.5 = 0.75 = 1 - 0.5^2 (only two shots)
    assert warheads_destroyed_at_most([(1, 3)], 2, 0.5, "shoot-look-shoot") == pytest.approx(0.75)
    # without a limit all three opportunities: 1 - 0.5^3
    assert warheads_destroyed_at_most([(1, 3)], None, 0.5, "shoot-look-shoot") == pytest.approx(0.875)


def test_salvo_exhausts_the_inventory_in_whole_salvos():
    # salvo:2 with 3 interceptors: one salvo (the third interceptor is left), kills 1 - 0.5^2 = 0.75
    assert warheads_destroyed_at_most([(4, 2), (4, 2)], 3, 0.5, "salvo:2") == pytest.approx(0.75)
    # 20 interceptors: 8 warheads x 0.75 = 6
    assert warheads_destroyed_at_most([(4, 2), (4, 2)], 20, 0.5, "salvo:2") == pytest.approx(6.0)
    assert warheads_destroyed_at_most([(4, 2)], 0, 0.5, "salvo:2") == 0.0


def test_undiscriminated_decoys_take_their_share_of_the_interceptors():
    # one decoy per warhead: 16 objects, the 3 shots fall on warheads half the time: 1.5 / 2
    assert warheads_destroyed_at_most([(4, 2), (4, 2)], 3, 0.5, "shoot-look-shoot", 1) == pytest.approx(0.75)
    # unlimited: every warhead gets its opportunities whatever the decoys
    assert warheads_destroyed_at_most([(4, 2)], None, 0.5, "shoot-look-shoot", 3) == pytest.approx(4 * 0.75)


def test_capped_shot_distribution_against_monte_carlo():
    rng = np.random.default_rng(1)
    objects, pk, inventory = {1: 3, 2: 4, 4: 2}, 0.35, 7
    ks = np.repeat(list(objects), list(objects.values()))
    draws = np.minimum(rng.geometric(pk, size=(200_000, ks.size)), ks).sum(axis=1)
    simulated = np.minimum(draws, inventory).mean()
    # 200,000 draws: standard error of the mean about 0.003 shots; 5 sigma
    assert expected_shots(objects, pk, inventory) == pytest.approx(simulated, abs=0.015)


def test_more_interceptors_or_a_higher_pk_never_destroy_fewer_warheads():
    targets = [(4, 3), (6, 1), (1, 5)]
    for doctrine in ("shoot-look-shoot", "salvo:2"):
        by_stock = [warheads_destroyed_at_most(targets, n, 0.6, doctrine) for n in range(0, 40)]
        by_pk = [warheads_destroyed_at_most(targets, 10, p, doctrine) for p in np.linspace(0, 1, 11)]
        assert np.all(np.diff(by_stock) >= -1e-12) and np.all(np.diff(by_pk) >= -1e-12)
        assert by_stock[-1] <= sum(w for w, _ in targets)


# --- a phase and a raid, from synthetic rows -----------------------------------------------------

def _row(flight_id, site, verdict, shots, warheads=1, purpose="russian-concern"):
    return {"flight_id": flight_id, "site": site, "interceptor": "SM-3", "verdict": verdict, "shots": shots,
            "warheads": warheads, "purpose": purpose}


def test_russian_bound_sums_sites_and_compares_with_the_deterrent():
    rows = [_row(1, "A", "feasible", 2, 4), _row(2, "A", "feasible", 2, 4), _row(3, "A", "too_late", 0, 4),
            _row(1, "B", "feasible", 1, 4), _row(2, "B", "out_of_range", 0, 4), _row(3, "B", "out_of_range", 0, 4)]
    counts = {("A", "SM-3"): 3, ("B", "SM-3"): None}
    out = russian_bound(rows, 0.5, Doctrine.parse("shoot-look-shoot"), 0, counts, 3, 1550)
    # A: 1.5 (the hand case above); B, not limited: flight 1's four warheads, one shot each, 4 x 0.5
    assert [s["destroyed_at_most"] for s in out["sites"]] == pytest.approx([1.5, 2.0])
    assert out["destroyed_at_most"] == pytest.approx(3.5) and out["engageable_flights"] == 2
    assert out["deterrent_fraction"] == pytest.approx(3.5 / 1550)
    assert out["sites_without_count"] == ["B (SM-3)"] and out["interceptors_stated"] == 3
    # the phase never destroys more warheads than fly on its engageable flights
    capped = russian_bound(rows, 1.0, Doctrine.parse("salvo:1"), 0, {("A", "SM-3"): None, ("B", "SM-3"): None}, 3, 1550)
    assert capped["destroyed_at_most"] == pytest.approx(8.0)


def test_raid_leakage_is_one_minus_pk_to_the_shots_and_one_when_unengageable():
    pool = [{"flight_id": i, "warheads": 1, "flown": True} for i in (1, 2)] + [{"flight_id": 3, "warheads": 1,
                                                                                  "flown": False}]
    rows = [_row(1, "A", "feasible", 3, purpose="stated"), _row(1, "B", "feasible", 1, purpose="stated"),
            _row(2, "A", "too_late", 0, purpose="stated")]
    pk = 0.5
    out = raid_leakage(pool, rows, 10, pk, Doctrine.parse("shoot-look-shoot"), 0, {("A", "SM-3"): None})
    # 10 missiles over the two flyable routes: 5 on route 1 (site A, 3 shots: leaks 0.5^3), 5 on route 2 (leaks)
    assert out["expected_leaking_warheads"] == pytest.approx(5 * 0.5 ** 3 + 5)
    assert out["engageable_share"] == 0.5 and out["pool_flown"] == 2 and out["pool_flights"] == 3
    salvo = raid_leakage(pool, rows, 10, pk, Doctrine.parse("salvo:2"), 0, {("A", "SM-3"): None})
    assert salvo["expected_leaking_warheads"] == pytest.approx(5 * (1 - pk) ** 2 + 5)


def test_raid_exhausts_a_site_inventory():
    pool = [{"flight_id": 1, "warheads": 1, "flown": True}]
    rows = [_row(1, "A", "feasible", 1, purpose="stated")]
    # 10 missiles, salvo:2 -> 20 interceptors asked of 6: 3 missiles engaged (leak 0.25 each), 7 leak
    out = raid_leakage(pool, rows, 10, 0.5, Doctrine.parse("salvo:2"), 0, {("A", "SM-3"): 6})
    assert out["expected_leaking_warheads"] == pytest.approx(3 * 0.25 + 7)
    site = out["sites"][0]
    assert site["exhausted"] and site["interceptors_asked"] == pytest.approx(20) and site["missiles_covered"] == 3
    assert "inventory exhausted" in attrition.raid_sentence({"raid": "r", "threat_set": "t", "missiles": 10,
                                                             "architecture": out}, "architecture")


# --- bad input -----------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [("salvo:0", "outside 1 to 100"), ("salvo:-2", "outside 1 to 100"),
                                            ("salvo:1.5", "not a whole number"), ("shoot-look-shot", "is not an allowed choice"),
                                            ("salvo", "salvo size = '' is not a number")])
def test_bad_doctrine(text, expected):
    with pytest.raises(InputError, match=expected):
        Doctrine.parse(text)


@pytest.mark.parametrize("pk", [-0.1, 1.5, math.nan, math.inf, "high"])
def test_bad_pk(pk):
    with pytest.raises(InputError):
        warheads_destroyed_at_most([(1, 1)], 1, pk, "salvo:1")


def test_scenario_reads_pk_doctrine_and_raids(tmp_path):
    loaded = scenarios.load(tmp_path, scenarios.STATED_PK + scenarios.RAID)
    assert loaded.assumptions.single_shot_pk.value == 0.5 and loaded.assumptions.shot_doctrine.value == "salvo:2"
    assert loaded.raids[0].threat_set == "Iran" and loaded.raids[0].launch_areas == ("Tabriz",)
    s = attrition.settings(loaded)
    assert s.pk == 0.5 and str(s.doctrine) == "salvo:2" and s.single_shot_pk["stated"]
    default = attrition.settings(scenarios.load(tmp_path, scenarios.MINIMAL))
    assert not default.single_shot_pk["stated"] and "NOTIONAL" in default.single_shot_pk["note"]


@pytest.mark.parametrize("old, new, key, expected", [
    ("single_shot_pk = { value = 0.5", "single_shot_pk = { value = -0.2", "assumptions.single_shot_pk.value = -0.2",
     "outside 0 to 1"),
    ("single_shot_pk = { value = 0.5", "single_shot_pk = { value = 1.2", "assumptions.single_shot_pk.value = 1.2",
     "outside 0 to 1"),
    ("single_shot_pk = { value = 0.5", "single_shot_pk = { value = nan", "assumptions.single_shot_pk.value", "finite"),
    ('value = "salvo:2"', 'value = "salvo:0"', "assumptions.shot_doctrine.value = 'salvo:0'", "outside 1 to 100"),
    ("missiles = { value = 6", "missiles = { value = 13", "raid[1].missiles.value = 13.0",
     "larger than the 12 missiles of threat set 'Iran' from Tabriz"),
    ("missiles = { value = 6", "missiles = { value = 0", "raid[1].missiles.value = 0.0", "outside 1 to"),
    ("missiles = { value = 6", "missiles = { value = 2.5", "raid[1].missiles.value = 2.5", "whole number"),
    ("missiles = { value = 6", "missiles = { value = inf", "raid[1].missiles.value", "finite"),
    ('threat_set = "Iran"', 'threat_set = "Irn"', "raid[1].threat_set: 'Irn'", "Did you mean 'Iran'"),
    ('launch_areas = ["Tabriz"]', 'launch_areas = ["Teykovo"]', "raid[1].launch_areas[1]: 'Teykovo'",
     "is not an allowed choice; allowed: Tabriz"),
])
def test_impossible_limits_name_file_line_and_key(tmp_path, old, new, key, expected):
    text = (scenarios.STATED_PK + scenarios.RAID).replace(old, new, 1)
    with pytest.raises(InputError) as caught:
        scenarios.load(tmp_path, text, "bad.toml")
    message = str(caught.value)
    line = next(i + 1 for i, l in enumerate(text.splitlines()) if new.split("=")[0].strip() in l
                and new.split("=", 1)[1].strip()[:6] in l)
    assert f"bad.toml:{line}: {key}" in message and expected in message and "\n" not in message


def test_cli_bad_raid_is_one_line_and_status_2(tmp_path, capsys):
    text = (scenarios.STATED_PK + scenarios.RAID).replace("missiles = { value = 6", "missiles = { value = 500", 1)
    path = scenarios.write(tmp_path, text, "bad.toml")
    code, _, err = run(["assess", str(path), "--out", str(tmp_path / "out")], capsys)
    assert code == 2 and err.count("\n") == 1 and "larger than the 12 missiles" in err
    assert not (tmp_path / "out").exists()  # refused before any work


def test_builtin_scenarios_state_their_assumptions_and_epaa_a_raid():
    epaa = scenario.load("epaa")
    pk = epaa.assumptions.single_shot_pk
    assert pk.estimate and "NOTIONAL" in pk.note and 0 < pk.value <= 1
    assert [r.threat_set for r in epaa.raids] == ["Iran to NATO Europe"]
    redzikowo = [s.count for p in epaa.phases for s in p.sites if s.site == "Redzikowo"]
    assert all(c is not None and c.estimate and "ASSUMED" in c.note for c in redzikowo)
    told = attrition.deterrent()
    assert told["warheads"] == 1550 and "Article II" in told["citation"]
    json.dumps(told, allow_nan=False)


# --- one Pk per site's interceptor, and monotone in each (the test-record intervals rest on it) --------

def _two_sites():
    rows = [_row(f, s, "feasible", k, 3) for f in (1, 2, 3) for s, k in (("A", 2), ("B", 1))]
    for r in rows:
        r["interceptor"] = "SM-3 IB" if r["site"] == "A" else "SM-3 IIA"
    counts = {("A", "SM-3 IB"): 7, ("B", "SM-3 IIA"): None}
    return rows, counts


def test_each_site_takes_its_own_interceptors_pk():
    rows, counts = _two_sites()
    sls = Doctrine.parse("shoot-look-shoot")
    mixed = russian_bound(rows, {"SM-3 IB": 0.5, "SM-3 IIA": 0.9}, sls, 0, counts, 3, 1550)
    a = warheads_destroyed_at_most([(3, 2)] * 3, 7, 0.5, sls)
    b = warheads_destroyed_at_most([(3, 1)] * 3, None, 0.9, sls)
    assert [s["destroyed_at_most"] for s in mixed["sites"]] == pytest.approx([a, b])
    # B unlimited, one shot of 0.9 at each of 9 warheads: 8.1
    assert b == pytest.approx(8.1) and mixed["destroyed_at_most"] == pytest.approx(min(a + b, 9.0))
    # one number for every site is the same as a mapping giving it to each
    same = russian_bound(rows, 0.5, sls, 0, counts, 3, 1550)
    assert same["destroyed_at_most"] == pytest.approx(
        russian_bound(rows, {"SM-3 IB": 0.5, "SM-3 IIA": 0.5}, sls, 0, counts, 3, 1550)["destroyed_at_most"])
    with pytest.raises(InputError, match=r"no value for interceptor 'SM-3 IIA' \(given for 'SM-3 IB'\)"):
        russian_bound(rows, {"SM-3 IB": 0.5}, sls, 0, counts, 3, 1550)
    with pytest.raises(InputError, match=r"single_shot_pk\['SM-3 IIA'\] = 1.5 is outside 0 to 1"):
        russian_bound(rows, {"SM-3 IB": 0.5, "SM-3 IIA": 1.5}, sls, 0, counts, 3, 1550)


@pytest.mark.parametrize("doctrine", ["shoot-look-shoot", "salvo:2"])
def test_destroyed_rises_and_leakage_falls_with_every_sites_pk(doctrine):
    """The property that lets the posterior's Pk percentiles map to the outputs' percentiles."""
    rows, counts = _two_sites()
    pool = [{"flight_id": f, "warheads": 3, "flown": True} for f in (1, 2, 3, 4)]
    d = Doctrine.parse(doctrine)
    grid = np.linspace(0.0, 1.0, 11)
    for decoys in (0, 2):
        for fixed in grid[::5]:
            for pk_of in (lambda p: {"SM-3 IB": p, "SM-3 IIA": fixed}, lambda p: {"SM-3 IB": fixed, "SM-3 IIA": p},
                          lambda p: {"SM-3 IB": p, "SM-3 IIA": p}):
                destroyed = [russian_bound(rows, pk_of(p), d, decoys, counts, 3, 1550)["destroyed_at_most"]
                             for p in grid]
                leaking = [raid_leakage(pool, rows, 8, pk_of(p), d, decoys, counts)["expected_leaking_warheads"]
                           for p in grid]
                assert np.all(np.diff(destroyed) >= -1e-12) and np.all(np.diff(leaking) <= 1e-12)
