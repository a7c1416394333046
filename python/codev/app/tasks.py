"""What the workbench does in the background, one thing at a time: an
ensemble run (``codev.ensemble.start``, the C++ runner on its own thread) or
the making of a run's brief and tables. The page polls :meth:`Tasks.status`
and may cancel; a second request while one runs is refused with a message
(:class:`Busy`), never queued behind the first without the designer knowing.

A run stops within one month of each job when cancelled and writes nothing;
a run that fails leaves its message in ``run.json`` and the workbench usable.
``run.json`` is written before the task says it has ended, so a page that
sees the end reads the run's final state. A brief is not cancelled (its
appraisal runs cannot be stopped half way); its files are made in a folder
of their own and replace the run's earlier ones only once all are made.
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
    ended: float | None = None
    cancel: threading.Event = field(default_factory=threading.Event)

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "run": self.run,
            "state": self.state,
            "done": self.done,
            "total": self.total,
            "message": self.message,
            "seconds": round((self.ended or time.monotonic()) - self.started, 1),
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

    def start_run(self, scenarios: list, replicates: int, seed: int, record: dict, after=None) -> str:
        """Start running ``scenarios`` (codev.Scenario) into a new run folder; its
        id. ``after(run_id)``, when given, runs on the task's thread once the
        results file is written (the workbench draws the run's charts there)."""
        with self._lock:
            self._refuse_if_busy()
            run_id = self.workspace.new_run(record | {"state": "running"})  # OSError before anything starts
            try:
                job = ensemble.start(scenarios, replicates, seed, self.threads)
            except BaseException:
                self.workspace.forget_run(run_id)
                raise
            task = Task("run", run_id)
            self._begin(task, lambda: self._run(task, job, after))
        return run_id

    def start_brief(self, run_id: str, make: Callable[[Callable[[int, int], None]], None]) -> None:
        """Start ``make(step)``, which makes the run's brief and tables and calls
        ``step(done, total)`` as it goes. It cannot be cancelled."""
        with self._lock:
            self._refuse_if_busy()
            task = Task("brief", run_id)
            self._begin(task, lambda: self._brief(task, make))

    def cancel(self, wait: float = 10.0) -> None:
        """Ask the running run to stop, and wait (up to ``wait`` s) until it has."""
        task = self.running()
        if task is None or task.kind != "run":
            return
        task.cancel.set()
        thread = self._thread
        if thread is not None:
            thread.join(wait)

    def shutdown(self) -> None:
        """Before the workbench stops: stop a run under way (its record then
        says it was cancelled), and let a brief finish its current file."""
        self.cancel(wait=60.0)
        thread = self._thread
        if thread is not None:
            thread.join(600.0)

    # ---- the background threads -----------------------------------------------------

    def _refuse_if_busy(self) -> None:
        if self._task is not None and self._task.state == "running":
            raise Busy(self._task.kind)

    def _begin(self, task: Task, body: Callable[[], str]) -> None:
        self._task = task
        self._thread = threading.Thread(target=self._guarded, args=(task, body), name=f"codev-app-{task.kind}")
        self._thread.daemon = True
        self._thread.start()

    def _guarded(self, task: Task, body: Callable[[], str]) -> None:
        """Runs ``body``, which returns the task's final state; records it in
        ``run.json`` (for a run), then says the task has ended."""
        message = ""
        try:
            state = body()
        except Exception as error:  # noqa: BLE001 (any failure ends the task with its message; the page stays usable)
            traceback.print_exc(file=sys.stderr)
            state, message = "failed", loader_message(error)
        if task.kind == "run":
            try:
                record = self.workspace.record(task.run)
                self.workspace.write_record(task.run, record | {"state": state, "message": message})
            except (OSError, InputError):
                traceback.print_exc(file=sys.stderr)
        task.message, task.ended, task.state = message, time.monotonic(), state

    def _run(self, task: Task, job, after) -> str:
        try:
            while not job.wait(_POLL_SECONDS):
                task.done, task.total = job.months_done, job.months_total
                if task.cancel.is_set():
                    job.stop()
                    job.join()
                    return "cancelled"
        except BaseException:
            job.stop()
            job.join()
            raise
        task.done, task.total = job.months_done, job.months_total
        job.result()  # the run's error, if any
        job.write(os.fspath(self.workspace.run_folder(task.run) / "results.h5"))
        if after is not None:
            try:
                after(task.run)
            except Exception:  # noqa: BLE001 (the run is done; its page draws the charts when it is opened)
                traceback.print_exc(file=sys.stderr)
        return "done"

    def _brief(self, task: Task, make: Callable[[Callable[[int, int], None]], None]) -> str:
        def step(done: int, total: int) -> None:
            task.done, task.total = done, total

        make(step)
        return "done"


def files(folder: Path) -> dict[str, Path]:
    """The run's files that exist, by the name the page gives them."""
    names = ("results.h5", "brief.html", "brief.pdf", "tables.xlsx")
    return {name: folder / name for name in names if (folder / name).is_file()}
