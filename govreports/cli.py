"""Command line: ``python -m govreports clean|parse|run …``.

- ``clean FILE`` prints the clean text of one report to stdout (``--repairs`` prints the repairs log
  instead), so anyone can inspect what the cleaner did.
- ``parse DIR --out OUTDIR`` builds every table from a folder of reports and writes them as parquet
  and CSV; bad files are reported on stderr with their name and reason and the rest still builds.
- ``run`` executes the notebooks with papermill (see :mod:`govreports.runner`).

These names, and the table and column names, are a contract other tools read: extend, never rename.
"""
from __future__ import annotations

import argparse
import os
import sys
import warnings
from pathlib import Path

from . import config


def _cmd_clean(args: argparse.Namespace) -> int:
    from .clean import clean_text
    from .read import ReportError, read_raw

    try:
        doc = read_raw(args.file)
    except ReportError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    result = clean_text(doc.raw)
    out = sys.stdout
    if args.repairs:
        result.repairs.to_csv(out, index=False)
    else:
        out.write(result.text)
        if not result.text.endswith("\n"):
            out.write("\n")
    for note in result.notes:
        print(f"note: {args.file}: {note}", file=sys.stderr)
    return 0


def _cmd_parse(args: argparse.Namespace) -> int:
    from .read import ReportWarning
    from .tables import build_tables

    formats = tuple(args.format.split(","))
    progress = not (os.environ.get("TQDM_DISABLE") or os.environ.get("CI")) and not args.quiet
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ReportWarning)
        try:
            tables = build_tables(
                args.dir,
                args.out,
                processes=args.processes,
                progress=progress,
                use_cache=not args.no_cache,
                formats=formats,
            )
        except FileNotFoundError as err:
            print(f"error: {err}", file=sys.stderr)
            return 2
    failures = tables["failures"]
    for row in failures.itertuples():
        if row.severity in ("error", "warning"):
            print(f"{row.severity}: {row.source_file}: {row.reason}", file=sys.stderr)
    n_errors = int((failures["severity"] == "error").sum())
    print(
        f"parsed {len(tables['reports'])} reports into {args.out} "
        f"({_n_rows(tables, 'sentences')} sentences, {_n_rows(tables, 'indicators')} indicator values); "
        f"{n_errors} file(s) skipped",
        file=sys.stderr,
    )
    return 0 if len(tables["reports"]) or not n_errors else 1


def _n_rows(tables, name: str) -> int:
    """Row count without loading a large table when the build wrote it to disk."""
    return tables.n_rows(name) if hasattr(tables, "n_rows") else len(tables[name])


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m govreports", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("clean", help="print the clean text of one report")
    p.add_argument("file", type=Path)
    p.add_argument("--repairs", action="store_true", help="print the repairs log (CSV) instead of the text")
    p.set_defaults(func=_cmd_clean)

    p = sub.add_parser("parse", help="build every table from a folder of reports")
    p.add_argument("dir", type=Path, nargs="?", default=config.RAW_DIR)
    p.add_argument("--out", type=Path, default=config.PROCESSED_DIR)
    p.add_argument("--processes", type=int, default=1, help="worker processes (default 1)")
    p.add_argument("--no-cache", action="store_true", help="re-parse every report")
    p.add_argument("--format", default="parquet,csv", help="comma-separated: parquet,csv")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=_cmd_parse)

    from . import runner

    p = sub.add_parser("run", help="execute notebooks with papermill")
    runner.add_arguments(p)
    p.set_defaults(func=runner.run_from_args)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args) or 0)
