"""``shieldcheck space``: the space-based interceptor study from the command line, a thin layer over
``space_study.study`` (its physics is tested in test_space_interceptors.py and test_space_study.py)."""

import json

import pytest
from cli_helpers import run


def test_an_unknown_constellation_is_one_line_and_exit_2(capsys, tmp_path):
    code, out, err = run(["space", "epaa", "--constellation", "CBO-2099", "--out", str(tmp_path / "space")], capsys)
    assert code == 2 and "constellation: 'CBO-2099' is not an allowed choice" in err
    assert len(err.strip().splitlines()) == 1 and not (tmp_path / "space").exists()


@pytest.mark.slow
def test_the_study_writes_its_tables_and_says_the_shares(capsys, tmp_path):
    out_dir = tmp_path / "space"
    code, out, err = run(["space", "epaa", "--constellation", "CBO-2025-like", "--launches", "2", "--trials", "1",
                          "--no-check-points", "--out", str(out_dir), "--json"], capsys)
    assert code == 0, err
    told = json.loads(out)
    written = json.loads((out_dir / "space-study.json").read_text())
    assert told["constellation"] == written["constellation"]
    assert {p.name for p in out_dir.glob("space-*.parquet")} >= {"space-launches.parquet", "space-sizes.parquet"}
