"""The README's Python example runs as written."""

import re
import shlex
from pathlib import Path

import pytest
from cli_helpers import run


def test_readme_python_example_runs(capsys):
    text = (Path(__file__).parents[1] / "README.md").read_text()
    block = re.search(r"```python\n(.*?)```", text, re.S).group(1)
    exec(compile(block, "README.md", "exec"), {})
    out = capsys.readouterr().out
    assert "<Flights 2 × Shahab-3" in out


@pytest.mark.slow
def test_readme_command_lines_run(capsys, tmp_path, monkeypatch):
    """Every `shieldcheck ...` line of the README's command-line section exits with status 0 (run in a
    scratch folder: the files they write do not land in the checkout)."""
    monkeypatch.chdir(tmp_path)

    text = (Path(__file__).parents[1] / "README.md").read_text()
    section = text[text.index("## Command line"):text.index("## Python")]
    block = re.search(r"```bash\n(.*?)```", section, re.S).group(1).replace("\\\n", " ")
    lines = [line for line in block.splitlines() if line.startswith("shieldcheck ")]
    assert len(lines) >= 8
    for line in lines:
        code, _, err = run(shlex.split(line)[1:], capsys)
        assert code == 0, (line, err)
