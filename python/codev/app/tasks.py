"""What the workbench does in the background, one thing at a time: an
ensemble run (``codev.ensemble.start``, the C++ runner on its own thread) or
the making of a run's brief and tables. The page polls :meth:`Tasks.status`
and may cancel; a second request while one runs is refused with a message
(:class:`Busy`), never queued behind the first without the designer knowing.

A run stops within one month of each job when cancelled and writes nothing;
a run that fails leaves its message in ``run.json`` and the workbench usable.
"""

import os
import sys
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .. import ensemble
from .workspace import InputError, Workspace, loader_message

_POLL_SECONDS = 0.2


class Busy(InputError):
    """Something is running already."""

    def __init__(self, kind: str):
        super().__init__("error_busy_run" if kind == "run" else "error_busy_brief")


@dataclass
class Task:
    """One thing done in the background, as the page sees it."""

    kind: str  # "run" or "brief"
    run: str  # the run's id
    state: str = "running"  # running, done, failed, cancelled
    done: int = 0  # months simulated (a run), steps made (a brief)
    total: int = 0
    message: str = ""  # what went wrong, for a failed task
    started: float = field(default_factory=time.monotonic)
    cancel: threading.Event = field(default_factory=threading.Event)

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "run": self.run,
            "state": self.state,
            "done": self.done,
            "total": self.total,
            "message": self.message,
            "seconds": round(time.monotonic() - self.started, 1),
        }


class Tasks:
    """The one task the workbench runs at a time, and the last one it ran."""

    def __init__(self, workspace: Workspace, threads: int | None = None):
        self.workspace = workspace
        self.threads = threads
        self._lock = threading.Lock()
        self._task: Task | None = None
        self._thread: threading.Thread | None = None

    def status(self) -> dict | None:
        with self._lock:
            return None if self._task is None else self._task.as_dict()

    def running(self) -> Task | None:
        with self._lock:
            return self._task if self._task is not None and self._task.state == "running" else None

    def start_run(self, scenarios: list, replicates: int, seed: int, record: dict) -> str:
        """Start running ``scenarios`` (codev.Scenario) into a new run folder; its id."""
        with self._lock:
            self._refuse_if_busy()
            job = ensemble.start(scenarios, replicates, seed, self.threads)  # ValueError before anything starts
            run_id = self.workspace.new_run(record | {"state": "running"})
            task = Task("run", run_id)
            self._begin(task, lambda: self._run(task, job))
        return run_id

    def start_brief(self, run_id: str, make: Callable[[Callable[[int, int], None]], None]) -> None:
        """Start ``make(step)``, which makes the run's brief and tables and calls
        ``step(done, total)`` as it goes."""
        with self._lock:
            self._refuse_if_busy()
            task = Task("brief", run_id)
            self._begin(task, lambda: self._brief(task, make))

    def cancel(self, wait: float = 10.0) -> None:
        """Ask the running task to stop, and wait (up to ``wait`` s) until it has."""
        task = self.running()
        if task is None:
            return
        task.cancel.set()
        thread = self._thread
        if thread is not None:
            thread.join(wait)

    def join(self, timeout: float | None = None) -> None:
        thread = self._thread
        if thread is not None:
            thread.join(timeout)

    # ---- the background threads -----------------------------------------------------

    def _refuse_if_busy(self) -> None:
        if self._task is not None and self._task.state == "running":
            raise Busy(self._task.kind)

    def _begin(self, task: Task, body: Callable[[], None]) -> None:
        self._task = task
        self._thread = threading.Thread(target=self._guarded, args=(task, body), name=f"codev-app-{task.kind}")
        self._thread.daemon = True
        self._thread.start()

    def _guarded(self, task: Task, body: Callable[[], None]) -> None:
        try:
            body()
        except Exception as error:  # noqa: BLE001 (any failure ends the task with its message; the page stays usable)
            traceback.print_exc(file=sys.stderr)
            task.message = loader_message(error)
            task.state = "failed"
        if task.kind == "run":
            record = self.workspace.record(task.run)
            self.workspace.write_record(task.run, record | {"state": task.state, "message": task.message})

    def _run(self, task: Task, job) -> None:
        while not job.wait(_POLL_SECONDS):
            task.done, task.total = job.months_done, job.months_total
            if task.cancel.is_set():
                job.stop()
                job.join()
                task.state = "cancelled"
                return
        task.done, task.total = job.months_done, job.months_total
        job.result()  # the run's error, if any
        out = self.workspace.run_folder(task.run) / "results.h5"
        job.write(os.fspath(out))
        task.state = "done"

    def _brief(self, task: Task, make: Callable[[Callable[[int, int], None]], None]) -> None:
        def step(done: int, total: int) -> None:
            task.done, task.total = done, total
            if task.cancel.is_set():
                raise _Cancelled

        try:
            make(step)
        except _Cancelled:
            task.state = "cancelled"
            return
        task.state = "done"


class _Cancelled(Exception):
    """Raised between the steps of a brief when it is cancelled."""


def files(folder: Path) -> dict[str, Path]:
    """The run's files that exist, by the name the page gives them."""
    names = ("results.h5", "brief.html", "brief.pdf", "tables.xlsx")
    return {name: folder / name for name in names if (folder / name).is_file()}
