"""The workbench's pages: a small ASGI application (Starlette) whose pages
are rendered on the server from Jinja2 templates; the only script polls the
progress of a run (docs/app.md says why this shape).

Every handler is a plain function, which Starlette runs in its thread pool,
so a page that reads a results file never holds up the progress of another.
Bad input is answered in the page that received it, with the loader's
message or one of the catalogue's; an unexpected error gives a page saying
so (its traceback goes to the terminal), never a traceback in the browser.
A page shown again with a message about what was typed answers 200 (the
request was understood and answered; a browser logs a 4xx answer as a console
error); an address that names no page, scenario, run or file answers 404.
"""

import sys
import time
import traceback
from pathlib import Path

import jinja2
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
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


def make_app(workspace: Workspace, threads: int | None = None) -> Starlette:
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
        exception_handlers={HTTPException: pages.http_error, Exception: pages.server_error},  # type: ignore[dict-item]
    )
    app.state.pages = pages
    return app


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
        self._comparisons: dict[tuple[str, str], compare.Comparison] = {}

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
            path=request.url.path,
            version=_version.__version__,
            task=self.tasks.status(),
            **({"running_page": False} | values),
        )
        response = HTMLResponse(page, status_code=status)
        if request.query_params.get("lang") in LANGUAGES:
            response.set_cookie("codev_lang", lang, samesite="strict")
        return response

    def home(self, request: Request, message=None, status: int = 200, chosen=None) -> HTMLResponse:
        chosen = chosen or {}
        return self.render(
            request,
            "home.html.j2",
            status=status,
            entries=self.workspace.catalogue(),
            runs=self.workspace.past_runs(),
            saved=request.query_params.get("saved"),
            message=message,
            folder=str(self.workspace.scenarios),
            baseline=chosen.get("baseline", "mali-kayes-baseline"),
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
            return self.home(request, message=error, chosen=chosen)
        return RedirectResponse(f"/runs/{run_id}", status_code=303)

    def _start_run(self, chosen: dict, lang: str) -> str:
        baseline, policies = chosen["baseline"], chosen["policies"]
        if not baseline:
            raise InputError("error_no_baseline")
        policies = [p for p in policies if p != baseline]
        if not policies:
            raise InputError("error_no_policy")
        replicates = _integer(chosen["replicates"], "replicates", 1, MAX_REPLICATES)
        seed = _integer(chosen["seed"], "seed", 0, 2**63 - 1)
        scenarios = [self.workspace.load(n) for n in [baseline, *policies]]
        months = {s.months for s in scenarios}
        if len(months) > 1:
            raise InputError("error_horizons", months=", ".join(f"{s.name}: {s.months}" for s in scenarios))
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
            return self.tasks.start_run(scenarios, replicates, seed, record)
        except InputError:
            raise
        except ValueError as error:
            raise InputError("error_value", message=str(error).splitlines()[0]) from None

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
        titles = {name: record["titles"][name][lang] for name in record["titles"]}
        folder = self.workspace.run_folder(run_id)
        comparison = None
        if running is None and record.get("state") == "done":
            try:
                comparison = self._comparison(run_id, record, titles, lang)
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

    def _comparison(self, run_id: str, record: dict, titles: dict, lang: str) -> compare.Comparison:
        key = (run_id, lang)
        if key not in self._comparisons:
            with open_results(self.workspace.run_folder(run_id) / "results.h5") as results:
                self._comparisons[key] = compare.compare(results, record["baseline"], record["policies"], titles, lang)
        return self._comparisons[key]

    async def start_brief(self, request: Request) -> Response:
        run_id = request.path_params["run"]
        form = await request.form()
        lang = _lang(request)
        try:
            record = self.workspace.record(run_id)
            draws = _integer(str(form.get("draws", "")).strip(), "draws", 0, MAX_DRAWS)
            folder = self.workspace.run_folder(run_id)
            pdf = find_chromium() is not None

            def make(step) -> None:
                total = 3 if pdf else 2
                step(0, total)
                with open_results(folder / "results.h5") as results:
                    scenarios = record["policies"]
                    write_report(
                        results,
                        record["baseline"],
                        folder / "brief.html",
                        pdf=folder / "brief.pdf" if pdf else None,
                        lang=lang,
                        scenarios=scenarios,
                        draws=draws,
                    )
                    step(total - 1, total)
                    write_xlsx(tables(results, record["baseline"], draws), folder / "tables.xlsx")
                    step(total, total)

            await _in_thread(self.tasks.start_brief, run_id, make)
        except InputError as error:
            return await _in_thread(self._run_page, request, error)
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
                        submitted.get("title_en", ""),
                        submitted.get("title_fr", ""),
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
