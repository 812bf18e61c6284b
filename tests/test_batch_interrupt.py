"""Batch mode as a person runs it in a terminal: Ctrl-C part-way, then --resume; the progress bar."""

from __future__ import annotations

import json
import os
import pty
import signal
import subprocess
import sys
import time

from .conftest import EXAMPLES

ARTICLE = (EXAMPLES / "article.txt").read_text(encoding="utf-8")
PAGE = (EXAMPLES / "page.html").read_text(encoding="utf-8")
PNG = b"\x89PNG\r\n\x1a\n" + bytes(16)


def _folder(tmp_path, n: int):
    folder = tmp_path / "pages"
    folder.mkdir()
    for i in range(n):
        (folder / f"{i:04d}.txt").write_text(ARTICLE if i % 3 else PAGE, encoding="utf-8")
    (folder / f"{n // 2:04d}.txt").write_bytes(PNG)
    return folder


def _wait_for_lines(path, n: int, proc) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None and (not path.exists() or path.read_bytes().count(b"\n") < n):
        time.sleep(0.02)


def test_ctrl_c_leaves_whole_records_and_resume_finishes_the_run(tmp_path):
    folder = _folder(tmp_path, 400)
    command = [sys.executable, "-m", "cleaner", "batch", str(folder), "--jobs", "2", "--quiet"]
    whole = tmp_path / "whole.jsonl"
    subprocess.run([*command, "-o", str(whole)], check=True, timeout=300)

    part = tmp_path / "part.jsonl"
    # A new session, and the signal to the whole group: what Ctrl-C in a terminal does (workers get it too).
    proc = subprocess.Popen([*command, "-o", str(part)], stderr=subprocess.PIPE, text=True, start_new_session=True)
    _wait_for_lines(part, 40, proc)
    os.killpg(proc.pid, signal.SIGINT)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert stderr.splitlines() == ["cleaner: interrupted by SIGINT; the output holds whole records only: run the same command with --resume to finish"]
    data = part.read_bytes()
    assert data.endswith(b"\n")
    lines = data.decode("utf-8").splitlines()
    assert 40 <= len(lines) < 400, "the run was meant to be cut part-way"
    assert all(json.loads(line)["source"] for line in lines)

    resumed = subprocess.run([*command, "-o", str(part), "--resume"], timeout=300, capture_output=True, text=True)
    assert resumed.returncode == 0 and resumed.stderr == ""
    assert part.read_bytes() == whole.read_bytes()
    assert len(part.read_bytes().splitlines()) == 400


def _run_on_a_terminal(args: list[str]) -> tuple[int, str]:
    """Run with stderr on a pseudo-terminal; return the exit code and what the terminal showed."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "cleaner", *args], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=follower)
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closed: the process is done
            break
        if not chunk:
            break
        shown += chunk
    os.close(leader)
    return proc.wait(timeout=60), shown.decode("utf-8", errors="replace")


def test_progress_bar_on_a_terminal_and_quiet_otherwise(tmp_path):
    folder = _folder(tmp_path, 60)
    out = tmp_path / "out.jsonl"
    code, shown = _run_on_a_terminal(["batch", str(folder), "-o", str(out), "--jobs", "1"])
    assert code == 0
    assert "60/60 documents" in shown and "docs/s" in shown and "1 errors" in shown
    # rich erases the bar (transient), then the summary stays as the last line
    assert shown.rstrip().splitlines()[-1].split("\x1b[2K")[-1].startswith("cleaner: 60 documents, 1 errors")

    code, shown = _run_on_a_terminal(["batch", str(folder), "-o", str(out), "--jobs", "1", "--quiet"])
    assert code == 0 and shown == ""
    piped = subprocess.run([sys.executable, "-m", "cleaner", "batch", str(folder), "-o", str(out), "--jobs", "1"], capture_output=True, text=True)
    assert piped.stderr.splitlines() == [piped.stderr.strip()] and piped.stderr.startswith("cleaner: 60 documents, 1 errors")


def test_a_stop_signal_whose_exception_python_dropped_still_ends_the_run(tmp_path):
    # A SIGTERM landing in a fork callback as a worker starts raised where
    # Python drops the exception ("Exception ignored in ..."): the run went
    # on to the end, exited 0, and ignored every later signal.
    from cleaner.batch_io import Fields
    from cleaner.batch_run import BatchJob, run_batch
    from cleaner.interrupts import DeferredInterrupts, Interrupted

    folder = _folder(tmp_path, 30)
    out = tmp_path / "out.jsonl"
    with DeferredInterrupts() as interrupts:
        try:
            interrupts._handle(signal.SIGTERM, None)
        except Interrupted:
            pass  # what Python does with it in such a place
        summary = run_batch(BatchJob((str(folder),), str(out), jobs=1, fields=Fields()), interrupts=interrupts)
    assert summary.interrupted is not None and summary.interrupted.exit_code == 143
    lines = out.read_text(encoding="utf-8").splitlines()
    assert 1 <= len(lines) < 30 and all(json.loads(line)["source"] for line in lines)
