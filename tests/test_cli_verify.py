"""``shieldcheck verify``: who of the other side can watch an interceptor test and how precisely, from the
command line, a thin layer over ``sc.verify`` (the physics is tested in test_burnout_estimate.py)."""

import json

import pyarrow.parquet as pq
import pytest
from cli_helpers import run

TEST = ["verify", "--range", "Deveselu", "--interceptor", "SM-3 Block IIA", "--azimuth-deg", "60"]


@pytest.mark.parametrize("extra, says", [
    (["--range", "Deveselo"], "range: 'Deveselo' is not an allowed choice"),
    (["--radar", "Voronezh Nowhere"], "radar: 'Voronezh Nowhere' is not an allowed choice"),
    (["--radar", "SBIRS"], "radar: 'SBIRS' is not an allowed choice"),
    (["--range-noise-m", "-5"], "range_noise_m = -5.0 is outside 0 to 10,000 m"),
    (["--range-rate-noise-m-s", "0"], "range_rate_noise_m_s = 0: a measurement without noise cannot weight a fit"),
    (["--angle-noise-mrad", "nan"], "angle_noise_mrad = nan is outside"),
    (["--update-interval-s", "inf"], "update_interval_s = inf is outside"),
    (["--range-bias-m", "-1"], "range_bias_m = -1.0 is outside 0 to 10,000 m"),
    (["--range-rate-bias-m-s", "inf"], "range_rate_bias_m_s = inf is outside"),
    (["--confidence", "1.2"], "confidence = 1.2 is outside 0 (excluded) to 1 (excluded)"),
    (["--confidence", "0"], "confidence = 0.0 is outside 0 (excluded) to 1 (excluded)"),
])
def test_bad_input_is_one_line_and_exit_2(capsys, tmp_path, extra, says):
    args = [*TEST, *extra] if extra[0] != "--range" else ["verify", *extra, "--interceptor", "SM-3 Block IIA",
                                                          "--azimuth-deg", "60"]
    code, out, err = run([*args, "--out", str(tmp_path / "v")], capsys)
    assert code == 2 and says in err, err
    assert len(err.strip().splitlines()) == 1 and not (tmp_path / "v").exists()


@pytest.mark.slow
def test_a_seen_test_is_verifiable_and_written(capsys, tmp_path):
    out_dir = tmp_path / "v"
    code, out, err = run([*TEST, "--burnout-speed-km-s", "5.5", "--limit-km-s", "4.5", "--out", str(out_dir)], capsys)
    assert code == 0, err
    assert max(len(line) for line in out.splitlines()) <= 80
    assert "Voronezh-DM Armavir" in out and "verifiable by Voronezh-DM Armavir" in out
    written = json.loads((out_dir / "verify.json").read_text())
    assert written["observable"] and written["watched_by"] == ["Voronezh-DM Armavir"]
    assert written["estimates"][0]["shows_exceeded"] is True
    radars = pq.read_table(out_dir / "verify-radars.parquet").to_pylist()
    seen = {r["radar"]: r["sees"] for r in radars}
    assert seen["Voronezh-DM Armavir"] and not seen["Daryal Gabala"] and sum(seen.values()) == 1
    assert "UEWR Fylingdales" not in seen  # a radar on the test's own side
    assert pq.read_table(out_dir / "verify-flight.parquet").num_rows > 500
    assert (out_dir / "verify.png").stat().st_size > 10_000


def test_out_of_sight_says_so_and_telemetry_still_measures(capsys):
    code, out, err = run([*TEST, "--radar", "Daryal Gabala", "--telemetry", "--json"], capsys)
    assert code == 0, err
    told = json.loads(out)
    assert not told["observable"] and told["conclusion"].startswith(
        "not observable by the other side's radars from Deveselu; verification would rest on declarations and "
        "telemetry")
    (estimate,) = told["estimates"]
    assert estimate["basis"] == "telemetry alone" and estimate["std_m_s"] < 1.0


@pytest.mark.slow
def test_the_library_is_the_command(capsys, tmp_path, monkeypatch):
    """``sc.verify`` prints what the command prints and writes what it writes, byte for byte."""
    import shieldcheck as sc

    monkeypatch.setenv("COLUMNS", "80")
    args = [*TEST, "--radar", "Voronezh-DM Armavir", "--telemetry", "--seed", "4"]
    code, stdout, err = run([*args, "--out", str(tmp_path / "cli")], capsys)
    assert code == 0, err
    result = sc.verify("Deveselu", "SM-3 Block IIA", azimuth_deg=60.0, radars=["Voronezh-DM Armavir"], telemetry=True,
                       seed=4)
    written = result.write(tmp_path / "lib")
    capsys.readouterr()
    result.explain()
    assert capsys.readouterr().out.replace(str(written), "OUT") == stdout.replace(str(tmp_path / "cli"), "OUT")
    for name in ("verify.json", "verify-radars.parquet", "verify-estimates.parquet", "verify-flight.parquet",
                 "verify.png"):
        assert (tmp_path / "cli" / name).read_bytes() == (written / name).read_bytes(), name
    assert [r["basis"] for r in result.estimates.to_pylist()] == ["radars", "radars, coast only", "radars and telemetry"]
