"""The guides in docs/ run as written.

Every ``shieldcheck ...`` line of a ```bash block is run (in a scratch folder), every ```python
block is executed, and every line of a ```text block that follows a command must appear in that
command's output (whitespace-insensitive): the numbers a guide quotes are the numbers the tool
gives today.
"""

import re
import shlex
from pathlib import Path

import pytest
from cli_helpers import run

GUIDES = sorted((Path(__file__).parents[1] / "docs").glob("guide-*.md"))


def _normal(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.slow
@pytest.mark.parametrize("guide", GUIDES, ids=[g.stem for g in GUIDES])
def test_guide_runs_as_written(guide, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "200")
    blocks = re.findall(r"```(bash|python|text)\n(.*?)```", guide.read_text(), re.S)
    assert any(kind == "bash" for kind, _ in blocks)
    output = ""
    for kind, body in blocks:
        if kind == "bash":
            output = ""
            for line in body.replace("\\\n", " ").splitlines():
                if not line.startswith("shieldcheck "):
                    continue
                code, out, err = run(shlex.split(line)[1:], capsys)
                assert code == 0, (line, err[-2000:])
                output += out
        elif kind == "python":
            exec(compile(body, str(guide), "exec"), {})
            output = capsys.readouterr().out
        else:
            for expected in filter(None, (line.strip() for line in body.splitlines())):
                if expected == "...":
                    continue
                assert _normal(expected) in _normal(output), (guide.name, expected)
