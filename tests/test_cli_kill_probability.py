"""The numbers game's test records on the command line: ``catalog tests`` and ``implied-pk``.

References and tolerances:
- the counted hits and attempts recounted here from the raw intercept_tests.toml by the stated rule
  (an intercept attempt, hit or miss, against a ballistic target: catalog/data/intercept_tests.toml's
  header), and the posterior against scipy.stats.beta (mean (a + h) / (a + b + h + m), the 5th and 95th
  percentiles) to 1e-9;
- the implied Pk against the closed form for an even spread with certain tracking: s interceptors on each
  of w warheads, k through, expected leakers w (1 - p)^s = k, so p = 1 - (k / w)^(1 / s); for these
  independent, identical warheads the maximum-likelihood estimate is the same number, to 1e-6.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest
from cli_helpers import run
from scipy.stats import beta as beta_dist
from test_cli_terminal import fits

from shieldcheck import catalog

BALLISTIC = {"SRBM", "MRBM", "IRBM", "ICBM", "long-range", "ballistic"}


def _raw_counts() -> dict[str, tuple[int, int]]:
    """Interceptor (as written, resolved to its catalog name) -> (hits, misses), recounted from the file."""
    cat = catalog.load()
    rows = tomllib.loads((Path(str(catalog.DATA)) / "intercept_tests.toml").read_text())["intercept_test"]
    counts: dict[str, list[int]] = {}
    for row in rows:
        if not row.get("intercept_attempt", True) or row["outcome"] == "no-test" or row["target_class"] not in BALLISTIC:
            continue
        name = cat.find("interceptor", row["interceptor"])
        tally = counts.setdefault(name, [0, 0])
        tally[0 if row["outcome"] == "hit" else 1] += 1
    return {k: (v[0], v[1]) for k, v in counts.items()}


@pytest.mark.parametrize("prior", [None, (2.0, 3.0)])
def test_catalog_tests_gives_each_posterior_from_the_counted_records(capsys, prior):
    args = ["catalog", "tests", "--json"] + (["--pk-prior", f"{prior[0]:g},{prior[1]:g}"] if prior else [])
    code, out, err = run(args, capsys)
    assert code == 0, err
    data = json.loads(out)
    a, b = prior or (1.0, 1.0)
    assert (data["prior"]["alpha"], data["prior"]["beta"]) == (a, b)
    found = {e["interceptor"]: e for e in data["interceptors"]}
    assert {k: (v["hits"], v["misses"]) for k, v in found.items() if v["hits"] + v["misses"]} == _raw_counts()
    for name, e in found.items():
        h, m = e["hits"], e["misses"]
        assert e["mean"] == pytest.approx((a + h) / (a + b + h + m), abs=1e-12)
        assert e["interval"] == pytest.approx([beta_dist.ppf(0.05, a + h, b + m), beta_dist.ppf(0.95, a + h, b + m)],
                                              abs=1e-9)
        assert sum(r["counted"] for r in e["records"]) == h + m
    assert data["tallies"] and all(t["hits"] <= t["attempts"] for t in data["tallies"])


def test_catalog_tests_reads_at_80_columns(capsys):
    code, out, err = run(["catalog", "tests"], capsys)
    assert code == 0, err
    fits(out)
    for name, (h, m) in _raw_counts().items():
        line = next(line for line in out.splitlines() if line.startswith(f"│ {name} "))
        assert f"{h} of {h + m}" in line and f"Beta({1 + h:g}, {1 + m:g})" in line
    assert "Published tallies" in out


@pytest.mark.parametrize("args, message", [
    (["catalog", "tests", "--pk-prior", "-1,2"], "error: --pk-prior A = -1.0: a Beta prior's parameters must be "
                                                  "positive"),
    (["catalog", "tests", "--pk-prior", "1"], "error: --pk-prior '1': expected two numbers A,B"),
    (["catalog", "missiles", "--pk-prior", "1,1"], "error: --pk-prior 1,1: the prior of the Pk posterior applies to"),
    (["implied-pk", "--fired", "4", "--warheads", "2", "--through", "3"], "error: warheads through = 3: more than"),
    (["implied-pk", "--fired", "-4", "--warheads", "2", "--through", "1"], "error: interceptors fired = -4"),
    (["implied-pk", "--fired", "4", "--warheads", "2", "--through", "1", "--tracking", "0"],
     "error: tracking probability = 0"),
    (["implied-pk", "--fired", "4", "--warheads", "2", "--through", "1", "--level", "1.5"],
     "error: interval level 1.5"),
    (["implied-pk", "--fired", "4", "--warheads", "2"], "error: Missing option '--through'"),
])
def test_bad_input_is_one_line_and_exit_status_2(capsys, args, message):
    code, out, err = run(args, capsys)
    assert code == 2 and out == ""
    assert err.startswith(message) and err.count("\n") == 1, err


@pytest.mark.parametrize("fired, warheads, through", [(4, 2, 1), (6, 3, 1), (2, 2, 1), (9, 3, 2)])
def test_implied_pk_against_the_closed_form_of_an_even_spread(capsys, fired, warheads, through):
    code, out, err = run(["implied-pk", "--fired", str(fired), "--warheads", str(warheads), "--through", str(through),
                          "--json"], capsys)
    assert code == 0, err
    data = json.loads(out)
    shots = fired // warheads
    closed = 1.0 - (through / warheads) ** (1.0 / shots)
    assert data["moment_pk"] == pytest.approx(closed, abs=1e-9)
    assert data["mle_pk"] == pytest.approx(closed, abs=1e-6)
    low, high = data["interval"]
    assert low < closed < high and data["interval_level"] == 0.9
    code, out, err = run(["implied-pk", "--fired", str(fired), "--warheads", str(warheads), "--through", str(through)],
                         capsys)
    assert code == 0 and f"{closed:.3f}" in out and out.count("\n") == 1


def test_the_report_s_numbers_table_gives_each_site_its_test_record_interval(small_assessed, tmp_path):
    """Per site, the posterior Pk's 5th-95th percentiles of its interceptor (kill_probability) and the warheads
    destroyed at most at them (attrition.json), in the numbers table of the report."""
    import html as html_mod

    from shieldcheck import attrition
    from shieldcheck import kill_probability as kp
    from shieldcheck.report.context import Context
    from shieldcheck.report.sections import numbers

    _, assessed, _ = small_assessed
    ctx = Context.of(assessed, tmp_path)
    page = html_mod.unescape(numbers.numbers(ctx))
    assert "test-record Pk, 5th-95th percentile" in page
    data = attrition.numbers(assessed)
    basis = list(data["phases"][0]["russian"])[-1]
    for phase in data["phases"]:
        for site in phase["russian"][basis]["sites"]:
            post = kp.posterior(site["interceptor"])
            assert post.attempts  # the small scenario's interceptors all have counted records
            low, high = post.quantile(0.05), post.quantile(0.95)
            destroyed = site["destroyed_at_most_test_records"]
            assert f"{low:.2f}-{high:.2f} ({post.hits} of {post.attempts} hits)" in page
            assert f"{destroyed['at_pk_p05']:,.1f}-{destroyed['at_pk_p95']:,.1f}" in page


def test_a_site_without_counted_tests_gets_no_interval(small_assessed, tmp_path):
    from shieldcheck.report.context import Context
    from shieldcheck.report.sections import numbers

    _, assessed, _ = small_assessed
    ctx = Context.of(assessed, tmp_path)
    cells = numbers.test_record_cells(ctx, {"hits": 0, "misses": 0, "percentiles": {"p05": 0.05, "p95": 0.95}},
                                      {"destroyed_at_most_test_records": {"at_pk_p05": 1.0, "at_pk_p95": 2.0}})
    assert "0.05" not in "".join(cells) and cells[1] == numbers.DASH
    assert numbers.test_record_cells(ctx, None, {})[1] == numbers.DASH
