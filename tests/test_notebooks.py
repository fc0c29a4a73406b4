"""The notebook suite: hygiene of the committed notebooks, and each notebook executed once with its
defaults through the runner (papermill) on the sample corpus, asserting on what it produced."""
from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

import matplotlib.image
import nbformat
import papermill
import pytest

from govreports import config, runner

NOTEBOOKS = sorted(config.NOTEBOOKS_DIR.glob("*.ipynb"))
SUITE = list(runner.NOTEBOOKS)
#: the notebooks that write figures (00-exploring writes none; test_explore.py executes it)
FIGURE_SUITE = [name for name in SUITE if name != "00-exploring"]

#: What each notebook must write with its default parameters: figures/<id>/<name>.{png,svg}
EXPECTED_FIGURES = {
    "10-city-profile": ("jingdezhen-2022", ["section-shares", "attention-vs-corpus", "distinctive-terms"]),
    "20-region-over-time": ("zhumadian", ["targets-vs-outcomes", "wording-over-time", "attention-trends", "text-reuse"]),
    "30-compare-targets": ("corpus", ["growth-targets", "target-gaps", "wording-shares"]),
    "40-compare-attention": ("corpus", ["attention-heatmap-all", "theme-terms-digital_economy", "slogans"]),
    "50-corpus-quality": ("corpus", ["repairs", "metadata-coverage", "indicator-coverage"]),
}

#: Tables each notebook must show with at least one data row (a substring of the table's HTML).
EXPECTED_TABLES = {
    "10-city-profile": ["sentence", "section_type", "theme_name", "log_likelihood", "definition"],
    "20-region-over-time": ["outcome_value", "hard_share", "reuse_share"],
    "30-compare-targets": ["median_gap_pp", "hard_share"],
    "40-compare-attention": ["n_places", "n_hits"],
    "50-corpus-quality": ["unresolved_chars", "example_raw", "share_of_reports"],
}


# --------------------------------------------------------------------------------------------
# hygiene of the committed notebooks (fast)
# --------------------------------------------------------------------------------------------
def test_the_suite_is_complete():
    names = {path.stem for path in NOTEBOOKS}
    assert set(SUITE) <= names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_committed_clean(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    assert nb.metadata["kernelspec"].get("language", "python") == "python"
    assert "papermill" not in nb.metadata
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        assert cell.outputs == [], f"{path.name}: a cell has outputs"
        assert cell.execution_count is None, f"{path.name}: a cell has an execution count"
        tree = ast.parse(cell.source)
        defined = [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda))]
        assert not defined, f"{path.name}: defines a function or class; move it into the package"


@pytest.mark.parametrize("name", SUITE)
def test_first_code_cell_is_a_literal_ascii_parameters_cell(name):
    path = runner.notebook_path(name)
    nb = nbformat.read(path, as_version=4)
    code_cells = [c for c in nb.cells if c.cell_type == "code"]
    first = code_cells[0]
    assert "parameters" in first.metadata.get("tags", [])
    assert sum("parameters" in c.metadata.get("tags", []) for c in code_cells) == 1
    assert first.source.isascii()
    statements = ast.parse(first.source).body
    assert statements, "empty parameters cell"
    for statement in statements:
        assert isinstance(statement, ast.AnnAssign), f"{name}: parameters must be annotated: {ast.unparse(statement)}"
        ast.literal_eval(statement.value)  # literal, nothing derived
    # papermill must read every line (it silently skips lines it cannot parse)
    declared = papermill.inspect_notebook(str(path))
    assert list(declared) == [s.target.id for s in statements]
    assert "import govreports" in "\n".join(c.source for c in code_cells)


@pytest.mark.skipif(shutil.which("nbstripout") is None and not (Path(sys.executable).parent / "nbstripout").exists(), reason="nbstripout not installed")
def test_nbstripout_verify():
    executable = shutil.which("nbstripout") or str(Path(sys.executable).parent / "nbstripout")
    keys = "metadata.papermill cell.metadata.papermill cell.metadata.execution metadata.language_info"
    result = subprocess.run(
        [executable, "--verify", "--extra-keys", keys, *map(str, NOTEBOOKS)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


# --------------------------------------------------------------------------------------------
# every notebook executed once with its defaults
# --------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    """Run the five notebooks once through the runner into temporary build and figure folders."""
    import govreports

    govreports.load()  # build or reuse the cached tables before the kernels start
    base = tmp_path_factory.mktemp("suite")
    runs = [runner.Run(name, EXPECTED_FIGURES[name][0], {}) for name in FIGURE_SUITE]
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GOVREPORTS_FIGURES", str(base / "figures"))  # inherited by the kernels
        patch.setenv("GOVREPORTS_BUILD", str(base / "build"))
        results = runner.run_notebooks(runs, build_dir=base / "build", progress=False)
    return base, {result.run.notebook: result for result in results}


def _html_tables(nb) -> list[str]:
    tables = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            html = output.get("data", {}).get("text/html", "")
            tables += re.findall(r"<table.*?</table>", html, flags=re.S)
    return tables


@pytest.mark.parametrize("name", FIGURE_SUITE)
def test_notebook_runs_and_writes_its_figures_and_tables(executed, name):
    base, results = executed
    result = results[name]
    assert result.ok, result.error
    owner, figure_names = EXPECTED_FIGURES[name]
    for figure in figure_names:
        png = base / "figures" / owner / f"{figure}.png"
        svg = base / "figures" / owner / f"{figure}.svg"
        assert png.exists() and svg.exists(), f"{name} did not write {png.name}"
        pixels = matplotlib.image.imread(png)
        assert pixels.shape[0] > 300 and pixels.shape[1] > 600
        ink = (pixels[..., :3] < 0.9).any(axis=-1).mean()
        assert ink > 0.02, f"{png.name} is nearly blank"
        assert svg.stat().st_size > 10_000
    nb = nbformat.read(result.output, as_version=4)
    images = sum("image/png" in o.get("data", {}) for c in nb.cells for o in c.get("outputs", []))
    assert images >= len(figure_names), "figures are not shown in the notebook"
    tables = _html_tables(nb)
    for column in EXPECTED_TABLES[name]:
        matching = [t for t in tables if column in t]
        assert matching, f"{name}: no table with {column}"
        assert max(t.count("<tr") for t in matching) >= 2, f"{name}: the table with {column} is empty"
    assert sorted(p.name for p in result.html) == [f"{owner}.html", f"{owner}.no-code.html"]


def test_rerunning_one_city_reuses_the_tables_and_rewrites_identical_figures(executed, tmp_path):
    base, _ = executed
    before = {p.name: p.read_bytes() for p in (base / "figures" / "jingdezhen-2022").iterdir()}
    build_info = config.PROCESSED_DIR / "build_info.json"
    tables_built_at = build_info.stat().st_mtime_ns
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GOVREPORTS_FIGURES", str(base / "figures"))
        [result] = runner.run_notebooks([runner.Run("10-city-profile", "jingdezhen-2022", {})], build_dir=tmp_path, html=False, progress=False)
    assert result.ok, result.error
    assert build_info.stat().st_mtime_ns == tables_built_at, "the corpus tables were rebuilt"
    after = {p.name: p.read_bytes() for p in (base / "figures" / "jingdezhen-2022").iterdir()}
    assert after == before
    assert all(len(v) > 0 for v in after.values())
