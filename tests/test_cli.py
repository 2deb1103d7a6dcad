"""The command line: JSON fields, readable output, and one-line errors with exit status 2."""

import json
import re

import pytest
from cli_helpers import run, run_process


def test_fly_json_has_the_documented_fields(capsys):
    code, out, err = run(["fly", "--missile", "Shahab-3", "--from", "Tabriz", "--to", "40,40", "--json"], capsys)
    assert code == 0, err
    data = json.loads(out)
    for key in ("range_km", "flight_time_s", "apogee_km", "impact", "impact_miss_km", "burnout", "model", "sources"):
        assert key in data
    assert set(data["burnout"]) >= {"time_s", "speed_km_s", "altitude_km", "flight_path_angle_deg"}
    assert set(data["impact"]) >= {"lat_deg", "lon_deg"}
    assert data["model"] == {**data["model"], "earth": "wgs84-j2-rotating", "atmosphere": "ussa1976"}
    assert data["impact_miss_km"] < 1.0
    assert any("Arms Control" in s for s in data["sources"])
    assert "NaN" not in out


def test_fly_burnout_json(capsys):
    code, out, err = run(["fly", "--burnout", "0,0,200,7,30,90", "--earth", "spherical-nonrotating",
                          "--atmosphere", "none", "--json"], capsys)
    assert code == 0, err
    data = json.loads(out)
    assert data["impact_miss_km"] == 0.0
    assert data["burnout"]["speed_km_s"] == pytest.approx(7.0)
    assert 9_000 < data["range_km"] < 10_000


@pytest.mark.parametrize("earth, says, never", [
    ("wgs84-j2-rotating", ("WGS 84 ellipsoid", "J2", "relative to the rotating Earth", "above the WGS 84 ellipsoid"),
     ("the sphere", "non-rotating")),
    ("wgs84-pointmass-rotating", ("WGS 84 ellipsoid", "no J2", "relative to the rotating Earth"), ("the sphere",)),
    ("spherical-nonrotating", ("sphere of radius 6371.0 km", "no rotation", "relative to the non-rotating Earth",
                               "above the sphere of radius 6371.0 km"), ("ellipsoid", "WGS 84", "the rotating Earth")),
])
def test_fly_assumptions_describe_the_chosen_earth(capsys, earth, says, never):
    """Each Earth model's stated assumptions are its own: a sphere without rotation is never called the
    rotating WGS 84 ellipsoid (the burnout frame and the impact surface follow the model)."""
    code, out, err = run(["fly", "--burnout", "0,0,200,7,30,90", "--earth", earth, "--atmosphere", "none",
                          "--json"], capsys)
    assert code == 0, err
    text = " | ".join(json.loads(out)["assumptions"])
    for words in says:
        assert words in text, text
    for words in never:
        assert words not in text, text


def test_readable_summary_and_catalog(capsys):
    code, out, err = run(["fly", "--missile", "Shahab-3", "--from", "Tabriz", "--to", "40,40"], capsys)
    assert code == 0 and "range" in out and "Sources" in out and "Assumptions" in out
    code, out, err = run(["catalog", "missiles"], capsys)
    assert code == 0 and "Shahab-3" in out and "Yars" in out
    code, out, err = run(["catalog", "sites", "--json"], capsys)
    sites = json.loads(out)
    assert {"Deveselu", "Redzikowo", "Kurecik", "Teykovo", "Washington"} <= {s["name"] for s in sites}
    assert all(s["sources"] for s in sites)


@pytest.mark.parametrize("args, message", [
    (("fly", "--missile", "Shahab-4"), r"missile: 'Shahab-4' is not an allowed choice; allowed: .*Did you mean "
                                       r"'Shahab-3'"),
    (("fly", "--from", "Teykovp"), r"site: 'Teykovp' is not an allowed choice; allowed: .*Did you mean 'Teykovo'"),
    (("fly", "--to", "91,3"), r"latitude_deg = 91.0 is outside -90 to 90"),
    (("fly", "--to", "12,abc"), r"expected LAT,LON in degrees"),
    (("fly", "--burnout", "0,0,200,x,30,90"), r"SPEED_KM_S = 'x' is not a number"),
    (("fly", "--burnout", "0,0,200,7"), r"expected 6 comma-separated numbers"),
    (("fly", "--burnout", "0,0,200,70,30,90"), r"burnout speed_m_s = 70000.0 is outside 0 to 11,?000"),
    (("fly", "--earth", "flat"), r"earth: 'flat' is not an allowed choice; allowed: wgs84-j2-rotating"),
    (("fly", "--atmosphere", "ussa1962"), r"atmosphere: 'ussa1962' is not an allowed choice; allowed: ussa1976, none"),
    (("fly", "--missile", "Shahab-3", "--from", "Tabriz", "--to", "London"), r"maximum range .* is 1,\d\d\d km"),
    (("fly", "--trajectory", "sideways"), r"sideways"),
])
def test_bad_input_is_one_line_and_exit_status_2(capsys, args, message):
    code, out, err = run(args, capsys)
    assert code == 2
    assert re.search(message, err), err
    assert "Traceback" not in err


def test_shieldcheck_alone_prints_its_help_and_no_error(capsys):
    code, out, err = run([], capsys)
    assert code == 0 and "Usage: shieldcheck" in out and not err.strip(), err
    done = run_process([], timeout_s=120)
    assert done.returncode == 0 and "Usage: shieldcheck" in done.stdout and not done.stderr.strip(), done.stderr


def test_installed_command_exits_2_without_traceback():
    done = run_process(["fly", "--missile", "Shahab-4"], timeout_s=120)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "Did you mean" in done.stderr


@pytest.mark.parametrize("kind, name", [("interceptors", "SM-3 Block IIA"), ("sensors", "AN/TPY-2 Kurecik"),
                                        ("scenarios", "epaa")])
def test_catalog_lists_interceptors_and_sensors(capsys, kind, name):
    code, out, err = run(["catalog", kind, "--json"], capsys)
    assert code == 0, err
    entries = json.loads(out)
    assert name in {e["name"] for e in entries}
    assert all(e["sources"] for e in entries)
    code, out, err = run(["catalog", kind], capsys)
    assert code == 0 and name.split()[0] in out


def test_engage_json_has_the_documented_fields(capsys):
    code, out, err = run(["engage", "--missile", "Shahab-3", "--from", "Tabriz", "--to", "40.5,38",
                          "--interceptor", "SM-3 Block IA", "--site", "40.5,38", "--cueing", "delay:60", "--json"],
                         capsys)
    assert code == 0, err
    data = json.loads(out)
    for key in ("verdict", "message", "margin_s", "interceptor_launch_s", "window", "shots", "intercept_point",
                "detection", "assumptions", "sources"):
        assert key in data
    assert data["verdict"] in {"feasible", "never_detected", "out_of_altitude_band", "out_of_range", "too_late"}
    assert data["verdict"] == "feasible" and data["margin_s"] > 0  # head-on over the aim point
    assert set(data["window"]) == {"earliest_s", "latest_s", "min_altitude_km", "max_altitude_km", "flight_phases"}
    assert set(data["intercept_point"]) >= {"lat_deg", "lon_deg", "altitude_km", "time_s", "closing_speed_km_s",
                                            "crossing_angle_deg", "flight_phase"}
    # the window opens while the Shahab-3 still climbs towards its apogee and runs on past it
    assert data["window"]["flight_phases"] == ["ascent", "midcourse"] and data["intercept_point"]["flight_phase"] == "ascent"
    assert data["assumptions"]["cueing"] == "delay:60"
    assert "NaN" not in out


@pytest.mark.parametrize("args, message", [
    (("--interceptor", "SM-4"), r"interceptor: 'SM-4' is not an allowed choice"),
    (("--cueing", "remote", "--sensor", "TPY-3"), r"sensor: 'TPY-3' is not an allowed choice"),
    (("--cueing", "remote"), r"cueing 'remote' names no sensor"),
    (("--cueing", "own", "--site", "Rota"), r"no catalog radar stands at the interceptor site 'Rota'"),
    (("--cueing", "soon"), r"cueing: 'soon' is not an allowed choice; allowed: own, remote \(launch-on-remote\), "
                           r"engage-remote"),
    (("--launch-delay", "-5"), r"--launch-delay = -5.0 is outside 0 to 3,600 s"),
    (("--sector", "Polnad"), r"country: 'Polnad' is not an allowed choice; allowed: .*Did you mean 'Poland'"),
    (("--sector", "Poland", "--sector-buffer-km", "-1"), r"--sector-buffer-km = -1.0 is outside 0 to 2,000"),
    (("--flight-phase", "coast"), r"--flight-phase: 'coast' is not an allowed choice; allowed: any, boost, ascent, "
                                  r"midcourse, terminal"),
])
def test_engage_bad_input_is_one_line_and_exit_status_2(capsys, args, message):
    code, out, err = run(["engage", *args], capsys)
    assert code == 2
    assert re.search(message, err), err


@pytest.mark.slow
def test_engage_sweeps_interceptor_speed(capsys):
    """docs/published-settings.md's example: a faster SM-3 IIA is less late (monotone margin)."""
    margins = []
    for speed in ("4.0", "5.0"):
        code, out, err = run(["engage", "--missile", "Yars", "--from", "Teykovo", "--to", "Washington",
                              "--interceptor", "SM-3 Block IIA", "--site", "Redzikowo", "--cueing", "delay:120",
                              "--burnout-speed-km-s", speed, "--json"], capsys)
        assert code == 0, err
        data = json.loads(out)
        assert data["interceptor"]["burnout_speed_km_s"] == pytest.approx(float(speed), rel=0.01)
        assert "rescaled" in data["assumptions"]["interceptor_speed"]
        margins.append(data["margin_s"])
    assert margins[1] > margins[0]
    code, out, err = run(["engage", "--burnout-speed-km-s", "30"], capsys)
    assert code == 2 and "--burnout-speed-km-s = 30.0 is outside 0.5 to 12" in err


def test_engage_reports_what_each_cueing_sensor_saw(capsys):
    """Remote cueing by a radar that never sees the flight and one that does: each sensor's first
    detection, track and gaps, or the reason it never saw the flight; the cue is the earliest track."""
    code, out, err = run(["engage", "--missile", "Yars", "--from", "Teykovo", "--to", "Washington",
                          "--cueing", "remote", "--sensor", "UEWR Fylingdales", "--sensor", "AN/TPY-2 Kurecik", "--json"],
                         capsys)
    assert code == 0, err
    detection = json.loads(out)["detection"]
    seen = {s["sensor"]: s for s in detection["sensors"]}
    assert seen["AN/TPY-2 Kurecik"]["track_s"] is None and "horizon" in seen["AN/TPY-2 Kurecik"]["never"]
    fylingdales = seen["UEWR Fylingdales"]
    assert fylingdales["first_s"] < fylingdales["track_s"] == detection["track_s"]
    assert all(a < b for a, b in fylingdales["gaps_s"])


def test_fly_takes_a_trajectory_shape_and_refuses_shapes_with_burnout(capsys):
    code, _, err = run(["fly", "--burnout", "40,50,200,6.5,30,315", "--apogee-ratio", "1.5"], capsys)
    assert code == 2
    assert "--apogee-ratio shape(s) a launch and do not apply" in err
    code, _, err = run(["fly", "--missile", "Shahab-3", "--from", "Tabriz", "--to", "40,40", "--trajectory",
                        "depressed:apogee_ratio=2"], capsys)
    assert code == 2
    assert "a depressed apogee_ratio must be below 1" in err and err.count("\n") == 1


@pytest.mark.parametrize("args, expected", [
    (["engage", "--rcs-m2", "nan"], "--rcs-m2 = nan is outside"),
    (["engage", "--rcs-m2", "-1"], "--rcs-m2 = -1.0 is outside"),
    (["engage", "--launch-delay", "inf"], "--launch-delay = inf is outside"),
    (["engage", "--sector", "Poland", "--sector-buffer-km", "-5"], "--sector-buffer-km = -5.0 is outside"),
    (["engage", "--sector-buffer-km", "10"], "--sector-buffer-km grows a sector: give --sector"),
    (["engage", "--sensor", "UEWR Fylingdales"], "--sensor is used by --cueing remote or engage-remote only"),
    (["engage", "--missile", ""], "--missile = '' names nothing"),
    (["fly", "--missile", ""], "--missile = '' names nothing: give a name (or leave the option out for 'Yars')"),
    (["fly", "--from", "  "], "--from = '  ' names nothing"),
    (["compare", "epaa", "nope"], "scenario: 'nope' is not an allowed choice"),
    (["guarantee", "epaa", "--site", "Atlantis"], "of epaa: 'Atlantis' is not an allowed choice; allowed: "),
])
def test_bad_values_conflicts_and_empty_names_are_one_line_before_any_work(capsys, args, expected, tmp_path):
    # numeric options finite and within bounds, options that do not apply refused, empty names never
    # replaced by a default, every name checked before anything is flown
    code, _, err = run(args + (["--out", str(tmp_path / "out")] if args[0] in ("compare", "guarantee") else []), capsys)
    assert code == 2
    assert expected in err and err.count("\n") == 1
    assert not (tmp_path / "out" / ".work").exists()  # nothing aimed or flown


def test_engage_json_margin_is_null_where_no_margin_applies(capsys):
    """As in results.parquet: a pair never launched on (here: the site's radar never sees the Yars) has
    no margin, null in JSON, not 0.0."""
    code, out, err = run(["engage", "--missile", "Yars", "--from", "Teykovo", "--to", "Washington",
                          "--interceptor", "SM-3 Block IIA", "--site", "Redzikowo", "--cueing", "own", "--json"],
                         capsys)
    assert code == 0, err
    data = json.loads(out)
    assert data["verdict"] == "never_detected" and data["margin_s"] is None


@pytest.mark.slow
def test_yars_at_redzikowo_gbi_is_endgame_infeasible_not_too_late(capsys):
    """A Yars from near Bryansk towards New York against a GBI (6.3 km/s) at Redzikowo, launched 190 s after
    it: the kill vehicle reaches the warhead in time only in a tail chase (crossing angle far beyond the
    catalog's 90 deg), and at the points its endgame allows it is late. The verdict says the endgame
    decided, and names both numbers: an earlier cue is not what is missing. With ``--endgame none`` the
    tail chase counts, and the pair is feasible with the margin of that same best point."""
    args = ("engage", "--missile", "Yars", "--from", "54.0333,35.7667", "--to", "40.7128,-74.0060",
            "--interceptor", "GBI (three-stage)", "--site", "54.479,17.109", "--cueing", "delay:190",
            "--burnout-speed-km-s", "6.3", "--json")
    code, out, err = run(args, capsys)
    assert code == 0, err
    on = json.loads(out)
    assert on["verdict"] == "endgame_infeasible", on["message"]
    late_s = -on["usable_margin_s"]
    assert late_s > 0.0 and on["margin_s"] is None
    angle = re.search(r"tail chase: crossing angle (\d+) deg, beyond the 90 deg", on["message"])
    assert angle and int(angle.group(1)) > 90, on["message"]
    assert f"arrives {late_s:.0f} s too late" in on["message"] and "in time only at points" in on["message"]
    code, out, err = run([*args, "--endgame", "none"], capsys)
    assert code == 0, err
    off = json.loads(out)
    assert off["verdict"] == "feasible" and off["usable_margin_s"] is None
    reached = re.search(r"at the best point reached \+(\d+) s", on["message"])
    assert abs(off["margin_s"] - int(reached.group(1))) <= 0.5  # the same best point, reached with or without the endgame


def test_engage_default_cue_is_the_scenarios_bounding_cue(capsys):
    """`engage` without --cueing takes its cue from the built-in scenario's bounding cue (one source, read
    from the scenario file), states it, and states how far its launch is from the scenario's bounding rows
    (their decision time); its help quotes the same numbers. Launch time exact to the 0.01 s rounding."""
    from shieldcheck import scenario

    bound, commit_s = scenario.bounding_cue()
    delay_s = float(bound.value.split(":")[1])
    for name in scenario.builtin_names():  # the help names one scenario's bound: every built-in shares it
        assert scenario.load(name).assumptions.bounding_cueing.value == bound.value, name
    code, out, err = run(["engage", "--missile", "Shahab-3", "--from", "Tabriz", "--to", "40.5,38",
                          "--interceptor", "SM-3 Block IA", "--site", "40.5,38", "--json"], capsys)
    assert code == 0, err
    data = json.loads(out)
    assert data["assumptions"]["cueing"] == bound.value
    assert data["interceptor_launch_s"] == pytest.approx(delay_s, abs=0.01)
    assert f"launch {commit_s:g} s after that cue" in data["assumptions"]["default_cue"]
    code, out, err = run(["engage", "--help"], capsys)
    words = " ".join(re.sub(r"[│╭╮╰╯─]", " ", out).split())
    assert f"epaa, {bound.value}" in words and f"bounding_decision_time_s, {commit_s:g} s" in words, words
