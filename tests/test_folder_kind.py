"""One kind of output per folder (``folder_kind``): each command that writes an output folder claims it for
its kind before any work, and writing another kind into it is refused in one line naming the folder, the
kind it holds and the kind asked, with exit status 2 and the folder left as it was.

Reference: the issue's case, ``sweep --out`` into an assessment folder and ``assess --out`` into a sweep
folder, after which ``query`` read the assessment's folder as a sweep; here each is refused, and every
other pair of the commands that write folders is refused the same way.
"""

from __future__ import annotations

import re

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from cli_helpers import run

from shieldcheck import folder_kind
from shieldcheck.errors import InputError


def _contents(folder) -> dict:
    """Every file under ``folder`` with its bytes: what a refused run must leave unchanged."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _holding(tmp_path, kind: str, name: str = "held"):
    """A folder holding output of ``kind``, marked as a command marks it, with one of its kind's files."""
    folder = tmp_path / name
    folder.mkdir()
    folder_kind.claim(folder, kind)
    (folder / folder_kind.SIGNS[kind][0]).write_text("{}")
    return folder


def test_a_folder_is_claimed_once_and_keeps_its_kind(tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    assert folder_kind.kind_of(folder) is None and folder_kind.kind_of(tmp_path / "missing") is None
    folder_kind.claim(folder, "assess")
    assert (folder / folder_kind.MARKER).read_text() == "assess\n"
    assert folder_kind.kind_of(folder) is None  # the marker alone: nothing held yet
    (folder / ".work").mkdir()
    assert folder_kind.kind_of(folder) == "assess"
    folder_kind.claim(folder, "assess")  # the same kind again: a resumed run
    with pytest.raises(InputError) as error:
        folder_kind.claim(folder, "sweep")
    assert str(error.value) == (f"--out {str(folder)!r}: the folder holds assessment results (shieldcheck assess); "
                                "sweep results (shieldcheck sweep) cannot be written into it: give another folder")
    assert (folder / folder_kind.MARKER).read_text() == "assess\n"


def test_a_refused_runs_leftover_marker_holds_nothing(tmp_path):
    """A folder with only a marker and a lock (a run refused after claiming it) may be claimed by any kind."""
    folder = tmp_path / "left"
    folder.mkdir()
    folder_kind.claim(folder, "sweep")
    (folder / folder_kind.LOCK).write_text("")
    folder_kind.claim(folder, "assess")
    assert (folder / folder_kind.MARKER).read_text() == "assess\n"


@pytest.mark.parametrize("kind", sorted(folder_kind.SIGNS))
def test_a_folder_written_before_markers_is_known_by_its_files(tmp_path, kind):
    folder = tmp_path / kind
    folder.mkdir()
    for name in folder_kind.SIGNS[kind]:
        (folder / name).write_text("{}")
        assert folder_kind.kind_of(folder) == kind
    other = next(k for k in folder_kind.KINDS if k != kind)
    with pytest.raises(InputError, match=rf"holds {re.escape(folder_kind.words(kind))}; "
                                         rf"{re.escape(folder_kind.words(other))} cannot be written into it"):
        folder_kind.check(folder, other)


def test_every_kind_has_words_and_signs():
    assert set(folder_kind.KINDS) == set(folder_kind.SIGNS) == {"assess", "sweep", "footprint", "guarantee", "compare",
                                                                "space", "engage"}
    signs = [name for names in folder_kind.SIGNS.values() for name in names]
    assert len(signs) == len(set(signs))  # no file is the sign of two kinds


def _commands(small_file, out) -> dict[str, list[str]]:
    """Each command that writes a folder, writing into ``out``, with arguments that would run."""
    scenario = str(small_file)
    return {
        "assess": ["assess", scenario, "--uncertainty", "0", "--out", str(out)],
        "sweep": ["sweep", scenario, "--vary", "assumptions.launch_delay_s=10,20", "--out", str(out)],
        "footprint": ["footprint", scenario, "--phase", "First", "--launch", "Tabriz", "--missile", "Sejjil-2",
                      "--out", str(out)],
        "guarantee": ["guarantee", scenario, "--phase", "Second", "--out", str(out)],
        "compare": ["compare", scenario, "epaa", "--out", str(out)],
        "space": ["space", scenario, "--launches", "2", "--trials", "1", "--out", str(out)],
    }


@pytest.mark.parametrize("asked", ["assess", "sweep", "footprint", "guarantee", "compare", "space"])
def test_each_command_refuses_a_folder_of_another_kind_before_any_work(small_file, tmp_path, capsys, asked):
    """Each command into a folder holding another kind (assessment results; for assess, sweep results): one
    line naming the folder, the kind held and the kind asked, exit 2, quickly, and the folder unchanged."""
    import time

    held = "sweep" if asked == "assess" else "assess"
    folder = _holding(tmp_path, held)
    before = _contents(folder)
    start = time.perf_counter()
    code, _, err = run(_commands(small_file, folder)[asked], capsys)
    assert code == 2, err
    assert len(err.strip().splitlines()) == 1 and err.strip().endswith(
        f"--out {str(folder)!r}: the folder holds {folder_kind.words(held)}; {folder_kind.words(asked)} cannot be "
        "written into it: give another folder"), err
    assert _contents(folder) == before
    assert time.perf_counter() - start < 60  # refused before any flight (an assessment of it takes minutes)


def test_compare_refuses_a_scenario_folder_of_another_kind_before_any_work(small_file, tmp_path, capsys):
    """compare writes each scenario's assessment into a folder of its own: each is checked before the first
    scenario is assessed."""
    out = tmp_path / "cmp"
    out.mkdir()
    second = _holding(out, "sweep", "epaa")
    code, _, err = run(["compare", str(small_file), "epaa", "--out", str(out)], capsys)
    assert code == 2 and len(err.strip().splitlines()) == 1, err
    assert f"{str(second)!r}: the folder holds sweep results" in err and "assessment results" in err
    assert not (out / "small").exists()


def test_query_says_which_kind_of_folder_it_read_and_refuses_others(tmp_path, capsys):
    """An assessment folder is read as assessment results, a sweep folder as sweep results (said on stderr,
    so that --csv and --json stay clean); a folder of another kind has no tables and is refused."""
    assessed = _holding(tmp_path, "assess", "assessed")
    pq.write_table(pa.table({"flight_id": [1, 2]}), assessed / "results.parquet")
    swept = _holding(tmp_path, "sweep", "swept")
    (swept / "results").mkdir()
    pq.write_table(pa.table({"case_id": [0, 0, 1]}), swept / "results" / "chunk-0.parquet")
    for folder, words, rows in ((assessed, "assessment results (shieldcheck assess)", 2),
                                (swept, "sweep results (shieldcheck sweep)", 3)):
        code, out, err = run(["query", str(folder), "--csv", "select count(*) as n from results"], capsys)
        assert code == 0 and out == f"n\n{rows}\n" and err == f"{folder}: {words}\n", (out, err)
    footprint = _holding(tmp_path, "footprint", "fp")
    code, _, err = run(["query", str(footprint), "select 1"], capsys)
    assert code == 2 and len(err.strip().splitlines()) == 1 and "holds a footprint (shieldcheck footprint)" in err
