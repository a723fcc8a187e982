"""Atomic writes: complete or absent, with the permissions a plain write would give."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from generator.files import atomic_text_stream, atomic_write


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_file_gets_the_umask_mode_not_mkstemps_private_one(tmp_path: Path) -> None:
    previous = os.umask(0o022)
    try:
        atomic_write(tmp_path / "a" / "new.txt", "hello\n")
    finally:
        os.umask(previous)
    assert (tmp_path / "a" / "new.txt").read_text() == "hello\n"
    assert mode(tmp_path / "a" / "new.txt") == 0o644


def test_a_replaced_file_keeps_its_mode(tmp_path: Path) -> None:
    script = tmp_path / "run.sh"
    script.write_text("old\n")
    script.chmod(0o750)
    atomic_write(script, b"new\n")
    assert (script.read_text(), mode(script)) == ("new\n", 0o750)


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    report = tmp_path / "report.xml"
    report.write_text("previous\n")
    with pytest.raises(RuntimeError), atomic_text_stream(report) as out:
        out.write("half of a rep")
        raise RuntimeError("interrupted")
    assert report.read_text() == "previous\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.xml"]
