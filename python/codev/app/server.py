"""The workbench's pages: a small ASGI application (Starlette) whose pages
are rendered on the server from Jinja2 templates; the only script polls the
progress of a run (docs/app.md says why this shape).

What reads files or the model runs in Starlette's thread pool (the plain
``def`` handlers, and ``_in_thread`` from the ``async`` ones that read a
form), so a page that reads a results file never holds up another.
Only this computer's pages may use it: a request must name the workbench's
own host (no DNS rebinding), and a form must come from its own pages (no
other site can make a browser post to it).
Bad input is answered in the page that received it, with the loader's
message or one of the catalogue's; an unexpected error gives a page saying
so (its traceback goes to the terminal), never a traceback in the browser.
A page shown again with a message about what was typed answers 200 (the
request was understood and answered; a browser logs a 4xx answer as a console
error); an address that names no page, scenario, run or file answers 404.
"""

import shutil
import sys
import threading
import time
import traceback
from pathlib import Path
from urllib.parse import urlsplit

import jinja2
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import (
    FileResponse,
    HTMLResponse,
    JSONResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
)
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from .. import _version
from ..report.brief import find_chromium, write_report
from ..report.export import tables, write_xlsx
from ..results import open_results
from . import compare, levers
from .tasks import Tasks, files
from .words import LANGUAGES, language, text
from .workspace import InputError, Workspace

HERE = Path(__file__).resolve().parent
MAX_REPLICATES = 1000
MAX_DRAWS = 64
_DOWNLOADS = {
    "results.h5": "application/x-hdf5",
    "brief.html": "text/html",
    "brief.pdf": "application/pdf",
    "tables.xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")


def make_app(workspace: Workspace, threads: int | None = None, hosts=LOCAL_HOSTS) -> Starlette:
    """The workbench's application over ``workspace``; ``hosts`` are the names
    a request may give the server (``codev app --host`` adds its own)."""
    pages = _Pages(workspace, Tasks(workspace, threads))
    routes = [
        Route("/", pages.home),
        Route("/runs", pages.start_run, methods=["POST"]),
        Route("/runs/{run}", pages.run),
        Route("/runs/{run}/brief", pages.start_brief, methods=["POST"]),
        Route("/runs/{run}/files/{name}", pages.download),
        Route("/scenarios/{name}", pages.scenario, methods=["GET", "POST"]),
        Route("/scenarios/{name}/file", pages.scenario_file),
        Route("/task", pages.task),
        Route("/task/cancel", pages.cancel, methods=["POST"]),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    app = Starlette(
        routes=routes,
        middleware=[Middleware(_OwnPagesOnly, hosts=tuple(hosts))],
        exception_handlers={HTTPException: pages.http_error, Exception: pages.server_error},  # type: ignore[dict-item]
    )
    app.state.pages = pages
    return app


class _OwnPagesOnly:
    """Refuses (403, one line) a request naming another host, and a form posted
    from another site's page: the workbench has no login, so a page elsewhere
    must not be able to drive it through the designer's browser."""

    def __init__(self, app, hosts: tuple[str, ...]):
        self.app = app
        self.hosts = hosts

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http":
            request = Request(scope)
            host = request.url.hostname or ""
            origin = request.headers.get("origin")
            foreign_origin = origin is not None and origin != "null" and urlsplit(origin).netloc != request.url.netloc
            foreign_post = request.method == "POST" and (
                foreign_origin or request.headers.get("sec-fetch-site") == "cross-site"
            )
            if host not in self.hosts or foreign_post:
                response = PlainTextResponse("codev app: refused: this page is for this computer's browser only", 403)
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


class _Pages:
    def __init__(self, workspace: Workspace, tasks: Tasks):
        self.workspace = workspace
        self.tasks = tasks
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(HERE / "templates"),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self._comparisons: dict[tuple[str, str, int, int], compare.Comparison] = {}
        self._lock = threading.Lock()

    # ---- rendering ------------------------------------------------------------------

    def render(self, request: Request, template: str, status: int = 200, **values) -> HTMLResponse:
        lang = _lang(request)

        def t(key: str, **fields) -> str:
            return text(key, lang, **fields)

        def problem(p) -> str:
            return text(p.key, lang, **p.fields) if isinstance(p, InputError) else str(p)

        page = self.env.get_template(template).render(
            t=t,
            problem=problem,
            lang=lang,
            languages=LANGUAGES,
            here=_here(request),
            version=_version.__version__,
            task=self.tasks.status(),
            **({"running_page": False} | values),
        )
        response = HTMLResponse(page, status_code=status)
        if request.query_params.get("lang") in LANGUAGES:
            response.set_cookie("codev_lang", lang, samesite="strict")
        return response

    def _default_baseline(self, entries) -> str:
        """The baseline ticked when the page opens: the last run's, else the
        declared baseline most scenarios extend."""
        names = {e.name for e in entries if not e.problem and not e.clash}
        last = next(iter(self.workspace.past_runs(limit=1)), None)
        if last is not None and last["baseline"] in names:
            return last["baseline"]
        return _declared_baseline(entries)

    def home(self, request: Request, message=None, status: int = 200, chosen=None) -> HTMLResponse:
        chosen = chosen or {}
        entries = self.workspace.catalogue()
        return self.render(
            request,
            "home.html.j2",
            status=status,
            entries=entries,
            runs=self.workspace.past_runs(),
            saved=request.query_params.get("saved"),
            message=message,
            folder=str(self.workspace.scenarios),
            baseline=chosen.get("baseline", self._default_baseline(entries)),
            policies=chosen.get("policies", []),
            replicates=chosen.get("replicates", "20"),
            seed=chosen.get("seed", "0"),
        )

    # ---- running ---------------------------------------------------------------------

    async def start_run(self, request: Request) -> Response:
        form = await request.form()
        chosen = {
            "baseline": str(form.get("baseline", "")),
            "policies": [str(p) for p in form.getlist("policy")],
            "replicates": str(form.get("replicates", "")).strip(),
            "seed": str(form.get("seed", "")).strip(),
        }
        try:
            run_id = await _in_thread(self._start_run, chosen, _lang(request))
        except InputError as error:
            return await _in_thread(self.home, request, error, 200, chosen)
        return RedirectResponse(f"/runs/{run_id}", status_code=303)

    def _start_run(self, chosen: dict, lang: str) -> str:
        baseline = chosen["baseline"]
        if not baseline:
            raise InputError("error_no_baseline")
        policies = list(dict.fromkeys(p for p in chosen["policies"] if p != baseline))  # each once, in order
        if not policies:
            raise InputError("error_no_policy")
        replicates = _integer(chosen["replicates"], text("replicates", lang), 1, MAX_REPLICATES)
        seed = _integer(chosen["seed"], text("seed", lang), 0, 2**63 - 1)
        scenarios = [self.workspace.load(n) for n in [baseline, *policies]]
        # What Results.compare needs, checked before the run rather than after it.
        sizes = {s.name: (s.months, _communes(s)) for s in scenarios}
        if len({months for months, _ in sizes.values()}) > 1:
            raise InputError("error_horizons", months=", ".join(f"{n}: {m}" for n, (m, _) in sizes.items()))
        if len({communes for _, communes in sizes.values()}) > 1:
            raise InputError("error_communes", communes=", ".join(f"{n}: {c}" for n, (_, c) in sizes.items()))
        titles = {s.name: {k: self.workspace.entry(s.name).title_in(k) for k in LANGUAGES} for s in scenarios}
        record = {
            "baseline": baseline,
            "policies": policies,
            "replicates": replicates,
            "seed": seed,
            "titles": titles,
            "created": _now(),
        }
        try:
            return self.tasks.start_run(scenarios, replicates, seed, record, after=self._draw_comparisons)
        except InputError:
            raise
        except (OSError, ValueError) as error:
            raise InputError("error_value", message=str(error).splitlines()[0]) from None

    def _draw_comparisons(self, run_id: str) -> None:
        """The run's page in both languages, drawn on the run's own thread as
        soon as it ends: the page then opens at once, and charts are drawn
        by one thread at a time (the task's), not by two pages at once."""
        record = self.workspace.record(run_id)
        for lang in LANGUAGES:
            self._comparison(run_id, record | {"state": "done"}, lang)

    def run(self, request: Request) -> HTMLResponse:
        return self._run_page(request)

    def _run_page(self, request: Request, message=None) -> HTMLResponse:
        run_id = request.path_params["run"]
        try:
            record = self.workspace.record(run_id)
        except InputError as error:
            return self.home(request, message=error, status=404)
        lang = _lang(request)
        task = self.tasks.status()
        running = task if task is not None and task["run"] == run_id and task["state"] == "running" else None
        titles = _titles(record, lang)
        folder = self.workspace.run_folder(run_id)
        comparison = None
        if record["state"] == "done" and (running is None or running["kind"] == "brief"):
            try:
                comparison = self._comparison(run_id, record, lang)
            except (OSError, ValueError) as error:
                message = InputError("error_results", message=str(error).splitlines()[0])
        return self.render(
            request,
            "run.html.j2",
            run_id=run_id,
            record=record,
            titles=titles,
            running=running,
            running_page=running is not None,
            last_task=task if task is not None and task["run"] == run_id else None,
            comparison=comparison,
            columns=[c for c, _ in compare.EFFECT_COLUMNS],
            files=files(folder),
            message=message,
            chromium=find_chromium() is not None,
        )

    def _comparison(self, run_id: str, record: dict, lang: str) -> compare.Comparison:
        """What the run's page shows in ``lang``; kept for the last few runs
        while their results file is the one it was drawn from."""
        path = self.workspace.run_folder(run_id) / "results.h5"
        stat = path.stat()
        key = (run_id, lang, stat.st_mtime_ns, stat.st_size)
        with self._lock:
            if key in self._comparisons:
                return self._comparisons[key]
        with open_results(path) as results:
            made = compare.compare(results, record["baseline"], record["policies"], _titles(record, lang), lang)
        with self._lock:
            while len(self._comparisons) >= 8:
                self._comparisons.pop(next(iter(self._comparisons)))
            self._comparisons[key] = made
        return made

    async def start_brief(self, request: Request) -> Response:
        form = await request.form()
        return await _in_thread(self._start_brief, request, str(form.get("draws", "")).strip())

    def _start_brief(self, request: Request, typed_draws: str) -> Response:
        run_id = request.path_params["run"]
        lang = _lang(request)
        try:
            record = self.workspace.record(run_id)
            if record["state"] != "done":
                raise InputError("error_no_results")
            draws = _integer(typed_draws, text("draws", lang), 0, MAX_DRAWS)
            folder = self.workspace.run_folder(run_id)
            self.tasks.start_brief(run_id, lambda step: _make_brief(folder, record, lang, draws, step))
        except InputError as error:
            return self._run_page(request, error)
        return RedirectResponse(f"/runs/{run_id}", status_code=303)

    def task(self, request: Request) -> JSONResponse:
        return JSONResponse(self.tasks.status() or {"state": "idle"})

    def cancel(self, request: Request) -> Response:
        status = self.tasks.status()
        self.tasks.cancel()
        target = f"/runs/{status['run']}" if status else "/"
        return RedirectResponse(target, status_code=303)

    def download(self, request: Request) -> Response:
        name = request.path_params["name"]
        try:
            folder = self.workspace.run_folder(request.path_params["run"])
        except InputError as error:
            return self.home(request, message=error, status=404)
        path = files(folder).get(name)
        if name not in _DOWNLOADS or path is None:
            raise HTTPException(404)
        label = f"codev-{request.path_params['run']}-{name}"
        return FileResponse(path, media_type=_DOWNLOADS[name], filename=label)

    # ---- scenarios ---------------------------------------------------------------------

    async def scenario(self, request: Request) -> Response:
        name = request.path_params["name"]
        form = await request.form() if request.method == "POST" else None
        return await _in_thread(self._scenario, request, name, form)

    def _scenario(self, request: Request, name: str, form) -> Response:
        try:
            entry = self.workspace.entry(name)
            scenario = self.workspace.load(name)
        except InputError as error:
            return self.home(request, message=error, status=404)
        submitted = {k: str(v) for k, v in form.items()} if form is not None else {}
        changed: dict[str, str] = {}
        problems: dict[str, InputError | str] = {}
        message = None
        if form is not None:
            changed_scenario, changed, problems = levers.apply(scenario, submitted)
            if problems:
                message = InputError("error_form")
            else:
                try:
                    saved = self.workspace.save(
                        changed_scenario,
                        submitted.get("save_as", "").strip(),
                        {k: submitted.get(k, "") for k in ("title_en", "title_fr", "description_en", "description_fr")},
                        submitted.get("baseline") == "true",
                        name,
                        changed,
                    )
                except InputError as error:
                    message = error
                else:
                    return RedirectResponse(f"/?saved={saved.stem}", status_code=303)
        return self.render(
            request,
            "scenario.html.j2",
            entry=entry,
            fields=levers.fields(scenario),
            submitted=submitted,
            problems=problems,
            message=message,
        )

    def scenario_file(self, request: Request) -> Response:
        try:
            entry = self.workspace.entry(request.path_params["name"])
        except InputError as error:
            return self.home(request, message=error, status=404)
        return FileResponse(entry.path, media_type="application/toml", filename=entry.path.name)

    # ---- errors --------------------------------------------------------------------------

    def http_error(self, request: Request, error: HTTPException) -> HTMLResponse:
        key = "error_not_found" if error.status_code == 404 else "error_request"
        return self.render(request, "error.html.j2", status=error.status_code, message=InputError(key))

    def server_error(self, request: Request, error: Exception) -> HTMLResponse:
        traceback.print_exception(error, file=sys.stderr)
        message = InputError(
            "error_internal", message=str(error).splitlines()[0] if str(error) else type(error).__name__
        )
        return self.render(request, "error.html.j2", status=500, message=message)


BRIEF_FILES = ("brief.html", "brief.pdf", "tables.xlsx")


def _make_brief(folder: Path, record: dict, lang: str, draws: int, step) -> None:
    """The run's brief (HTML, and PDF with Chromium) and its tables, made in a
    folder of their own and moved beside the results only once all are made,
    replacing those of an earlier brief: the downloads are always one set."""
    pdf = find_chromium() is not None
    total = 3 if pdf else 2
    making = folder / "brief-in-progress"
    shutil.rmtree(making, ignore_errors=True)
    making.mkdir()
    try:
        step(0, total)
        with open_results(folder / "results.h5") as results:
            write_report(
                results,
                record["baseline"],
                making / "brief.html",
                pdf=making / "brief.pdf" if pdf else None,
                lang=lang,
                scenarios=record["policies"],
                draws=draws,
            )
            step(total - 1, total)
            write_xlsx(tables(results, record["baseline"], draws), making / "tables.xlsx")
        for name in BRIEF_FILES:
            (folder / name).unlink(missing_ok=True)
        for name in BRIEF_FILES:
            if (making / name).is_file():
                (making / name).replace(folder / name)
        step(total, total)
    finally:
        shutil.rmtree(making, ignore_errors=True)


def _titles(record: dict, lang: str) -> dict[str, str]:
    return {name: texts.get(lang) or texts.get("en") or name for name, texts in record["titles"].items()}


def _declared_baseline(entries) -> str:
    """Of the scenarios declaring themselves a baseline, the one most others
    extend (the world most policies are written against); "" when none."""
    usable = [e for e in entries if e.baseline and not e.problem and not e.clash]
    children = {e.name: sum(other.parent == e.name for other in entries) for e in usable}
    return max(usable, key=lambda e: children[e.name]).name if usable else ""


def _communes(scenario) -> int:
    tree = scenario.to_dict()
    return len(tree["communes"]) if tree.get("communes") else int(tree["world"]["communes"])


def _here(request: Request) -> str:
    """The page to show again in another language: this one, or for an answer
    to a form, the page the form belongs to (one leading slash: never a link
    to another host)."""
    path = "/" + request.url.path.lstrip("/")
    if request.method != "GET":
        path = path.removesuffix("/brief") if path.endswith("/brief") else path
        path = "/" if path in ("/runs", "/task/cancel") else path
    return path


def _lang(request: Request) -> str:
    return language(request.query_params.get("lang") or request.cookies.get("codev_lang"))


def _integer(typed: str, name: str, low: int, high: int) -> int:
    try:
        value = int(typed.replace("_", "").replace(" ", ""))
    except ValueError:
        raise InputError("error_integer", name=name, value=typed, low=low, high=high) from None
    if not low <= value <= high:
        raise InputError("error_integer", name=name, value=typed, low=low, high=high)
    return value


def _now() -> str:
    return time.strftime("%Y-%m-%d %H:%M")


async def _in_thread(function, *args):
    return await run_in_threadpool(function, *args)
