"""Run the notebook suite with papermill: ``python -m govreports run``.

Each notebook in ``notebooks/`` is a function whose first code cell (tagged ``parameters``) is its
signature. The runner decides which notebook runs for which report or region, checks the parameter
names against that cell, executes with the ``python3`` kernel and writes

- the executed notebook to ``build/notebooks/<notebook>/<id>.ipynb`` (the log of the run), and
- HTML exports to ``build/html/<notebook>/<id>.html`` (with code) and ``<id>.no-code.html``.

Figures are written by the notebooks themselves (:func:`govreports.figures.save_figure`) to
``figures/<id>/``.

What runs
---------
- no selection: every notebook — the city profile for every report, region-over-time for every
  region with at least two reports, the comparison and quality notebooks once (id ``corpus``);
- ``--report jingdezhen-2022`` (repeatable): the city profile of those reports;
- ``--region 驻马店市`` or ``--region zhumadian``: region-over-time for that region;
- ``--notebook 10-city-profile`` (repeatable; ``10`` or ``city-profile`` also work): only those
  notebooks (with ``--report`` / ``--region`` when given; a comparison notebook then compares just
  the chosen reports).

Why it is built this way
------------------------
- Parameters are ASCII ids, passed as real Python values through papermill's Python API (``-p`` on
  papermill's command line would turn ``0571`` into 571 and inject Chinese as ``\\u`` escapes); the
  package maps ids to Chinese names.
- papermill only warns about an unknown parameter, so names are checked with
  ``papermill.inspect_notebook`` first and a typo stops the run before anything executes.
- One failing notebook does not stop the others: each ``PapermillExecutionError`` is caught, the
  executed notebook (with the traceback) is still written, failures are listed at the end and the
  exit code is non-zero.
- The corpus tables are loaded (and built if stale) once before any notebook runs; notebooks call
  ``govreports.load()``, which then reads the cached tables, so rerunning one city never re-parses
  the corpus.
- Runs are sequential in one process by default; ``--jobs N`` runs them in N separate processes
  (parallel papermill runs inside one process are fragile).
"""
from __future__ import annotations

import argparse
import ast
import contextlib
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any, Iterable, Sequence

from . import config

KERNEL_NAME = "python3"

#: The suite: notebook stem → (what it is run for, the parameter that receives the id).
NOTEBOOKS: dict[str, tuple[str, str | None]] = {
    "00-exploring": ("once", None),
    "10-city-profile": ("report", "report_id"),
    "20-region-over-time": ("region", "region_id"),
    "30-compare-targets": ("corpus", "report_ids"),
    "40-compare-attention": ("corpus", "report_ids"),
    "50-corpus-quality": ("corpus", "report_ids"),
}

CORPUS_ID = "corpus"


class ParameterError(ValueError):
    """A parameter the notebook's ``parameters`` cell does not declare."""


@dataclass(frozen=True)
class Run:
    """One notebook execution: which notebook, for which id, with which parameters."""

    notebook: str
    owner_id: str
    parameters: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)

    @property
    def label(self) -> str:
        return f"{self.notebook}/{self.owner_id}"


@dataclass
class RunResult:
    """What happened to one :class:`Run`."""

    run: Run
    ok: bool
    seconds: float
    output: Path | None = None
    html: list[Path] = field(default_factory=list)
    error: str | None = None


# --------------------------------------------------------------------------------------------
# planning
# --------------------------------------------------------------------------------------------
def notebook_path(name: str, notebooks_dir: str | Path | None = None) -> Path:
    """``notebooks/<name>.ipynb``."""
    return Path(notebooks_dir or config.NOTEBOOKS_DIR) / f"{name}.ipynb"


def resolve_notebook_name(name: str, known: Iterable[str] | None = None) -> str:
    """Accept ``10-city-profile``, ``10``, ``city-profile`` or a path ``notebooks/10-city-profile.ipynb``."""
    known = list(known if known is not None else NOTEBOOKS)
    stem = Path(name).stem if name.endswith(".ipynb") else name
    for candidate in known:
        if stem == candidate or candidate.split("-", 1)[0] == stem or candidate.split("-", 1)[-1] == stem:
            return candidate
    raise ParameterError(f"unknown notebook {name!r}; notebooks are {', '.join(known)}")


def plan_runs(
    reports,
    notebooks: Sequence[str] | None = None,
    report_ids: Sequence[str] | None = None,
    regions: Sequence[str] | None = None,
    extra_parameters: dict[str, Any] | None = None,
    min_region_reports: int = 2,
) -> list[Run]:
    """Decide which notebook runs for which id.

    Parameters
    ----------
    reports : DataFrame
        The ``reports`` table (``report_id, region_name, report_year``).
    notebooks : sequence of str, optional
        Notebook names (see :func:`resolve_notebook_name`); default: chosen from the other
        arguments (see the module docstring).
    report_ids : sequence of str, optional
    regions : sequence of str, optional
        Region ids (``zhumadian``) or names (驻马店市 / 驻马店).
    extra_parameters : dict, optional
        Passed to every run (checked against each notebook's parameters later).
    min_region_reports : int
        Regions with fewer reports get no region-over-time run unless chosen explicitly.

    Returns
    -------
    list of Run
    """
    from .figures import region_table, resolve_region

    extra = dict(extra_parameters or {})
    known_ids = list(reports["report_id"])
    for rid in report_ids or []:
        if rid not in known_ids:
            raise ParameterError(f"no report {rid!r} in the corpus; ids look like {known_ids[0] if known_ids else '?'}")
    region_ids = [resolve_region(reports, region)[0] for region in regions or []]
    if notebooks:
        chosen = [resolve_notebook_name(n) for n in notebooks]
    elif report_ids or region_ids:
        chosen = (["10-city-profile"] if report_ids else []) + (["20-region-over-time"] if region_ids else [])
    else:
        chosen = list(NOTEBOOKS)
    runs: list[Run] = []
    for name in chosen:
        scope, parameter = NOTEBOOKS[name]
        if scope == "report":
            for rid in report_ids or known_ids:
                runs.append(Run(name, rid, {parameter: rid, **extra}))
        elif scope == "region":
            if region_ids:
                targets = region_ids
            else:
                table = region_table(reports)
                targets = list(table.loc[table["n_reports"] >= min_region_reports, "region_id"])
            for region_id in targets:
                runs.append(Run(name, region_id, {parameter: region_id, **extra}))
        elif scope == "once":  # a walk-through: run with its own defaults
            runs.append(Run(name, CORPUS_ID, dict(extra)))
        else:
            parameters = dict(extra)
            if report_ids:
                parameters[parameter] = list(report_ids)
            runs.append(Run(name, CORPUS_ID, parameters))
    return runs


def check_parameters(path: str | Path, parameters: dict[str, Any]) -> None:
    """Raise :class:`ParameterError` when a name is not in the notebook's ``parameters`` cell.

    papermill itself only warns about an unknown parameter and runs with the default, which
    would silently produce the wrong report.
    """
    import papermill

    declared = papermill.inspect_notebook(str(path))
    unknown = sorted(set(parameters) - set(declared))
    if unknown:
        listing = ", ".join(f"{name} ({info.get('inferred_type_name', '?')}, default {info.get('default')})" for name, info in declared.items())
        raise ParameterError(
            f"{Path(path).name}: unknown parameter(s) {', '.join(unknown)}; the notebook declares: {listing or 'none'}"
        )


# --------------------------------------------------------------------------------------------
# executing
# --------------------------------------------------------------------------------------------
def ensure_kernel(name: str = KERNEL_NAME) -> None:
    """Make sure a Jupyter kernel called ``python3`` exists (install the one of this environment
    when a fresh virtualenv has none)."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        KernelSpecManager().get_kernel_spec(name)
    except NoSuchKernel:
        from ipykernel.kernelspec import install

        install(prefix=sys.prefix, kernel_name=name)


@contextlib.contextmanager
def _kernel_environment():
    """Let the kernel import this very package (also from a checkout that is not pip-installed)
    and draw without a display."""
    saved = {key: os.environ.get(key) for key in ("PYTHONPATH", "MPLBACKEND")}
    root = str(config.PACKAGE_DIR.parent)
    paths = [p for p in (saved["PYTHONPATH"] or "").split(os.pathsep) if p]
    os.environ["PYTHONPATH"] = os.pathsep.join([root] + [p for p in paths if p != root])
    os.environ.pop("MPLBACKEND", None)  # the kernel's inline backend shows figures in the notebook
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def export_html(executed: str | Path, html_dir: str | Path, notebook: str, owner_id: str) -> list[Path]:
    """Write ``<html_dir>/<notebook>/<owner_id>.html`` and ``<owner_id>.no-code.html``."""
    import nbformat
    from nbconvert import HTMLExporter

    nb = nbformat.read(str(executed), as_version=4)
    out_dir = Path(html_dir) / notebook
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for suffix, exclude_input in (("", False), (".no-code", True)):
        exporter = HTMLExporter(template_name="lab", exclude_input=exclude_input, exclude_input_prompt=exclude_input, exclude_output_prompt=exclude_input)
        body, _ = exporter.from_notebook_node(nb)
        path = out_dir / f"{owner_id}{suffix}.html"
        path.write_text(body, encoding="utf-8")
        paths.append(path)
    return paths


def execute_run(
    run: Run,
    notebooks_dir: str | Path | None = None,
    build_dir: str | Path | None = None,
    html: bool = True,
    progress: bool = False,
    kernel_name: str = KERNEL_NAME,
) -> RunResult:
    """Execute one run; never raises for a failing notebook (see :class:`RunResult`)."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    build = Path(build_dir or config.BUILD_DIR)
    source = notebook_path(run.notebook, notebooks_dir)
    output = build / "notebooks" / run.notebook / f"{run.owner_id}.ipynb"
    output.parent.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    error = None
    try:
        check_parameters(source, run.parameters)
        with _kernel_environment():
            papermill.execute_notebook(
                str(source),
                str(output),
                parameters=run.parameters,
                kernel_name=kernel_name,
                language="python",
                cwd=str(source.parent),
                progress_bar={"leave": False, "desc": run.label, "disable": not progress},
                # the kernel's own start-up warnings (e.g. about local TCP) are noise in a batch run
                extra_arguments=["--IPKernelApp.log_level=CRITICAL"],
            )
    except PapermillExecutionError as err:
        error = f"cell {err.exec_count}: {err.ename}: {err.evalue}"
    except Exception as err:  # a missing notebook, a dead kernel …: report it, keep going
        error = f"{type(err).__name__}: {err}"
    html_paths: list[Path] = []
    if html and output.exists():
        try:
            html_paths = export_html(output, build / "html", run.notebook, run.owner_id)
        except Exception as err:  # the executed notebook is still there to read
            error = error or f"HTML export failed: {type(err).__name__}: {err}"
    return RunResult(
        run=run,
        ok=error is None,
        seconds=time.perf_counter() - start,
        output=output if output.exists() else None,
        html=html_paths,
        error=error,
    )


def run_notebooks(
    runs: Sequence[Run],
    notebooks_dir: str | Path | None = None,
    build_dir: str | Path | None = None,
    html: bool = True,
    progress: bool = True,
    jobs: int = 1,
) -> list[RunResult]:
    """Check every run's parameters, then execute them all (sequentially, or in ``jobs`` processes).

    Raises
    ------
    ParameterError
        Before anything runs, when a run passes a parameter its notebook does not declare.

    Returns
    -------
    list of RunResult
        In the order of ``runs``.
    """
    from tqdm.auto import tqdm

    ensure_kernel()
    for run in runs:
        check_parameters(notebook_path(run.notebook, notebooks_dir), run.parameters)
    results: dict[int, RunResult] = {}
    with tqdm(total=len(runs), desc="notebooks", unit="run", disable=not progress) as bar:
        if jobs > 1 and len(runs) > 1:
            with ProcessPoolExecutor(max_workers=jobs, mp_context=get_context("spawn")) as pool:
                futures = {
                    pool.submit(execute_run, run, notebooks_dir, build_dir, html, False): i for i, run in enumerate(runs)
                }
                for future in as_completed(futures):
                    result = future.result()
                    results[futures[future]] = result
                    bar.set_postfix_str(result.run.label)
                    bar.update()
        else:
            for i, run in enumerate(runs):
                bar.set_postfix_str(run.label)
                results[i] = execute_run(run, notebooks_dir, build_dir, html, progress)
                bar.update()
    return [results[i] for i in range(len(runs))]


# --------------------------------------------------------------------------------------------
# command line
# --------------------------------------------------------------------------------------------
def _parse_parameter(text: str) -> tuple[str, Any]:
    if "=" not in text:
        raise argparse.ArgumentTypeError(f"--param expects NAME=VALUE, got {text!r}")
    name, value = text.split("=", 1)
    try:
        parsed = ast.literal_eval(value)
    except (ValueError, SyntaxError):
        parsed = value  # a bare word is a string
    return name.strip(), parsed


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``python -m govreports run``."""
    parser.description = (
        "Execute the notebooks with papermill: every notebook for every report and region by default, "
        "or the chosen ones. Executed notebooks go to build/notebooks/, HTML to build/html/, figures to figures/."
    )
    parser.epilog = (
        "examples: python -m govreports run --report jingdezhen-2022 | "
        "python -m govreports run --region 驻马店市 | "
        "python -m govreports run --notebook 40-compare-attention --param scope=review"
    )
    parser.add_argument("--notebook", action="append", default=[], metavar="NAME", help="notebook to run (repeatable): 00-exploring, 10-city-profile, 20-region-over-time, 30-compare-targets, 40-compare-attention, 50-corpus-quality")
    parser.add_argument("--report", action="append", default=[], metavar="REPORT_ID", help="report id, e.g. jingdezhen-2022 (repeatable)")
    parser.add_argument("--region", action="append", default=[], metavar="REGION", help="region name or id, e.g. 驻马店市 or zhumadian (repeatable)")
    parser.add_argument("--param", action="append", default=[], type=_parse_parameter, metavar="NAME=VALUE", help="extra notebook parameter, a Python literal (repeatable), e.g. indicator_codes=\"['gdp']\"")
    parser.add_argument("--jobs", type=int, default=1, help="run notebooks in this many separate processes (default 1)")
    parser.add_argument("--no-html", action="store_true", help="skip the HTML exports")
    parser.add_argument("--list", action="store_true", help="print the planned runs and exit")
    parser.add_argument("--quiet", action="store_true", help="no progress bars (also when CI or TQDM_DISABLE is set)")


def run_from_args(args: argparse.Namespace) -> int:
    """Entry point of ``python -m govreports run``; returns the process exit code.

    0: every run succeeded; 1: at least one notebook failed (listed on stderr); 2: a usage error
    (unknown notebook, report, region or parameter) found before anything ran.
    """
    import govreports

    quiet = args.quiet or bool(os.environ.get("CI")) or bool(os.environ.get("TQDM_DISABLE"))
    corpus = govreports.load(progress=not quiet)  # builds stale tables once; notebooks reuse them
    try:
        runs = plan_runs(
            corpus.reports,
            notebooks=args.notebook,
            report_ids=args.report,
            regions=args.region,
            extra_parameters=dict(args.param),
        )
        for run in runs:
            check_parameters(notebook_path(run.notebook), run.parameters)
    except (ParameterError, KeyError) as err:
        message = err.args[0] if isinstance(err, KeyError) and err.args else err
        print(f"error: {message}", file=sys.stderr)
        return 2
    if args.list:
        for run in runs:
            print(f"{run.label}\t{run.parameters}")
        return 0
    start = time.perf_counter()
    results = run_notebooks(runs, html=not args.no_html, progress=not quiet, jobs=max(1, args.jobs))
    return summarise(results, time.perf_counter() - start)


def summarise(results: Sequence[RunResult], seconds: float | None = None, stream=None) -> int:
    """Print what ran and list every failure; return the exit code (0 all ok, 1 any failed)."""
    stream = stream or sys.stderr
    failures = [r for r in results if not r.ok]
    took = f" in {seconds:.0f} s" if seconds is not None else ""
    print(
        f"ran {len(results)} notebook(s){took}: {len(results) - len(failures)} ok, {len(failures)} failed; "
        f"executed notebooks in {config.BUILD_DIR / 'notebooks'}, HTML in {config.BUILD_DIR / 'html'}, "
        f"figures in {config.FIGURES_DIR}",
        file=stream,
    )
    if failures:
        print("failed:", file=stream)
        for result in failures:
            where = f" (see {result.output})" if result.output else ""
            print(f"  {result.run.label}: {result.error}{where}", file=stream)
        return 1
    return 0
