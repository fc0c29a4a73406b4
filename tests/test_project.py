"""The project's own promises: pinned set-up files agree, raw data is intact, CI runs the README's
test command."""
from __future__ import annotations

import csv
import hashlib
import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[ ;]", requirement.strip(), maxsplit=1)[0].lower()


def _environment_yml_names() -> set[str]:
    names = set()
    for line in (ROOT / "environment.yml").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line.startswith("- ") and not line.endswith(":"):
            item = line[2:].strip()
            if item.startswith("-e") or item == "pip":
                continue
            names.add(_name(item))
    return names


def test_environment_yml_lists_every_runtime_and_test_dependency():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = {_name(r) for r in project["dependencies"]}
    wanted |= {_name(r) for r in project["optional-dependencies"]["test"]}
    missing = wanted - _environment_yml_names()
    assert not missing, f"environment.yml lacks {sorted(missing)} (pyproject.toml is the source of truth)"


def test_environment_yml_installs_the_package_from_pip_last():
    text = (ROOT / "environment.yml").read_text(encoding="utf-8")
    assert "conda-forge" in text
    pip_items = [ln.strip() for ln in text.splitlines() if ln.strip().startswith("- ")]
    assert pip_items[-1] == "- -e ."


def test_opencc_is_pinned_to_a_minor_range():
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    opencc = [d for d in deps if _name(d) == "opencc"]
    assert opencc and "<1.5" in opencc[0] and ">=1.4" in opencc[0]


def test_raw_files_match_the_manifest_byte_for_byte():
    rows = list(csv.DictReader((ROOT / "data/raw/manifest.csv").open(encoding="utf-8")))
    assert len(rows) == 30
    for row in rows:
        data = (ROOT / "data/raw" / row["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == row["sha256"], row["file"]
        assert len(data) == int(row["n_bytes"])
        assert row["source"].strip()


def test_every_raw_report_is_in_the_manifest():
    listed = {row["file"] for row in csv.DictReader((ROOT / "data/raw/manifest.csv").open(encoding="utf-8"))}
    on_disk = {str(p.relative_to(ROOT / "data/raw")) for p in (ROOT / "data/raw").rglob("*.txt")}
    assert on_disk == listed


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci/run").read_text(encoding="utf-8")
    assert "make test" in readme
    assert re.search(r"^make test\s*$", ci, re.M)
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "status -eq 5" in makefile  # pytest's "no tests collected" fails the run


def test_generated_data_is_not_committed():
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8").split()
    assert "data/processed/" in ignored
    assert "build/" in ignored
