"""govreports — Chinese local government work reports (政府工作报告) as tidy tables.

Three lines::

    import govreports
    corpus = govreports.load()                  # every report in data/raw, cached tables
    corpus.report("驻马店", 2021).targets        # this year's targets, with qualifiers and sources

Stages (one module each): :mod:`~govreports.read` → :mod:`~govreports.clean` →
:mod:`~govreports.structure` → :mod:`~govreports.metadata` / :mod:`~govreports.glossary` /
:mod:`~govreports.indicators` → :mod:`~govreports.attention` / :mod:`~govreports.slogans` →
:mod:`~govreports.tables`.
"""
from .read import ReportError, ReportWarning, read_raw
from .corpus import Corpus, Report, load, read_corpus, read_report

__version__ = "0.1.0"

__all__ = [
    "Corpus",
    "Report",
    "ReportError",
    "ReportWarning",
    "load",
    "read_corpus",
    "read_raw",
    "read_report",
    "__version__",
]
