"""Sweeps refused before any work: a parameter that changes nothing the sweep evaluates, and values a
record refuses; a refused sweep leaves nothing behind, so the corrected command then runs.

Each refusal is checked against the scenario it names: in the small scenario (tests/scenarios.py) THAAD
stands at no site, the SM-3 Block IIA only in phase Second, the Kurecik radar cues only phase First and
the Bulava is in no threat set; a variant whose every site launches on a fixed delay reads no radar
cross-section, and with the endgame 'none' no kill-vehicle limit and no track velocity error is read.
Where a parameter does enter, the same sweep is accepted (so each refusal is the rule, not a blanket).
"""

import pytest
import scenarios
from cli_helpers import run

from shieldcheck import scenario, sensors, sweep
from shieldcheck.errors import InputError

IIA = 'interceptor."SM-3 Block IIA"'
KURECIK = 'sensor."AN/TPY-2 Kurecik"'
DELAYED = (scenarios.SMALL.replace('cueing = "remote"\n', 'cueing = "delay:60"\n', 1)
           .replace('  cueing = "own"\n', '  cueing = "delay:90"\n')
           .replace('bounding_cueing = { value = "delay:105", source = "MODEL", estimate = true }\n',
                    'bounding_cueing = { value = "delay:105", source = "MODEL", estimate = true }\n'
                    'track_velocity_error_m_s = { value = 10.0, source = "MODEL", estimate = true }\n'))


@pytest.fixture(scope="module")
def small(small_file):
    return scenario.load(small_file)


@pytest.fixture(scope="module")
def delayed(tmp_path_factory):
    return scenarios.load(tmp_path_factory.mktemp("delayed"), DELAYED, "delayed.toml")


@pytest.mark.parametrize("vary, phases, words", [
    ("interceptor.THAAD.burnout_speed_km_s=2,3", (), "'THAAD' is the interceptor of no site in the phases swept "
                                                     "(First, Second)"),
    (f"{IIA}.burnout_speed_km_s=4,5", ("First",), "'SM-3 Block IIA' is the interceptor of no site in the phase "
                                                 "swept (First); the interceptors there: SM-3 Block IA"),
    (f"{IIA}.burn_time_s=50,60", ("first",), "no site in the phase swept (First)"),
    (f"{IIA}.kill_vehicle.divert_km_s=0.4,0.8", ("First",), "interceptor of no site"),
    (f"{KURECIK}.reference_range_km=500,1000", ("Second",), "'AN/TPY-2 Kurecik' cues no site in the phase swept "
                                                          "(Second)"),
    ("missile.Bulava.scale=0.99,1.01", (), "'Bulava' is in no threat set of 'small'"),
    ("assumptions.shoot_look_shoot_s=30,90", (), "not the verdict, margin or window a sweep records"),
])
def test_a_parameter_the_sweep_does_not_evaluate_is_refused_with_why(small, vary, phases, words):
    with pytest.raises(InputError) as caught:
        sweep.plan(small, [vary], phases=phases)
    message = str(caught.value)
    assert "changes nothing the sweep evaluates" in message and words in message and "\n" not in message, message
    assert message.startswith(f"--vary {vary.split('=')[0].replace(chr(34), '')}")


@pytest.mark.parametrize("vary, phases", [
    (f"{IIA}.burnout_speed_km_s=4,5", ("Second",)),
    (f"{IIA}.kill_vehicle.divert_km_s=0.4,0.8", ()),
    (f"{KURECIK}.reference_range_km=500,1000", ("First",)),
    ("missile.Yars.scale=0.99,1.01", ()),
    ("assumptions.rcs_m2=0.01,1", ()),
])
def test_the_same_parameters_are_accepted_where_the_sweep_evaluates_them(small, vary, phases):
    plan = sweep.plan(small, [vary], phases=phases)
    assert len(plan.cases()) == 2


@pytest.mark.parametrize("vary, endgame, words", [
    ("assumptions.rcs_m2=0.01,1", None, "no site in the phases swept (First, Second) is cued by a sensor"),
    (f"{KURECIK}.reference_range_km=500,1000", None, "cues no site"),
    ("assumptions.track_velocity_error_m_s=0,50", "none", "only the kinematic endgame's divert check reads it"),
    (f"{IIA}.kill_vehicle.divert_km_s=0.4,0.8", "none", "no kill-vehicle limit is read"),
])
def test_what_the_cueing_or_the_endgame_never_reads_is_refused(delayed, vary, endgame, words):
    chosen = delayed.with_endgame(endgame) if endgame else delayed
    with pytest.raises(InputError, match="changes nothing the sweep evaluates") as caught:
        sweep.plan(chosen, [vary])
    assert words in str(caught.value), caught.value
    if endgame:  # the kinematic endgame reads it
        assert len(sweep.plan(delayed, [vary]).cases()) == 2


def test_a_value_a_record_refuses_is_refused_before_any_work(small_file, tmp_path, capsys):
    out = tmp_path / "out"
    code, _, err = run(["sweep", str(small_file), "--vary", f"{KURECIK}.reference_range_km=0.5,1000", "--phase", "First",
                        "--out", str(out)], capsys)
    assert code == 2 and err.count("\n") == 1 and "reaches 0.5, which the record refuses" in err, err
    assert "reference_range_km = 0.5 is outside 1 to 50000" in err and not out.exists()
    code, _, err = run(["sweep", str(small_file), "--vary", "assumptions.rcs_m2=0,0.1", "--out", str(out)], capsys)
    assert code == 2 and "rcs_m2 = 0.0 is outside 0.0001 to 100 m^2" in err and not out.exists()


@pytest.mark.parametrize("existed", [False, True])
def test_a_sweep_refused_after_its_start_leaves_nothing_and_the_corrected_one_runs(small_file, tmp_path, capsys,
                                                                                   monkeypatch, existed):
    out = tmp_path / "out"
    if existed:  # a folder the user made: kept, and left as it was (a .work of its own included)
        out.mkdir()
        (out / "notes.txt").write_text("mine")
        (out / ".work").mkdir()
        (out / ".work" / "kept.txt").write_text("earlier work")
    real = sweep.run_chunk
    started = []

    def refusing(plan, first_case_id, cases, work_dir=None):  # a value refused as the first chunk builds its case
        started.append((work_dir.parent / "manifest.json").exists() and (work_dir.parent / "cases.parquet").exists())
        raise InputError("a record refuses this case's value")

    monkeypatch.setattr(sweep, "run_chunk", refusing)
    command = ["sweep", str(small_file), "--vary", "assumptions.launch_delay_s=10,20", "--out", str(out)]
    code, _, err = run(command, capsys)
    assert code == 2 and "a record refuses" in err and started == [True], err  # refused after its start
    if existed:  # and the lock every run leaves
        assert sorted(p.name for p in out.iterdir()) == [".shieldcheck.lock", ".work", "notes.txt"]
        assert (out / ".work" / "kept.txt").read_text() == "earlier work"
        return  # the rerun is the same as below
    assert not out.exists()
    monkeypatch.setattr(sweep, "run_chunk", real)
    code, _, err = run(command, capsys)  # the corrected command: no "holds a different sweep"
    assert code == 0, err
    assert (out / "summary.json").exists() and len(list((out / "results").glob("chunk-*.parquet"))) >= 1


def test_a_full_disk_is_status_1_naming_the_file_being_written(small_file, tmp_path, capsys, monkeypatch):
    # the machine's failure, not the input's: status 1, the file named (the write itself does not name it)
    import errno

    import pyarrow.parquet

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(pyarrow.parquet, "write_table", full)
    out = tmp_path / "out"
    code, _, err = run(["sweep", str(small_file), "--vary", "assumptions.launch_delay_s=10", "--out", str(out)], capsys)
    assert code == 1 and err.count("\n") == 1 and "Traceback" not in err, err
    assert f"{out / 'cases.parquet'} No space left on device" in err and "the same command resumes" in err


def test_the_checks_build_no_sector_mask(monkeypatch):
    # a sector mask takes seconds to build and no parameter changes it: `assess --uncertainty` plans a sweep
    # per catalog range (sweep.catalog_bands), and on the sectoral scenario building masks took minutes
    from shieldcheck import engagement

    def refused(*args, **kwargs):
        raise AssertionError("a sector mask was built while checking a sweep")

    chosen = scenario.load("sectoral")
    monkeypatch.setattr(engagement.SectorMask, "of", classmethod(refused))
    plan = sweep.plan(chosen, ["assumptions.rcs_m2=0.01,1", f"{IIA}.kill_vehicle.divert_km_s=0.4,0.8"])
    assert len(plan.cases()) == 4


def test_a_radars_measurement_errors_are_not_swept(small):
    """They enter the tracks `shieldcheck verify` simulates, not an engagement: refused, and left out of the
    uncertainty run's catalog ranges with that reason."""
    fields = sensors.Radar.MEASUREMENT_FIELDS + sensors.Radar.BIAS_FIELDS
    for field in fields:
        with pytest.raises(InputError, match="not the engagement verdicts a sweep evaluates"):
            sweep.plan(small, [f"{KURECIK}.{field}=1,2"])
    chosen, left_out = sweep.catalog_bands(small)
    assert not any(path.split("=")[0].endswith(fields) for path in chosen)
    assert any("range_noise_m: a radar's measurement errors" in reason for reason in left_out)
    assert any("range_bias_m: a radar's measurement errors" in reason for reason in left_out)
