"""Atomic writes: complete or absent, with the permissions a plain write would give."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from generator.files import WriteError, atomic_text_stream, atomic_write


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


def test_a_pipe_is_written_to_not_replaced_by_a_file(tmp_path: Path) -> None:
    # `-o /dev/null` (or a device made by mknod, a named pipe) must stay what it is: renaming a file over
    # it would leave a regular file where, as root, /dev/null was
    fifo = tmp_path / "report.pipe"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        atomic_write(fifo, "through the pipe\n")
        assert os.read(reader, 100) == b"through the pipe\n"
    finally:
        os.close(reader)
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.pipe"]
    atomic_write(Path(os.devnull), "nothing\n")
    assert stat.S_ISCHR(Path(os.devnull).stat().st_mode)


def test_a_symbolic_link_is_replaced_never_written_through(tmp_path: Path) -> None:
    # a link planted in an output folder (a generated module's place) must not send the write elsewhere,
    # nor create folders there
    outside = tmp_path / "outside" / "evil" / "codec.py"
    link = tmp_path / "out" / "codec.py"
    link.parent.mkdir()
    link.symlink_to(outside)
    atomic_write(link, "generated\n")
    assert not link.is_symlink() and link.read_text() == "generated\n"
    assert not (tmp_path / "outside").exists()


def test_standard_output_named_as_a_file_is_the_descriptor_the_shell_opened(tmp_path: Path) -> None:
    # `{ echo header; gen check ... -o /dev/stdout; echo footer; } >> log.txt`: written where the shell's
    # offset is, neither truncating the log (a reopened /proc/self/fd/1 would) nor overwriting what came
    log = tmp_path / "log.txt"
    log.write_text("previous line\n")
    code = (
        "import os; from pathlib import Path; from generator.files import atomic_write; "
        "os.write(1, b'header\\n'); atomic_write(Path('/dev/stdout'), 'report\\n'); os.write(1, b'footer\\n')"
    )
    with log.open("a") as out:
        subprocess.run([sys.executable, "-c", code], stdout=out, check=True)
    assert log.read_text() == "previous line\nheader\nreport\nfooter\n"


def test_a_regular_file_in_a_device_folder_is_still_replaced(tmp_path: Path) -> None:
    # only a device, pipe or socket is written in place, not any file under /dev (/dev/shm holds files)
    shm = Path("/dev/shm")
    if not shm.is_dir():
        pytest.skip("no /dev/shm")
    report = shm / f"gen-test-{os.getpid()}.json"
    try:
        atomic_write(report, "first\n")
        atomic_write(report, "second\n")
        assert report.read_text() == "second\n"
    finally:
        report.unlink(missing_ok=True)


def test_a_closed_pipe_is_not_a_write_error(tmp_path: Path) -> None:
    # `gen check ... -o /dev/stdout | head -c 10`: the command ends quietly, as when it prints the report
    read_end, write_end = os.pipe()
    os.close(read_end)
    with pytest.raises(BrokenPipeError), atomic_text_stream(Path(f"/dev/fd/{write_end}")) as out:
        out.write("x" * 100_000)
    os.close(write_end)


def test_a_write_that_fails_midway_is_a_write_error_naming_the_target(tmp_path: Path) -> None:
    if Path("/dev/full").exists():  # every write to it fails: no space left on device
        with pytest.raises(WriteError) as raised, atomic_text_stream(Path("/dev/full")) as out:
            out.write("x" * 100_000)
        assert raised.value.path == Path("/dev/full") and "space" in raised.value.reason
    (tmp_path / "reports").write_text("a file where a folder should be")
    with pytest.raises(WriteError) as raised:
        atomic_write(tmp_path / "reports" / "junit.xml", "x")
    assert raised.value.reason == "Not a directory"


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_an_unwritable_folder_is_a_write_error_naming_the_target(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    with pytest.raises(WriteError) as raised:
        atomic_write(locked / "report.json", "x")
    assert (raised.value.path, raised.value.reason) == (locked / "report.json", "Permission denied")


def test_an_unwritable_target_is_a_write_error_naming_it(tmp_path: Path) -> None:
    # a folder where the file should go: refused whoever runs it (root too)
    (tmp_path / "report.json").mkdir()
    (tmp_path / "report.json" / "keep").write_text("")
    with pytest.raises(WriteError) as raised:
        atomic_write(tmp_path / "report.json", "x")
    assert raised.value.path == tmp_path / "report.json"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]
