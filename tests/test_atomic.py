"""Files written whole or not at all (``atomic``): no half-written file under the final name."""

from __future__ import annotations

import numpy as np
import pytest

from shieldcheck import atomic


def test_a_file_appears_whole_and_the_temporary_name_goes(tmp_path):
    path = atomic.write_text(tmp_path / "sub" / "a.json", "[1]")
    assert path.read_text() == "[1]" and [p.name for p in path.parent.iterdir()] == ["a.json"]


def test_the_temporary_name_keeps_the_suffix(tmp_path):
    # np.savez adds ".npz" to a name without it: the envelope cache relies on the suffix staying last
    path = atomic.write(tmp_path / "e.npz", lambda partial: np.savez(partial, x=np.arange(3)))
    assert np.load(path)["x"].tolist() == [0, 1, 2] and len(list(tmp_path.iterdir())) == 1


def test_a_failed_write_leaves_neither_file(tmp_path):
    def fail(partial):
        partial.write_text("half")
        raise ValueError("NaN in the summary")

    with pytest.raises(ValueError):
        atomic.write(tmp_path / "s.json", fail)
    assert not list(tmp_path.iterdir())


def test_a_shared_cache_that_cannot_be_written_is_skipped(tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("")
    atomic.write_text(blocked / "x.json", "{}", shared=True)  # its folder is a file: an OSError, ignored
    with pytest.raises(OSError):
        atomic.write_text(blocked / "x.json", "{}")


def test_a_full_disk_names_the_file_being_written(tmp_path):
    # a write that fills the disk raises ENOSPC without a file name (the file was opened before): the error
    # that comes out names the file meant, so `shieldcheck` can say which one failed
    import errno

    def full(partial):
        partial.write_text("half")
        raise OSError(errno.ENOSPC, "No space left on device")

    target = tmp_path / "out" / "results.parquet"
    with pytest.raises(OSError) as caught:
        atomic.write(target, full)
    assert caught.value.errno == errno.ENOSPC and caught.value.filename == str(target)
    assert caught.value.strerror == "No space left on device" and not list((tmp_path / "out").iterdir())
