"""The numbers game on test records (kill_probability.py, attrition.py) against closed forms.

References: the Beta-binomial update (posterior Beta(a + h, b + m), mean (a + h)/(a + b + n)); Beta
quantiles against scipy.stats.beta and against the closed forms of Beta(a, 1) (F^-1(q) = q^(1/a)) and
Beta(1, b) (1 - (1 - q)^(1/b)); the per-warhead kill probability t (1 - (1 - p)^n) and raids of N
warheads with tracking independent or correlated, worked out by hand; the inverse question, which
must recover a known Pk from its own expected outcome, and whose likelihood-ratio interval is checked
against the binomial likelihood of scipy.stats.binom. The data file: every row sourced and dated;
bad rows, priors and deterrents: one line naming file, line and key, exit status 2 from the CLI.
"""

import datetime
import json
import math
import tomllib
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
import scenarios
from cli_helpers import run
from scipy import stats
from test_catalog_ranges import _edit

from shieldcheck import attrition, catalog, kill_probability as kp
from shieldcheck.catalog import Catalog
from shieldcheck.errors import InputError

TOLERANCE = 1e-12  # closed forms in exact arithmetic: only rounding differs
QUANTILE_TOLERANCE = 1e-9  # scipy's inverse incomplete beta against its own ppf and the closed forms
DATA = Path(str(catalog.DATA))
RECORDS = tomllib.loads((DATA / "intercept_tests.toml").read_text())
SOURCES = tomllib.loads((DATA / "sources.toml").read_text())["source"]


# --- the data file --------------------------------------------------------------------------------

def test_every_row_is_sourced_dated_and_flagged():
    cat = catalog.load()
    assert len(cat.intercept_tests) == len(RECORDS["intercept_test"]) >= 30
    for raw, record in zip(RECORDS["intercept_test"], cat.intercept_tests):
        assert isinstance(raw["estimate"], bool) and raw["source"] in SOURCES, raw["test"]
        entry = SOURCES[raw["source"]]
        assert entry.get("url") or "Article" in entry["citation"], raw["source"]  # a page, or the treaty text
        assert record.interceptor in cat.interceptors and record.date <= datetime.date(2026, 12, 7)
        if record.estimate:  # an inference is said in the note
            assert record.note and any(w in record.note for w in ("inferred", "not in the source", "not named"))
    for tally in cat.intercept_tallies:
        assert tally.source in SOURCES and 0 <= tally.hits <= tally.attempts
    # the sources added for the records carry the date they were read
    for key in {r["source"] for r in RECORDS["intercept_test"]} - {"MDA11", "ACT17", "ACT04", "ACT18", "AP18"}:
        assert SOURCES[key].get("accessed") == "2026-12-07", key


def test_the_counting_rule_read_independently_from_the_raw_file():
    """Hits and misses counted from the raw TOML by the stated rule equal the posterior's."""
    cat = catalog.load()
    for name in ("SM-3 Block IA", "SM-3 Block IB", "SM-3 Block IIA", "GBI (three-stage)", "GBI (two-stage)"):
        rows = [r for r in RECORDS["intercept_test"] if cat.find("interceptor", r["interceptor"]) == name]
        ballistic = {"SRBM", "MRBM", "IRBM", "ICBM", "long-range", "ballistic"}
        used = [r for r in rows if r.get("intercept_attempt", True) and r["outcome"] in ("hit", "miss")
                and r["target_class"] in ballistic]
        post = kp.posterior(name)
        assert (post.hits, post.misses) == (sum(r["outcome"] == "hit" for r in used),
                                            sum(r["outcome"] == "miss" for r in used)), name
        assert len(post.counted_tests) + len(post.left_out) == len(rows)
    gbi = kp.posterior("GBI")  # an alias
    assert {t.split(" (")[0] for t, _ in gbi.left_out} == {"IFT-13C", "IFT-14", "FTG-02", "FTG-03"}
    assert kp.posterior("GBI (two-stage)").attempts == 0  # never in an intercept test: the prior alone


@pytest.mark.parametrize("old, new, key, expected", [
    ('outcome = "miss"', 'outcome = "win"', "intercept_test[1].outcome = 'win'", "'hit', 'miss' or 'no-test'"),
    ('target_class = "IRBM"', 'target_class = "cruise"', ".target_class = 'cruise'", "'SRBM', 'MRBM'"),
    ('interceptor = "SM-3 Block IB"', 'interceptor = "SM-3 Block IC"', ".interceptor = 'SM-3 Block IC'",
     "Did you mean 'SM-3 Block IB'"),
    ('source = "MDA10"', 'source = "MDA1O"', ".source: 'MDA1O' is not an allowed choice",
     "(see sources.toml). Did you mean 'MDA11' or 'MDA10'"),
    ('interceptors_fired = 2', 'interceptors_fired = 0', ".interceptors_fired = 0", "greater than or equal to 1"),
    ('hits = 22', 'hits = 28', "tally[0]: hits (28) must not exceed attempts (27)", "must not exceed"),
])
def test_a_bad_row_is_one_line_with_file_line_key_and_allowed(data_copy, old, new, key, expected):
    path = data_copy / "intercept_tests.toml"
    _edit(path, old, new)
    with pytest.raises(InputError) as caught:
        Catalog(data_copy)
    message = str(caught.value)
    lines = path.read_text().splitlines()
    line = next(i + 1 for i, text in enumerate(lines) if new in text)
    if key.startswith("tally"):  # a check of the whole row names the row's first line
        line = max(i + 1 for i, text in enumerate(lines[:line]) if text == "[[tally]]")
    assert f"intercept_tests.toml:{line}: " in message and key in message and expected in message, message
    assert "\n" not in message


def test_a_repeated_row_and_an_unknown_table(data_copy):
    path = data_copy / "intercept_tests.toml"
    text = path.read_text()
    start = text.index("\n[[intercept_test]]") + 1
    first = text[start:text.index("\n[[intercept_test]]", start) + 1]
    path.write_text(text + "\n" + first)
    with pytest.raises(InputError, match=r"intercept_test\[\d+\] \('IFT-3', 1999-10-02, GBI \(three-stage\)\) repeats "
                                         r"intercept_test\[0\]"):
        Catalog(data_copy)
    path.write_text(text + "\n[[test]]\ndate = 2020-01-01\n")
    with pytest.raises(InputError, match=r"table: 'test' is not an allowed choice; allowed: intercept_test, tally"):
        Catalog(data_copy)


def test_cli_bad_row_exits_2_with_one_line(data_copy, monkeypatch, capsys):
    _edit(data_copy / "intercept_tests.toml", 'outcome = "miss"', 'outcome = "hit or miss"')
    monkeypatch.setattr(catalog, "DATA", data_copy)
    catalog.load.cache_clear()
    try:
        code, _, err = run(["catalog", "interceptors"], capsys)
    finally:
        catalog.load.cache_clear()
    assert code == 2 and err.count("\n") == 1
    assert "intercept_tests.toml:" in err and "outcome = 'hit or miss'" in err and "'no-test'" in err


# --- the posterior --------------------------------------------------------------------------------

@pytest.mark.parametrize("a, b, h, m", [(1, 1, 0, 0), (1, 1, 6, 3), (0.5, 0.5, 11, 6), (2, 8, 3, 2)])
def test_posterior_mean_and_quantiles(a, b, h, m):
    post = kp.Posterior("SM-3 Block IA", kp.BetaPrior(a, b), h, m, (), ())
    assert (post.alpha, post.beta) == (a + h, b + m)
    assert post.mean == pytest.approx((a + h) / (a + b + h + m), abs=TOLERANCE)
    for q in (0.05, 0.5, 0.95, 0.001, 0.999):
        assert post.quantile(q) == pytest.approx(stats.beta.ppf(q, a + h, b + m), abs=QUANTILE_TOLERANCE)
    lo, hi = post.interval(0.9)
    assert stats.beta.cdf(hi, a + h, b + m) - stats.beta.cdf(lo, a + h, b + m) == pytest.approx(0.9, abs=1e-9)
    assert stats.beta.cdf(lo, a + h, b + m) == pytest.approx(0.05, abs=1e-9)
    assert list(post.percentiles()) == ["p05", "p50", "p95"]


def test_quantiles_of_the_closed_form_betas():
    for q in (0.05, 0.3, 0.95):
        assert kp.beta_quantile(1, 1, q) == pytest.approx(q, abs=QUANTILE_TOLERANCE)  # uniform
        assert kp.beta_quantile(4, 1, q) == pytest.approx(q ** 0.25, abs=QUANTILE_TOLERANCE)  # F = x^4
        assert kp.beta_quantile(1, 3, q) == pytest.approx(1 - (1 - q) ** (1 / 3), abs=QUANTILE_TOLERANCE)  # F = 1-(1-x)^3


def test_a_prior_of_many_hits_moves_the_posterior_and_sentences_say_so():
    flat, optimistic = kp.posterior("SM-3 Block IIA"), kp.posterior("SM-3 Block IIA", kp.BetaPrior(34, 7, "ACT17"))
    assert optimistic.mean > flat.mean and optimistic.hits == flat.hits
    assert "3 hits in 5 counted intercept tests" in flat.sentence() and "Beta(4, 3)" in flat.sentence()
    assert "no counted test record, so the Beta(1, 1) prior alone" in kp.posterior("SM-3 Block IIB").sentence()
    json.dumps(flat.as_dict(), allow_nan=False)


@pytest.mark.parametrize("alpha, beta, expected", [(0, 1, "pk_prior.alpha = 0"), (1, -2, "pk_prior.beta = -2"),
                                                   (math.nan, 1, "pk_prior.alpha = nan"), ("x", 1, "not a number"),
                                                   (1, math.inf, "pk_prior.beta = inf")])
def test_bad_prior(alpha, beta, expected):
    with pytest.raises(InputError, match=expected):
        kp.BetaPrior(alpha, beta)


# --- closed forms of leakage ------------------------------------------------------------------------

def test_warhead_kill_probability():
    # three shots at 0.5, tracked with 0.9: 0.9 x (1 - 0.125) = 0.7875
    assert kp.warhead_kill_probability(0.5, 3, 0.9) == pytest.approx(0.7875, abs=TOLERANCE)
    assert kp.warhead_kill_probability(0.8, 2) == pytest.approx(0.96, abs=TOLERANCE)
    assert kp.warhead_kill_probability(0.8, 0) == 0.0


def test_raid_leakage_independent_and_correlated_by_hand():
    # N = 2 warheads, one shot of 0.5 each, tracking 0.8: K = 0.5, t K = 0.4
    both = kp.raid_leakage_both(0.5, 1, 2, 0.8)
    ind, cor = both["independent"], both["correlated"]
    assert ind.p_no_leaker == pytest.approx(0.4 ** 2, abs=TOLERANCE)  # (t K)^N = 0.16
    assert cor.p_no_leaker == pytest.approx(0.8 * 0.5 ** 2, abs=TOLERANCE)  # t K^N = 0.2
    # leak 0.6 each, independently: 0.16, 0.48, 0.36
    assert ind.distribution() == pytest.approx([0.16, 0.48, 0.36], abs=TOLERANCE)
    # tracked (0.8): Binomial(2, 0.5) = 0.2, 0.4, 0.2; lost (0.2): both through
    assert cor.distribution() == pytest.approx([0.2, 0.4, 0.4], abs=TOLERANCE)
    # the same expected leakers N (1 - t K) = 1.2 either way
    assert ind.expected_leakers == pytest.approx(1.2) and cor.expected_leakers == pytest.approx(1.2)
    assert np.dot(np.arange(3), cor.distribution()) == pytest.approx(1.2, abs=TOLERANCE)
    # 10 warheads, two shots of 0.8, tracking 0.9: 0.864^10 against 0.9 x 0.96^10
    big = kp.raid_leakage_both(0.8, 2, 10, 0.9)
    assert big["independent"].p_no_leaker == pytest.approx(0.864 ** 10, rel=1e-12)
    assert big["correlated"].p_no_leaker == pytest.approx(0.9 * 0.96 ** 10, rel=1e-12)
    assert big["correlated"].p_no_leaker > 2 * big["independent"].p_no_leaker  # the assumption drives the answer
    with pytest.raises(InputError, match="tracking_failures = 'partial': allowed independent or correlated"):
        kp.raid_leakage(0.5, 1, 2, tracking_failures="partial")


# --- the inverse question ---------------------------------------------------------------------------

@pytest.mark.parametrize("p, fired, warheads", [(0.8, 200, 100), (0.75, 4, 4), (0.5, 200, 100)])
def test_implied_pk_recovers_p_from_its_own_expected_outcome(p, fired, warheads):
    shots = fired // warheads
    through = warheads * (1 - p) ** shots  # a whole number in these cases
    assert through == pytest.approx(round(through), abs=1e-9)
    found = kp.implied_pk(fired, warheads, round(through))
    assert found.moment_pk == pytest.approx(p, abs=1e-9) and found.mle_pk == pytest.approx(p, abs=1e-6)
    # the likelihood-ratio interval: 2 (l(mle) - l(end)) = chi2_1(0.9), with the binomial likelihood
    def loglik(x):
        return stats.binom.logpmf(round(through), warheads, (1 - x) ** shots)
    lo, hi = found.interval
    assert lo < p < hi
    for end in (lo, hi):
        assert 2 * (loglik(p) - loglik(end)) == pytest.approx(stats.chi2.ppf(0.9, 1), abs=1e-6)


def test_implied_pk_at_the_edges_and_uneven_spreads():
    # two shots at one warhead, none through: likelihood 1 - (1 - p)^2, 1 at p = 1; the interval's lower end has
    # likelihood exp(-chi2_1(0.9) / 2) = 0.2585: p = 1 - sqrt(1 - 0.2585) = 0.139
    none_through = kp.implied_pk(2, 1, 0)
    assert none_through.moment_pk == 1.0 and none_through.interval[1] == 1.0
    assert none_through.interval[0] == pytest.approx(1 - math.sqrt(1 - math.exp(-stats.chi2.ppf(0.9, 1) / 2)),
                                                     abs=1e-9)
    all_through = kp.implied_pk(2, 1, 1)
    assert all_through.moment_pk == 0.0 and all_through.interval[0] == 0.0
    uneven = kp.implied_pk(3, 2, 1)  # shots 2 and 1: expected leak (1-p)^2 + (1-p) = 1 -> p = (3 - sqrt 5) / 2
    assert uneven.shots == (2, 1) and uneven.moment_pk == pytest.approx((3 - math.sqrt(5)) / 2, abs=1e-9)
    assert "spread 1 to 2" in uneven.note


@pytest.mark.parametrize("args, expected", [((2, 3, 0), "leave 1 unengaged"), ((2, 2, 3), "more than the 2 warheads"),
                                            ((2, 0, 0), "warheads = 0"), ((-1, 2, 0), "interceptors fired = -1"),
                                            ((2, 2, 1.5), "warheads through = 1.5")])
def test_implied_pk_bad_counts(args, expected):
    with pytest.raises(InputError, match=expected):
        kp.implied_pk(*args)


# --- propagation into the numbers game --------------------------------------------------------------

def _assessment(folder: Path, text: str):
    """A scenario of MINIMAL's sites and three Russian flights of four warheads that every site can engage
    with two shots (both cue bases), as ``attrition.numbers`` reads an assessment."""
    loaded = scenarios.load(folder, text)
    flights = [{"flight_id": i, "purposes": ["russian-concern"], "status": "flown", "threat_sets": ["Iran"],
                "launch": "Tabriz", "warheads": 4} for i in range(3)]
    rows = [{"phase": ph.name, "purpose": "russian-concern", "cue_basis": basis, "flight_id": f["flight_id"],
             "site": e.site, "interceptor": e.interceptor, "verdict": "feasible", "shots": 2, "warheads": 4}
            for ph in loaded.phases for e in ph.sites for f in flights for basis in ("architecture", "bounding")]
    return SimpleNamespace(scenario=loaded, rows=lambda: rows, flights=SimpleNamespace(rows=flights))


def v_zero(phase, basis):
    """The Russian bound at the median Pk with the scenario's decoys (none in MINIMAL)."""
    return phase["russian"][basis]["destroyed_at_most_test_records"]["at_pk_p50"]


def test_every_output_gets_the_interval_and_keeps_its_point_value(tmp_path):
    data = attrition.numbers(_assessment(tmp_path, scenarios.MINIMAL + scenarios.RAID))
    json.dumps(data, allow_nan=False)
    t = data["assumptions"]["test_records"]
    assert set(t["posteriors"]) == {"SM-3 Block IB", "SM-3 Block IIA"} and t["prior"]["stated"] is False
    for p in data["phases"]:
        for basis in ("architecture", "bounding"):
            r = p["russian"][basis]
            v = r["destroyed_at_most_test_records"]
            assert v["at_pk_p05"] <= v["at_pk_p50"] <= v["at_pk_p95"] <= r["warheads_on_engageable_flights"]
            leak = p["raids"][0][basis]["expected_leaking_warheads_test_records"]
            assert leak["at_pk_p05"] >= leak["at_pk_p50"] >= leak["at_pk_p95"] >= 0
            missiles = p["raids"][0][basis]["expected_leaking_missiles_test_records"]
            assert missiles["at_pk_p05"] >= missiles["at_pk_p50"] >= missiles["at_pk_p95"] >= 0
            for site in r["sites"]:
                v = site["destroyed_at_most_test_records"]
                assert v["at_pk_p05"] <= v["at_pk_p50"] <= v["at_pk_p95"]
            for point in p["decoy_sweep"]:  # more decoys, fewer warheads destroyed, at every percentile
                v = point["russian_destroyed_at_most_test_records"][basis]
                assert v["at_pk_p05"] <= v["at_pk_p50"] <= v["at_pk_p95"]
            sweep = [d["russian_destroyed_at_most_test_records"][basis]["at_pk_p50"] for d in p["decoy_sweep"]]
            assert np.all(np.diff(sweep) <= 1e-9) and sweep[0] == v_zero(p, basis)
        pk = p["test_records_pk"]
        assert pk["at_pk_p05"]["SM-3 Block IB"] == pytest.approx(kp.posterior("SM-3 Block IB").quantile(0.05), abs=1e-6)
    one = data["phases"][0]["russian"]["bounding"]
    # phase One: Deveselu alone (SM-3 Block IB), 12 warheads, two shots each, no count: 12 (1 - (1 - p)^2)
    for key, q in (("at_pk_p05", 0.05), ("at_pk_p50", 0.5), ("at_pk_p95", 0.95)):
        p = kp.posterior("SM-3 Block IB").quantile(q)
        assert one["destroyed_at_most_test_records"][key] == pytest.approx(12 * (1 - (1 - p) ** 2), abs=1e-5)
    assert one["destroyed_at_most"] == pytest.approx(12 * (1 - 0.2 ** 2), abs=1e-5)  # the notional 0.8
    words = attrition.posterior_sentences(data, "bounding")
    assert words[0].startswith("SM-3 Block IB: 1 hit in 2") and "One: at its interceptors' test-record Pk" in words[2]


def test_a_stated_prior_moves_the_interval_not_the_point(tmp_path):
    text = scenarios.MINIMAL.replace('cueing = "remote"\n', 'cueing = "remote"\n'
                                     'pk_prior = { alpha = 34.0, beta = 7.0, source = "ACT17", note = "the Aegis tally" }\n', 1)
    flat = attrition.numbers(_assessment(tmp_path, scenarios.MINIMAL))
    told = attrition.numbers(_assessment(tmp_path, text))
    assert told["assumptions"]["test_records"]["prior"] == {"alpha": 34.0, "beta": 7.0, "source": "ACT17",
                                                            "note": "the Aegis tally", "stated": True}
    a, b = (d["phases"][0]["russian"]["bounding"] for d in (flat, told))
    assert a["destroyed_at_most"] == b["destroyed_at_most"]
    assert b["destroyed_at_most_test_records"]["at_pk_p05"] > a["destroyed_at_most_test_records"]["at_pk_p05"]


@pytest.mark.parametrize("old, new, key, expected", [
    ('cueing = "remote"\n', 'cueing = "remote"\npk_prior = { alpha = 0.0, beta = 1.0, source = "MODEL" }\n',
     "assumptions.pk_prior.alpha = 0.0", "must be positive"),
    ('cueing = "remote"\n', 'cueing = "remote"\npk_prior = { alpha = 1.0, beta = -3.0, source = "MODEL" }\n',
     "assumptions.pk_prior.beta = -3.0", "must be positive"),
    ('cueing = "remote"\n', 'cueing = "remote"\npk_prior = { alpha = 1.0, beta = 1.0, source = "MODLE" }\n',
     "assumptions.pk_prior.source: 'MODLE' is not an allowed choice", "Did you mean 'MODEL'"),
    ('cueing = "remote"\n', 'cueing = "remote"\ndeterrent = { name = "New STRAT", warheads = 1474, source = "MID22", '
     'estimate = false }\n', "assumptions.deterrent.name: 'New STRAT' is not an allowed choice", "Did you mean 'New START'"),
    ('cueing = "remote"\n', 'cueing = "remote"\ndeterrent = { name = "New START", warheads = 0, source = "MID22", '
     'estimate = false }\n', "assumptions.deterrent.warheads = 0", "greater than or equal to 1"),
    ('cueing = "remote"\n', 'cueing = "remote"\nassessment_date = "soon"\n', "assumptions.assessment_date = 'soon'",
     "TOML date"),
])
def test_bad_prior_deterrent_or_date_in_a_scenario_is_one_line(tmp_path, old, new, key, expected):
    text = scenarios.MINIMAL.replace(old, new, 1)
    with pytest.raises(InputError) as caught:
        scenarios.load(tmp_path, text, "bad.toml")
    message = str(caught.value)
    line = next(i + 1 for i, t in enumerate(text.splitlines()) if new.splitlines()[1].split("=")[0] in t)
    assert f"bad.toml:{line}: {key}" in message and expected in message and "\n" not in message, message


@pytest.mark.parametrize("value, expected", [("0,1", "--pk-prior A = 0.0"), ("1", "expected two numbers A,B"),
                                             ("1,x", "must be numbers"), ("2,-1", "--pk-prior B = -1.0")])
def test_cli_bad_pk_prior_exits_2_before_any_work(tmp_path, capsys, value, expected):
    code, _, err = run(["assess", "epaa", "--pk-prior", value, "--out", str(tmp_path / "out"), "--uncertainty", "0"],
                       capsys)
    assert code == 2 and err.count("\n") == 1 and expected in err, err
    assert not (tmp_path / "out").exists()


# --- the deterrent after New START ------------------------------------------------------------------

def test_treaty_status_on_a_date():
    record = catalog.load().deterrents["New START"]
    assert attrition.treaty_status(record, datetime.date(2010, 6, 1))["status"] == "not yet in force"
    during = attrition.treaty_status(record, datetime.date(2020, 1, 1))
    assert during["status"] == "in force" and during["last_declared"]["date"] == "2011-02-05"
    assert attrition.treaty_status(record, datetime.date(2021, 1, 1))["last_declared"]["warheads"] == 1447
    assert attrition.treaty_status(record, datetime.date(2026, 2, 4))["status"] == "in force"
    after = attrition.treaty_status(record, datetime.date(2026, 2, 5))
    assert after["status"] == "expired" and after["expired"] == "2026-02-05"
    assert after["last_declared"] == {"date": "2022-03-01", "party": "Russia", "warheads": 1474,
                                      "deployed_launchers": 526, "source": "MID22", "estimate": False,
                                      "note": after["last_declared"]["note"]}


def test_the_deterrent_is_a_scenario_assumption_with_its_status(tmp_path):
    default = attrition.deterrent(scenarios.load(tmp_path, scenarios.MINIMAL))
    assert default["warheads"] == 1550 and not default["stated"] and not default["assessment_date_stated"]
    assert default["assessment_date"] == "2012-01-01" and default["treaty"]["status"] == "in force"
    assert "the date of the scenario's last phase" in default["treaty"]["sentence"]
    text = scenarios.MINIMAL.replace('cueing = "remote"\n', 'cueing = "remote"\nassessment_date = 2026-03-01\n'
                                     'deterrent = { name = "NST", warheads = 1474, source = "MID22", estimate = false, '
                                     'note = "Russia\'s last declared deployed warheads" }\n', 1)
    told = attrition.deterrent(scenarios.load(tmp_path, text))
    assert told["name"] == "New START" and told["warheads"] == 1474 and told["stated"] and told["source"] == "MID22"
    assert told["treaty"]["status"] == "expired"
    sentence = told["treaty"]["sentence"]
    assert "had expired (on 2026-02-05, CBS26)" in sentence and "1,474 deployed warheads" in sentence
    assert "as of 2022-03-01 (MID22)" in sentence and "Compared with: 1,474 warheads (MID22)" in sentence
    data = attrition.numbers(_assessment(tmp_path, text))
    r = data["phases"][1]["russian"]["bounding"]
    assert r["deterrent_fraction"] == pytest.approx(round(r["destroyed_at_most"] / 1474, 6), abs=1e-6)
    assert "of a deterrent of 1,474" in r["sentence"]
    assert attrition.deterrent()["warheads"] == 1550 and "treaty" not in attrition.deterrent()
