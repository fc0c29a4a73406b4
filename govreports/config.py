"""Every path the project uses, in one place.

Paths default to the project checkout (the folder that holds ``data/`` and ``notebooks/``) and can be
overridden with environment variables, so notebooks never depend on the working directory:

========================  ====================================  ===========================
variable                  default                               what lives there
========================  ====================================  ===========================
``GOVREPORTS_HOME``       the checkout root                     everything below
``GOVREPORTS_RAW``        ``$HOME/data/raw``                    input reports (immutable)
``GOVREPORTS_PROCESSED``  ``$HOME/data/processed``              tables (parquet + csv)
``GOVREPORTS_FIGURES``    ``$HOME/figures``                     published figures
``GOVREPORTS_BUILD``      ``$HOME/build``                       executed notebooks, HTML
========================  ====================================  ===========================
"""
from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
LEXICON_DIR = PACKAGE_DIR / "lexicons"


def _env_path(name: str, default: Path) -> Path:
    value = os.environ.get(name)
    return Path(value).expanduser().resolve() if value else default


def _find_home() -> Path:
    # An editable install / checkout: the package sits beside data/ and notebooks/.
    candidate = PACKAGE_DIR.parent
    if (candidate / "pyproject.toml").exists() or (candidate / "data").exists():
        return candidate
    return Path.cwd()


HOME = _env_path("GOVREPORTS_HOME", _find_home())
RAW_DIR = _env_path("GOVREPORTS_RAW", HOME / "data" / "raw")
PROCESSED_DIR = _env_path("GOVREPORTS_PROCESSED", HOME / "data" / "processed")
FIGURES_DIR = _env_path("GOVREPORTS_FIGURES", HOME / "figures")
BUILD_DIR = _env_path("GOVREPORTS_BUILD", HOME / "build")
NOTEBOOKS_DIR = _env_path("GOVREPORTS_NOTEBOOKS", HOME / "notebooks")
CACHE_DIR = PROCESSED_DIR / "cache"

#: file suffixes read as reports when a folder is parsed
REPORT_SUFFIXES = (".txt", ".text")
