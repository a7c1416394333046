"""Crash safety of `codev run` (issue 5, reliability): whatever moment a run is
killed at, and whatever goes wrong with the disk, no file is ever left under
the final results name unless it is complete.

The writer (model/results/results_file.cpp) writes `OUT.tmp-<pid>` in the directory
of OUT and renames it to OUT only once HDF5 has closed it. A SIGKILL cannot be
caught, so a run killed while writing leaves its `OUT.tmp-<pid>`: that is
accepted (the pid names the run that left it, and nothing reads it), but a
file under the final name is always whole: it opens in xarray and carries the
attribute `complete = 1`, written last. Errors the process does see (a full
disk, a file size limit) remove the temporary file and print one line.
"""

import os
import random
import resource
import subprocess
import time
from pathlib import Path

import pytest
import xarray as xr

KILLS_AT_RANDOM = 6  # kills at uniform random moments of a run
KILLS_IN_WRITE = 2  # kills timed to the final write (the temporary file exists)
SEED = int(os.environ.get("CODEV_KILL_SEED", "20240605"))  # to replay a failure


def run_command(codev, small_scenarios, out, replicates=20):
    return [
        codev,
        "run",
        str(small_scenarios["mali-kayes-baseline"]),
        str(small_scenarios["codev-share-70"]),
        "--replicates",
        str(replicates),
        "--seed",
        "3",
        "--threads",
        "2",
        "--quiet",
        "--out",
        str(out),
    ]


def wait_for(predicate, timeout, step=0.0005):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return predicate()


def temporaries(directory: Path):
    return sorted(p for p in directory.iterdir() if ".tmp-" in p.name)


def assert_complete(path: Path):
    with xr.open_dataset(path, engine="h5netcdf") as ds:
        assert int(ds.attrs["complete"]) == 1
        assert ds.sizes["month"] > 0 and "people_served" in ds


def check_after_kill(directory: Path, out: Path, pid: int) -> str:
    """What the killed run left, checked: 'none', 'temporary' or 'complete'."""
    left = sorted(p.name for p in directory.iterdir())
    allowed = {out.name, f"{out.name}.tmp-{pid}"}
    assert set(left) <= allowed, f"unexpected files after SIGKILL: {left}"
    if out.exists():
        assert_complete(out)
        return "complete"
    return "temporary" if left else "none"


@pytest.fixture(scope="module")
def timing(codev, small_scenarios, tmp_path_factory):
    """A whole run's length and the moment its final write starts, measured."""
    directory = tmp_path_factory.mktemp("timing")
    out = directory / "timed.h5"
    start = time.monotonic()
    proc = subprocess.Popen(
        run_command(codev, small_scenarios, out), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    assert wait_for(lambda: temporaries(directory) or proc.poll() is not None, timeout=300)
    write_start = time.monotonic() - start
    _, err = proc.communicate(timeout=300)
    total = time.monotonic() - start
    assert proc.returncode == 0, err
    assert_complete(out)
    assert temporaries(directory) == []
    return {"total": total, "write_start": write_start}


def kill_and_check(codev, small_scenarios, directory, delay=None, in_write=False):
    directory.mkdir()
    out = directory / "killed.h5"
    proc = subprocess.Popen(
        run_command(codev, small_scenarios, out), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    if in_write:
        wait_for(lambda: temporaries(directory) or proc.poll() is not None, timeout=300)
    if delay:
        time.sleep(delay)
    proc.kill()
    proc.wait(timeout=30)
    return check_after_kill(directory, out, proc.pid)


def test_sigkill_at_any_moment_leaves_no_partial_file_under_the_final_name(codev, small_scenarios, timing, tmp_path):
    rng = random.Random(SEED)
    write_length = max(timing["total"] - timing["write_start"], 0.001)
    outcomes = []
    for i in range(KILLS_AT_RANDOM):
        delay = rng.uniform(0, timing["total"])
        outcomes.append(kill_and_check(codev, small_scenarios, tmp_path / f"random-{i}", delay=delay))
    for i in range(KILLS_IN_WRITE):
        # The first as soon as the temporary file appears, the next later in the write.
        delay = 0 if i == 0 else rng.uniform(0, write_length)
        outcomes.append(kill_and_check(codev, small_scenarios, tmp_path / f"write-{i}", delay=delay, in_write=True))
    print(f"seed {SEED}, run {timing['total']:.2f} s (write from {timing['write_start']:.2f} s), outcomes {outcomes}")
    # The run was really cut short during its write at least once.
    assert "temporary" in outcomes[KILLS_AT_RANDOM:], outcomes


@pytest.mark.parametrize("where", ["/dev/null/results.h5", "read-only directory"])
def test_an_unwritable_output_is_reported_before_the_run(codev, small_scenarios, tmp_path, where):
    if where == "read-only directory":
        if os.geteuid() != 0:
            locked = tmp_path / "locked"
            locked.mkdir(mode=0o555)
            where = str(locked / "results.h5")
        elif not os.access("/proc/sys", os.W_OK):  # as root, mode bits do not stop writes; /proc/sys does
            where = "/proc/sys/results.h5"
        else:
            pytest.skip("running as root with no read-only directory to write into")
    # 400 replicates take minutes: the error must come before any of them.
    start = time.monotonic()
    result = subprocess.run(
        run_command(codev, small_scenarios, where, replicates=400),
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2, result.stderr
    assert time.monotonic() - start < 10
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("codev: error: cannot write results to"), result.stderr
    assert "not a directory" in lines[0] or "not writable" in lines[0]


def test_a_full_disk_fails_the_write_with_one_line_and_no_file(codev, small_scenarios, tmp_path):
    """A file size limit (ulimit -f) fails writes as a full disk does; the
    command ignores SIGXFSZ (which would otherwise kill it) and reports."""
    limit = 64 * 1024  # the file needs several times this

    def limit_file_size():
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    out = tmp_path / "full.h5"
    result = subprocess.run(
        run_command(codev, small_scenarios, out),
        check=False,
        capture_output=True,
        text=True,
        timeout=300,
        preexec_fn=limit_file_size,
    )
    assert result.returncode == 2, f"status {result.returncode}: {result.stderr}"
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"codev: error: cannot write results to '{out}'"), lines[0]
    assert "File too large" in lines[0], lines[0]
    assert list(tmp_path.iterdir()) == [], "a file was left after the failed write"
