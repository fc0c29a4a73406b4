#!/usr/bin/env python
"""Benchmark the corpus build on a large synthetic corpus made from the sample reports.

Usage::

    python scripts/benchmark.py                 # 1,000 reports (a quick run, ~1 minute)
    python scripts/benchmark.py --n 10000       # the scale the project aims at
    python scripts/benchmark.py --n 10000 --corpus /tmp/gr-10k --keep   # reuse a generated corpus

What it does
------------
1. Generates ``--n`` reports in a temporary folder (never in ``data/raw``) from the 30 sample
   reports, varied so that no two files are the same and no report cache can help: every number
   is replaced by another with as many digits, years are shifted, the place name is swapped for
   another city, paragraphs are shuffled within each section, and files are written in UTF-8
   (some with a BOM), GB18030, Big5 (after conversion to traditional characters), UTF-16 and
   traditional-character UTF-8, with Chinese file names (some with spaces).
2. Measures, each in a fresh process so that peak memory belongs to that run alone:

   - the **floor**: reading + decoding, OpenCC t2s and segmentation (rjieba with the package's user
     dictionary) of every file, in one process — the work no parser can avoid;
   - ``build_tables(corpus, out, processes=1)`` and ``processes=2``, from scratch, writing parquet
     and CSV, with the seconds spent in each stage (read, clean, structure, extract, measure, write);
   - on the 30 sample reports: a cold build, a rebuild when nothing changed, and a rebuild after
     adding one report (how many reports it parsed).
   - the machine's cost of new memory: system CPU per MB for writing a new file, and again right
     after deleting it. CPU time is reported as user + system: the build writes ~300 KB per report
     and the floor nothing, so on a machine where new memory is dear (a virtual machine whose host
     backs memory on first touch) the system time weighs on their ratio.
3. Prints Markdown tables (``--json FILE`` also saves the numbers).

Peak memory is the largest resident set size (RSS) of the run, summed over its process and its
worker processes (sampled every 0.1 s with psutil; without psutil, the peak of the main process plus
the largest worker from ``getrusage``). Pages shared between forked workers are counted once per
process, so the sum is an upper bound.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SAMPLE_DIRS = [ROOT / "data" / "raw" / "seeds", ROOT / "data" / "raw" / "zhumadian"]

# The places named in the sample reports (simplified and traditional spellings) …
SAMPLE_PLACES = ["驻马店", "駐馬店", "景德镇", "景德鎮", "醴陵", "青云谱", "青雲譜", "镇江", "鎮江", "浔阳", "潯陽", "九江"]
# … and the cities put in their place (prefecture-level cities of several provinces).
CITY_POOL = (
    "开封 洛阳 平顶山 安阳 鹤壁 新乡 焦作 濮阳 许昌 漯河 三门峡 南阳 商丘 信阳 周口 萍乡 新余 鹰潭 赣州 吉安 "
    "宜春 抚州 上饶 株洲 湘潭 衡阳 邵阳 岳阳 常德 张家界 益阳 郴州 永州 怀化 娄底 无锡 徐州 常州 苏州 南通 "
    "连云港 淮安 盐城 扬州 泰州 宿迁 芜湖 蚌埠 淮南 马鞍山 淮北 铜陵 安庆 黄山 滁州 阜阳 宿州 六安 亳州 池州 "
    "宣城 襄阳 宜昌 荆州 黄冈 孝感 十堰 咸宁 随州 荆门 鄂州 黄石 绵阳 德阳 南充 宜宾 泸州 达州 乐山 眉山 "
    "遂宁 内江 自贡 广安 巴中 雅安 资阳 攀枝花 广元 柳州 桂林 梧州 北海 玉林 百色 河池 贺州 来宾 崇左"
).split()

_HEADING = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|第[一二三四五六七八九十]+[部分章节])")
_NUMBER = re.compile(r"(?<![\d.])(\d+)(\.\d+)?")


# ------------------------------------------------------------------------------------------------
# the synthetic corpus
# ------------------------------------------------------------------------------------------------
def _sample_texts() -> list[str]:
    from govreports.read import read_raw

    files = sorted(p for d in SAMPLE_DIRS for p in d.glob("*.txt"))
    return [read_raw(p).raw for p in files]


def _vary(text: str, rng: random.Random, city: str, year_shift: int) -> str:
    """One synthetic report: new numbers, shifted years, another place, shuffled paragraphs."""

    def number(m: re.Match) -> str:
        digits, frac = m.group(1), m.group(2) or ""
        if len(digits) == 4 and digits[:2] in ("19", "20"):  # a year: shift it
            return str(int(digits) + year_shift) + frac
        if len(digits) == 1:
            new = str(rng.randint(1, 9))
        else:
            new = str(rng.randint(10 ** (len(digits) - 1), 10 ** len(digits) - 1))
        if frac:
            frac = "." + "".join(rng.choice("0123456789") for _ in range(len(frac) - 1))
        return new + frac

    text = _NUMBER.sub(number, text)
    for place in SAMPLE_PLACES:
        if place in text:
            text = text.replace(place, city)
    lines = text.split("\n")
    head, body, tail = lines[:8], lines[8:-5], lines[-5:]
    out, block = [], []
    for line in body:
        if _HEADING.match(line):
            rng.shuffle(block)
            out.extend(block)
            out.append(line)
            block = []
        else:
            block.append(line)
    rng.shuffle(block)
    out.extend(block)
    return "\n".join(head + out + tail)


_S2T = None


def _encode(text: str, kind: str) -> bytes:
    global _S2T
    if kind in ("big5", "traditional"):
        if _S2T is None:
            import opencc

            _S2T = (opencc.OpenCC("s2t"), opencc.OpenCC("s2tw"))
        text = _S2T[1 if kind == "big5" else 0].convert(text.replace("\xa0", " "))
    if kind == "big5":
        return text.encode("big5", errors="ignore")  # the few characters Big5 lacks are dropped
    if kind == "gb18030":
        return text.encode("gb18030")
    if kind == "utf-16":
        return text.encode("utf-16")
    if kind == "utf-8-sig":
        return text.encode("utf-8-sig")
    return text.encode("utf-8")


ENCODING_MIX = [("utf-8", 0.70), ("utf-8-sig", 0.05), ("gb18030", 0.10), ("big5", 0.05), ("utf-16", 0.05), ("traditional", 0.05)]

_TEXTS: list[str] | None = None


def _make_one(i: int, seed: int, dest: str) -> tuple[str, int]:
    global _TEXTS
    if _TEXTS is None:
        _TEXTS = _sample_texts()
    rng = random.Random(seed * 1_000_003 + i)
    base = _TEXTS[i % len(_TEXTS)]
    city = rng.choice(CITY_POOL)
    shift = rng.randint(-12, 0)
    text = _vary(base, rng, city, shift)
    r, kind = rng.random(), ENCODING_MIX[-1][0]
    for name, share in ENCODING_MIX:
        if r < share:
            kind = name
            break
        r -= share
    data = _encode(text, kind)
    sep = " " if i % 7 == 0 else ""
    path = Path(dest) / f"{i // 1000:02d}" / f"{i:05d}_{city}{sep}政府工作报告.txt"
    path.write_bytes(data)
    return kind, len(data)


def _make_many(args: tuple[range, int, str]) -> list[tuple[str, int]]:
    numbers, seed, dest = args
    return [_make_one(i, seed, dest) for i in numbers]


def make_corpus(n: int, dest: Path, seed: int = 0, processes: int = 2) -> dict:
    """Write ``n`` varied reports under ``dest`` (subfolders of 1,000). Returns a summary."""
    import multiprocessing
    from collections import Counter

    dest.mkdir(parents=True, exist_ok=True)
    for k in range((n + 999) // 1000):
        (dest / f"{k:02d}").mkdir(exist_ok=True)
    step = 100
    tasks = [(range(i, min(i + step, n)), seed, str(dest)) for i in range(0, n, step)]
    start = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        results = [r for chunk in pool.imap(_make_many, tasks) for r in chunk]
    kinds = Counter(kind for kind, _ in results)
    summary = {
        "n": n,
        "seed": seed,
        "bytes": sum(size for _, size in results),
        "encodings": dict(sorted(kinds.items(), key=lambda kv: -kv[1])),
        "seconds": time.perf_counter() - start,
    }
    (dest / ".benchmark.json").write_text(json.dumps(summary), encoding="utf-8")
    return summary


# ------------------------------------------------------------------------------------------------
# measuring, in a child process
# ------------------------------------------------------------------------------------------------
class PeakMemory:
    """Samples the RSS of this process and its children; ``peak_mb`` after ``stop()``."""

    def __init__(self, interval: float = 0.1):
        self.interval = interval
        self.peak = 0
        self.method = "getrusage"
        self._stop = threading.Event()
        try:
            import psutil

            self._proc = psutil.Process()
            self.method = "psutil (sum over processes)"
        except ImportError:
            self._proc = None
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> None:
        total = 0
        try:
            total = self._proc.memory_info().rss
            for child in self._proc.children(recursive=True):
                try:
                    total += child.memory_info().rss
                except Exception:
                    pass
        except Exception:
            return
        self.peak = max(self.peak, total)

    def _run(self) -> None:
        while not self._stop.is_set():
            self._sample()
            self._stop.wait(self.interval)

    def __enter__(self):
        if self._proc is not None:
            self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        if self._proc is not None:
            self._thread.join()
            self._sample()
        usage = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss + resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        usage *= 1 if sys.platform == "darwin" else 1024  # kB on Linux, bytes on macOS
        if self._proc is None:
            self.peak = usage

    @property
    def peak_mb(self) -> float:
        return self.peak / 2**20


def cpu_times() -> tuple[float, float]:
    """User and system CPU seconds of this process and of its finished child processes."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + children.ru_utime, own.ru_stime + children.ru_stime


class CpuClock:
    """CPU seconds spent since it was made: ``cpu`` (user + system), ``user`` and ``system``."""

    def __init__(self) -> None:
        self.start = cpu_times()

    def spent(self) -> dict[str, float]:
        user, system = (now - then for now, then in zip(cpu_times(), self.start))
        return {"cpu": user + system, "user": user, "system": system}


def child_new_memory_cost(workdir: str, mb: str = "128") -> dict:
    """System CPU ms per MB for writing a new file, then a second one right after deleting the first.

    Why: the build writes about 300 KB per report (tables and cache) and the floor writes nothing,
    so the kernel's cost of new memory weighs on their ratio. On a virtual machine whose host backs
    guest memory only when it is first touched (and takes freed pages back), the first write costs
    many times the second, which reuses the pages just freed; on an ordinary computer both cost
    about a copy (a few tenths of a ms per MB).
    """
    mb_count = int(mb)
    block = os.urandom(1 << 20)
    folder = Path(workdir)
    folder.mkdir(parents=True, exist_ok=True)
    costs = []
    for attempt in range(2):
        path = folder / f"new-memory-probe-{attempt}.bin"
        clock = CpuClock()
        with open(path, "wb") as file:
            for _ in range(mb_count):
                file.write(block)
        costs.append(1000 * clock.spent()["system"] / mb_count)
        path.unlink()
    return {"first_ms_per_mb": costs[0], "again_ms_per_mb": costs[1], "mb": mb_count}


def child_floor(corpus: str) -> dict:
    """Read + decode, OpenCC t2s and segmentation of every file, one process."""
    import opencc

    from govreports import segment
    from govreports.read import ReportError, read_raw
    from govreports.tables import list_report_files

    files = list_report_files(corpus)
    convert = opencc.OpenCC("t2s").convert
    segment.segmenter()
    seconds = {"read": 0.0, "opencc": 0.0, "segment": 0.0}
    n_tokens = 0
    with PeakMemory() as mem:
        clock = CpuClock()
        start = time.perf_counter()
        for path in files:
            t0 = time.perf_counter()
            try:
                raw = read_raw(path).raw
            except ReportError:
                continue
            t1 = time.perf_counter()
            text = convert(raw)
            t2 = time.perf_counter()
            n_tokens += len(segment.tokenize(text))
            t3 = time.perf_counter()
            seconds["read"] += t1 - t0
            seconds["opencc"] += t2 - t1
            seconds["segment"] += t3 - t2
        wall = time.perf_counter() - start
        cpu = clock.spent()
    return {"wall": wall, **cpu, "stages": seconds, "peak_mb": mem.peak_mb, "memory_method": mem.method, "n_tokens": n_tokens}


def child_build(corpus: str, out: str, processes: int, formats: str) -> dict:
    """``build_tables`` from scratch, with the seconds spent per stage."""
    from govreports import tables

    shutil.rmtree(out, ignore_errors=True)
    tables._warm_up()
    tables.STAGE_SECONDS.clear()
    tables.STAGE_CPU_SECONDS.clear()
    warnings.simplefilter("ignore")
    with PeakMemory() as mem:
        clock = CpuClock()
        start = time.perf_counter()
        result = tables.build_tables(corpus, out, processes=processes, progress=False, formats=tuple(formats.split(",")))
        wall = time.perf_counter() - start
        cpu = clock.spent()
    failures = result["failures"]
    return {
        "wall": wall,
        **cpu,
        "stages": dict(tables.STAGE_SECONDS),
        "stages_cpu": dict(tables.STAGE_CPU_SECONDS),
        "peak_mb": mem.peak_mb,
        "memory_method": mem.method,
        "n_reports": len(result["reports"]),
        "n_sentences": result.n_rows("sentences") if hasattr(result, "n_rows") else len(result["sentences"]),
        "n_errors": int((failures["severity"] == "error").sum()),
        "n_warnings": int((failures["severity"] == "warning").sum()),
        "errors": failures.loc[failures["severity"] == "error", "reason"].value_counts().head(5).to_dict(),
        "out_mb": sum(p.stat().st_size for p in Path(out).glob("*.*")) / 2**20,
        "cache_mb": sum(p.stat().st_size for p in (Path(out) / "cache").glob("*")) / 2**20,
    }


def child_incremental(workdir: str) -> dict:
    """The sample corpus: cold build, unchanged rebuild, rebuild after adding one report."""
    from govreports import tables

    warnings.simplefilter("ignore")
    raw = Path(workdir) / "raw"
    out = Path(workdir) / "processed"
    shutil.rmtree(workdir, ignore_errors=True)
    for folder in SAMPLE_DIRS:
        shutil.copytree(folder, raw / folder.name)
    tables._warm_up()
    parsed = []
    real = tables.parse_documents
    tables.parse_documents = lambda docs, sources=None, errors="raise": parsed.extend(sources) or real(docs, sources, errors)
    t0 = time.perf_counter()
    tables.build_tables(raw, out, progress=False)
    t1 = time.perf_counter()
    n_cold = len(parsed)
    tables.build_tables(raw, out, progress=False)
    t2 = time.perf_counter()
    n_unchanged = len(parsed) - n_cold
    extra = raw / "added" / "new-report.txt"
    extra.parent.mkdir()
    _TEXTS_LOCAL = _sample_texts()
    extra.write_text(_vary(_TEXTS_LOCAL[0], random.Random(1), "开封", -3), encoding="utf-8")
    t3 = time.perf_counter()
    result = tables.build_tables(raw, out, progress=False)
    t4 = time.perf_counter()
    return {
        "cold": t1 - t0,
        "n_cold": n_cold,
        "unchanged": t2 - t1,
        "n_unchanged": n_unchanged,
        "one_added": t4 - t3,
        "n_one_added": len(parsed) - n_cold - n_unchanged,
        "n_reports": len(result["reports"]),
    }


def run_child(*args: str) -> dict:
    """Run one measurement in a fresh interpreter (so its peak memory is its own)."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", json.dumps(list(args))]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=os.environ | {"TQDM_DISABLE": "1"})
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        raise SystemExit(f"benchmark step {args[0]} failed")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    result["load_after"] = os.getloadavg()[0]  # other programs on the machine slow the wall time
    return result


# ------------------------------------------------------------------------------------------------
# the report
# ------------------------------------------------------------------------------------------------
STAGE_LABELS = [
    ("read", "read (decode, size and format checks)"),
    ("clean", "clean"),
    ("structure", "structure (sections, sentences)"),
    ("extract", "extract (metadata + glossary + indicators)"),
    ("measure", "measure (segmentation + attention + slogans + term counts)"),
    ("pack", "pack rows as Arrow + report cache (a file per chunk)"),
    ("write", "write tables (parquet + CSV, batches)"),
]


#: The stages of the parse itself (what the floor is compared with, before tables are made).
PARSE_STAGES = ("read", "clean", "structure", "extract", "measure")


def markdown(summary: dict, floor: dict, builds: dict[int, dict], incremental: dict | None, machine: dict | None = None) -> str:
    n, mb = summary["n"], summary["bytes"] / 2**20
    lines = [
        f"Corpus: {n:,} synthetic reports, {mb:,.0f} MB "
        f"({', '.join(f'{k} {v:,}' for k, v in summary['encodings'].items())}); "
        f"generated in {summary.get('seconds', 0):.1f} s. Machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, "
        f"load average {summary.get('load', '?')} before the runs.",
        "",
    ]
    one = builds.get(1)
    if one:
        cpu = one.get("stages_cpu", one["stages"])
        lines += [
            "### Stages (`build_tables`, 1 process, one streaming pass)",
            "",
            "| stage | wall s | CPU s | reports/s (CPU) | MB/s (CPU) | share of CPU |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        accounted = 0.0
        for key, label in STAGE_LABELS:
            sec, c = one["stages"].get(key, 0.0), cpu.get(key, 0.0)
            accounted += c
            rate = f"{n / c:,.0f} | {mb / c:,.1f}" if c else "– | –"
            lines.append(f"| {label} | {sec:.1f} | {c:.1f} | {rate} | {c / one['cpu']:.0%} |")
        other = max(one["cpu"] - accounted, 0.0)
        lines.append(f"| other (ids, duplicates, start-up) | | {other:.1f} | | | {other / one['cpu']:.0%} |")
        lines.append(
            f"| **whole build** | **{one['wall']:.1f}** | **{one['cpu']:.1f}** | **{n / one['cpu']:,.0f}** | **{mb / one['cpu']:,.1f}** | 100% |"
        )
        lines += ["", "Peak memory of each run is in the next table (the stages run in one streaming pass).", ""]
    lines += [
        "### Whole build against the floor",
        "",
        "| run | wall s | CPU s (user + system) | reports/s | reports/s per process | MB/s | peak RSS (MB) | × floor (wall × processes) | × floor (CPU) | × floor (user CPU) | load after |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    fw, fc = floor["wall"], floor["cpu"]

    def split(run: dict) -> str:
        return f"{run['cpu']:.1f} ({run['user']:.1f} + {run['system']:.1f})" if "user" in run else f"{run['cpu']:.1f}"

    def user_ratio(run: dict) -> str:
        return f"{run['user'] / floor['user']:.1f}" if "user" in run and floor.get("user") else "–"

    lines.append(
        f"| floor: read + OpenCC t2s + rjieba, 1 process | {fw:.1f} | {split(floor)} | {n / fw:,.0f} | {n / fw:,.0f} | {mb / fw:,.1f} "
        f"| {floor['peak_mb']:,.0f} | 1.0 | 1.0 | 1.0 | {floor.get('load_after', float('nan')):.1f} |"
    )
    for p, b in sorted(builds.items()):
        w = b["wall"]
        lines.append(
            f"| `build_tables`, {p} process{'es' if p > 1 else ''} | {w:.1f} | {split(b)} | {n / w:,.0f} | {n / w / p:,.0f} | {mb / w:,.1f} "
            f"| {b['peak_mb']:,.0f} | {w * p / fw:.1f} | {b['cpu'] / fc:.1f} | {user_ratio(b)} | {b.get('load_after', float('nan')):.1f} |"
        )
    lines += [
        "",
        "× floor (wall × processes) is the cost per core against the floor's one core; × floor (CPU) compares "
        "the CPU seconds of all processes, which stays meaningful when other programs share the machine. "
        "Load after: the machine's one-minute load average when the run ended (above the number of "
        "processes used, other programs were competing for the cores).",
        f"Floor detail: read {floor['stages']['read']:.1f} s, OpenCC {floor['stages']['opencc']:.1f} s, "
        f"segmentation {floor['stages']['segment']:.1f} s.",
    ]
    if machine:
        lines.append(
            f"New memory on this machine: writing a new {machine['mb']} MB file cost {machine['first_ms_per_mb']:.2f} ms of "
            f"system CPU per MB, and {machine['again_ms_per_mb']:.2f} ms/MB right after deleting it (reusing the pages just "
            "freed). Where the first is many times the second, the host backs the machine's memory on first touch, and "
            "the build's system time (it writes tables and cache, the floor writes nothing) is mostly that."
        )
    if one:
        lines.append(
            f"Build output: {one['n_reports']:,} reports kept, {one['n_sentences']:,} sentences, "
            f"{one['n_errors']} files skipped, {one['n_warnings']:,} warnings; tables {one['out_mb']:,.0f} MB, "
            f"cache {one['cache_mb']:,.0f} MB. Memory: {one['memory_method']}."
        )
        if one["errors"]:
            lines.append(f"Skipped files, most common reasons: {one['errors']}")
    if incremental:
        lines += [
            "",
            "### Caching (the 30 sample reports, 1 process)",
            "",
            "| build | seconds | reports parsed |",
            "|---|---:|---:|",
            f"| cold (empty cache) | {incremental['cold']:.2f} | {incremental['n_cold']} |",
            f"| nothing changed | {incremental['unchanged']:.2f} | {incremental['n_unchanged']} |",
            f"| one report added | {incremental['one_added']:.2f} | {incremental['n_one_added']} |",
        ]
    lines += ["", *goals(summary, floor, builds, incremental)]
    return "\n".join(lines)


def goals(summary: dict, floor: dict, builds: dict[int, dict], incremental: dict | None) -> list[str]:
    """The project's speed and memory goals, each with the measured value and whether it is met."""
    n = summary["n"]
    rows = []

    def add(goal: str, value: str, met: bool | None) -> None:
        rows.append(f"| {goal} | {value} | {'yes' if met else 'no' if met is not None else '–'} |")

    one, two = builds.get(1), builds.get(2)
    if one:
        per_core = n / one["cpu"]
        add("whole parse ≥ 100 reports/s per core", f"{per_core:,.0f} reports/s per CPU second (1 process)", per_core >= 100)
        ratio = one["cpu"] / floor["cpu"]
        add("within 3× of the floor", f"{ratio:.1f}× (CPU, 1 process)", ratio <= 3)
        if "user" in one and floor.get("user"):  # for reading the row above: the system time depends on the machine
            add("(user CPU only, without the kernel's system time)", f"{one['user'] / floor['user']:.1f}× the floor", None)
        cpu = one.get("stages_cpu", one["stages"])
        parse = sum(cpu.get(stage, 0.0) for stage in PARSE_STAGES)
        if parse:  # for reading the two rows above: how much of the build the parse itself is
            add(
                "(the parse alone: read → measure, without packing, caching and writing tables)",
                f"{n / parse:,.0f} reports/s per CPU second, {parse / floor['cpu']:.1f}× the floor",
                None,
            )
    if two:
        projected = 10_000 * two["wall"] / n
        add("10,000 reports in about a minute on 2 cores", f"{projected:,.0f} s for 10,000 (2 processes{'' if n == 10_000 else ', projected'})", projected <= 90)
    peak = max((b["peak_mb"] for b in builds.values()), default=0)
    if builds:
        add("peak memory under 2 GB", f"{peak:,.0f} MB (largest run, all processes)", peak < 2048)
    if incremental:
        add("rebuild when nothing changed under 2 s (sample corpus)", f"{incremental['unchanged']:.2f} s", incremental["unchanged"] < 2)
        add("adding one report parses one report", f"{incremental['n_one_added']} parsed", incremental["n_one_added"] == 1)
    if not rows:
        return []
    return ["### Goals", "", "| goal | measured | met |", "|---|---|---|", *rows]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1000, help="reports in the synthetic corpus (default 1000)")
    parser.add_argument("--processes", default="1,2", help="process counts to time build_tables with (default 1,2)")
    parser.add_argument("--corpus", type=Path, help="folder for the synthetic corpus (reused if it already holds --n reports)")
    parser.add_argument("--keep", action="store_true", help="keep the generated corpus and tables")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--formats", default="parquet,csv", help="table formats written by the build")
    parser.add_argument("--no-incremental", action="store_true", help="skip the caching measurements")
    parser.add_argument("--json", type=Path, help="also write the numbers to this JSON file")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        kind, *rest = json.loads(args.child)
        func = {"floor": child_floor, "build": child_build, "incremental": child_incremental, "new_memory": child_new_memory_cost}[kind]
        if kind == "build":
            rest[2] = int(rest[2])
        print(json.dumps(func(*rest)))
        return 0

    workdir = Path(tempfile.mkdtemp(prefix="govreports-bench-"))
    corpus = args.corpus or workdir / "corpus"
    if corpus.resolve().is_relative_to((ROOT / "data" / "raw").resolve()):
        raise SystemExit("the synthetic corpus must not be written under data/raw")
    try:
        marker = corpus / ".benchmark.json"
        summary = json.loads(marker.read_text()) if marker.exists() else None
        if summary is None or summary.get("n") != args.n or summary.get("seed") != args.seed:
            shutil.rmtree(corpus, ignore_errors=True)
            print(f"generating {args.n:,} reports in {corpus} …", file=sys.stderr)
            summary = make_corpus(args.n, corpus, seed=args.seed)
        summary["load"] = " / ".join(f"{x:.1f}" for x in os.getloadavg())
        print("cost of new memory …", file=sys.stderr)
        machine = run_child("new_memory", str(workdir / "probe"))
        print("floor …", file=sys.stderr)
        floor = run_child("floor", str(corpus))
        builds = {}
        for p in (int(x) for x in args.processes.split(",")):
            print(f"build_tables, {p} process(es) …", file=sys.stderr)
            builds[p] = run_child("build", str(corpus), str(workdir / f"out-{p}"), str(p), args.formats)
        incremental = None
        if not args.no_incremental:
            print("caching on the sample corpus …", file=sys.stderr)
            incremental = run_child("incremental", str(workdir / "incremental"))
        print(markdown(summary, floor, builds, incremental, machine))
        if args.json:
            args.json.write_text(
                json.dumps({"corpus": summary, "machine": machine, "floor": floor, "builds": builds, "incremental": incremental}, indent=1),
                encoding="utf-8",
            )
    finally:
        if args.keep:
            print(f"kept {workdir}", file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)
            if args.corpus is None:
                pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
