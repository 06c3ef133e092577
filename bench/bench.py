"""Batch benchmark: build a large corpus by varying the real samples, then time xxgk on it.

    python bench/bench.py corpus --n 10000 --dir /tmp/xxgk-bench/c10k      # only build the corpus
    python bench/bench.py run --n 10000                                      # build (if needed) and measure
    python bench/bench.py run --n 50000 --jobs 2 --traf-sample 600

`run` prints: reports/s overall and per core of a full run, peak RSS of the whole process tree
(sampled from /proc every 50 ms and summed over the xxgk process and its workers; plus the largest single
process from getrusage), the time of a no-change re-run (and its ratio to the full run), the time of a
re-run after one rule changed (XXGK_RULES_SALT changes rules_version; `xxgk reextract`, the cron job),
and trafilatura's bare text extraction time on a sample of the corpus's HTML pages against our full
extraction of the same pages (both serial, in this process).

The corpus varies the complete samples of tests/fixtures: agency names (a pool of places × departments),
years (all years of a report shifted together), numbers (a share of the non-year numbers redrawn), and
form: plain text as the archives hold it, the same text wrapped into a simple portal HTML page (<p> per
line, pipe-separated lines as <table> rows, a navigation header and footer), and variants of the real
portal page 020 (agency, year and table numbers varied).
"""
from __future__ import annotations

import argparse
import html
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"

# sample → the agency strings it prints (replaced by the variant's agency)
TEXT_SAMPLES = {
    "000_18ca986f9f3aea6e.txt": ["衡山縣城市管理和綜合執法局", "衡山县城市管理和综合执法局"],
    "002_pingtan_2019.txt": ["平潭综合实验区"],
    "004_pingtan_2021.txt": ["平潭综合实验区"],
    "005_pingtan_2023.txt": ["平潭综合实验区"],
    "007_pingtan_2025.txt": ["平潭综合实验区"],
    "008_pingtan_2018.txt": ["平潭综合实验区"],
    "010_pingtan_2016.txt": ["平潭综合实验区"],
    "012_pingtan_2014.txt": ["平潭综合实验区管委会", "平潭综合实验区"],
    "014_pingtan-dishui_2013.txt": ["平潭综合实验区地方税务局", "平潭综合实验区"],
    "015_pingtanxian_2011.txt": ["平潭县人民政府", "平潭县"],
    "017_shanghai-kewei_2024_pdfmd.txt": ["上海市科学技术委员会", "上海市科委"],
    "022_pingtan_2012.txt": ["平潭综合实验区"],
}
HTML_SAMPLE = ("020_shuyang-fgj_2023.html", ["沭阳县发展和改革局", "沭阳县发改局"])

PLACES = ["平潭综合实验区", "衡山县", "沭阳县", "乌海市", "南岳区", "湘潭县", "宁乡市", "浏阳市", "醴陵市", "攸县",
          "茶陵县", "耒阳市", "常宁市", "祁东县", "衡东县", "衡南县", "邵东市", "新化县", "桃江县", "安化县",
          "泗阳县", "泗洪县", "宿豫区", "宿城区", "灌云县", "东海县", "赣榆区", "如东县", "海安市", "启东市"]
DEPARTMENTS = ["", "人民政府", "发展和改革局", "财政局", "教育局", "城市管理和综合执法局", "自然资源局", "卫生健康局",
               "民政局", "司法局", "交通运输局", "农业农村局", "市场监督管理局", "生态环境局", "住房和城乡建设局"]
MIX = {"text": 0.40, "html": 0.45, "html020": 0.15}

_NUMBER = re.compile(r"(?<![\d\-:/.])\d+(?![\d\-:/.月日年])")  # not dates, times, years
_CRAWLER_HEADER = re.compile(r"^(标题|发布时间|文号|发布机构|栏目|原文链接|本地目录)\s*[:：]\s*(.*)$")
_YEAR = re.compile(r"(?<!\d)(19\d\d|20[0-2]\d)(?!\d)")


# -- corpus ----------------------------------------------------------------------------------------
def _vary_numbers(text: str, rng: random.Random, share: float = 0.3) -> str:
    def repl(m: re.Match) -> str:
        token = m.group(0)
        if _YEAR.fullmatch(token) or rng.random() > share:
            return token
        digits = [str(rng.randrange(10)) for _ in token]
        if len(digits) > 1 and digits[0] == "0":
            digits[0] = str(rng.randrange(1, 10))
        return "".join(digits)

    # numbers in markup (attributes, styles) stay: vary only text between tags
    parts = re.split(r"(<[^>]*>)", text)
    return "".join(p if p.startswith("<") else _NUMBER.sub(repl, p) for p in parts)


def _shift_years(text: str, delta: int) -> str:
    if not delta:
        return text
    return _YEAR.sub(lambda m: str(int(m.group(0)) + delta) if 2003 <= int(m.group(0)) + delta <= 2027
                     else m.group(0), text)


def _vary(text: str, names: list[str], rng: random.Random, delta: int) -> tuple[str, str]:
    agency = rng.choice(PLACES) + rng.choice(DEPARTMENTS)
    for name in names:
        text = text.replace(name, agency)
    return _vary_numbers(_shift_years(text, delta), rng), agency


def wrap_html(text: str, agency: str) -> str:
    """A simple portal page around a text report: header, <p> per line, pipe rows as a <table>."""
    lines = [line.strip() for line in text.splitlines()]
    header = {}
    while lines and (m := _CRAWLER_HEADER.match(lines[0])):
        header[m.group(1)] = m.group(2)
        lines.pop(0)
    title = html.escape(header.get("标题") or next((line for line in lines if line), "政府信息公开工作年度报告"))
    published = html.escape(header.get("发布时间", ""))
    body: list[str] = []
    table: list[list[str]] = []

    def flush_table() -> None:
        if table:
            body.append("<table border=\"1\">" + "".join(
                "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in table)
                + "</table>")
            table.clear()

    for line in lines:
        if "|" in line:
            cells = [c.strip() for c in line.strip("|").split("|")]
            if not all(set(c) <= set("-: ") for c in cells):
                table.append(cells)
            continue
        flush_table()
        if line:
            body.append(f"<p>{html.escape(line)}</p>")
    flush_table()
    nav = "".join(f"<li><a href=\"/col{i}.html\">栏目{i}</a></li>" for i in range(12))
    return (f"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{title}</title>"
            f"<meta name=\"author\" content=\"{html.escape(agency)}\">"
            f"<meta name=\"PubDate\" content=\"{published}\"></head><body>"
            f"<div class=\"header\"><div class=\"logo\">{html.escape(agency)}门户网站</div>"
            f"<ul class=\"nav\">{nav}</ul></div>"
            f"<div class=\"position\">当前位置：首页 &gt; 政府信息公开 &gt; 政府信息公开年报</div>"
            f"<div class=\"article\"><h1>{title}</h1><div class=\"content\">{''.join(body)}</div></div>"
            f"<div class=\"footer\">主办：{html.escape(agency)} 技术支持：某某公司</div></body></html>")


def build_corpus(directory: Path, n: int, seed: int = 6) -> dict[str, int]:
    """n varied reports under directory/<kind>/<nnn>/, deterministic for a seed."""
    rng = random.Random(seed)
    texts = {name: (FIXTURES / name).read_text(encoding="utf-8") for name in TEXT_SAMPLES}
    page = (FIXTURES / HTML_SAMPLE[0]).read_text(encoding="utf-8")
    kinds = list(MIX)
    counts = dict.fromkeys(kinds, 0)
    tmp = directory.with_name(directory.name + ".part")
    shutil.rmtree(tmp, ignore_errors=True)
    for i in range(n):
        kind = rng.choices(kinds, weights=[MIX[k] for k in kinds])[0]
        delta = rng.randint(-3, 3)
        if kind == "html020":
            content, _ = _vary(page, HTML_SAMPLE[1], rng, delta)
            suffix = ".html"
        else:
            name = rng.choice(list(TEXT_SAMPLES))
            content, agency = _vary(texts[name], TEXT_SAMPLES[name], rng, delta)
            if kind == "html":
                content, suffix = wrap_html(content, agency), ".html"
            else:
                suffix = ".txt"
        out = tmp / kind / f"{i // 1000:03d}" / f"r{i:06d}{suffix}"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(content, encoding="utf-8")
        counts[kind] += 1
    shutil.rmtree(directory, ignore_errors=True)
    tmp.rename(directory)
    (directory.parent / f".{directory.name}.done").write_text(repr(counts))
    return counts


# -- measuring -------------------------------------------------------------------------------------
class TreeRss(threading.Thread):
    """Peaks of the summed RSS and PSS of a process and all its descendants, sampled from /proc.

    RSS counts a shared page (libraries, copy-on-write pages) once in every process mapping it, so the
    sum overstates the tree's memory; PSS divides each shared page among its sharers (it sums to what
    the tree really occupies). Both are reported. RSS comes from /proc/<pid>/status, a counter; PSS from
    smaps_rollup, which walks the page tables under the process's mmap lock, so it is read only every
    `pss_every`-th sample (read every 50 ms, it slowed the measured run by a fifth)."""

    def __init__(self, pid: int, interval: float = 0.05, pss_every: int = 10):
        super().__init__(daemon=True)
        self.pid, self.interval, self.stopped = pid, interval, False
        self.pss_every, self.samples = pss_every, 0
        self.peak = self.peak_pss = 0
        self.peak_processes = 0
        self.cpu_ticks: dict[int, int] = {}  # pid → user+system clock ticks, as last sampled

    def run(self) -> None:
        while not self.stopped:
            rss, pss, n = self.sample()
            self.peak, self.peak_pss = max(self.peak, rss), max(self.peak_pss, pss)
            self.peak_processes = max(self.peak_processes, n)
            time.sleep(self.interval)

    def sample(self) -> tuple[int, int, int]:
        children: dict[int, list[int]] = {}
        for entry in os.scandir("/proc"):
            if entry.name.isdigit():
                try:
                    with open(f"/proc/{entry.name}/stat") as f:
                        ppid = int(f.read().rsplit(")", 1)[1].split()[1])
                    children.setdefault(ppid, []).append(int(entry.name))
                except (OSError, IndexError, ValueError):
                    pass
        rss = pss = n = 0
        self.samples += 1
        stack = [self.pid]
        while stack:
            pid = stack.pop()
            stack.extend(children.get(pid, []))
            try:
                with open(f"/proc/{pid}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                self.cpu_ticks[pid] = int(fields[11]) + int(fields[12])  # utime, stime
                with open(f"/proc/{pid}/status") as f:
                    for line in f:
                        if line.startswith("VmRSS:"):
                            rss += int(line.split()[1]) * 1024
                if self.samples % self.pss_every == 0:
                    with open(f"/proc/{pid}/smaps_rollup") as f:
                        for line in f:
                            if line.startswith("Pss:"):
                                pss += int(line.split()[1]) * 1024
                n += 1
            except OSError:
                pass
        return rss, pss, n


def timed_xxgk(args: list[str], env: dict | None = None) -> tuple[float, TreeRss, str]:
    """Run `python -m xxgk …`; wall seconds, the tree's memory sampler, stdout."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "xxgk", *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sampler = TreeRss(proc.pid)
    sampler.start()
    out, err = proc.communicate()
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    sampler.cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    sampler.stopped = True
    sampler.join()
    if proc.returncode != 0:
        raise SystemExit(f"xxgk {' '.join(args)} failed ({proc.returncode}):\n{err[-3000:]}")
    return seconds, sampler, out.strip()


def _cpu_split(sampler: TreeRss, n: int) -> str:
    """CPU per report of the xxgk process (reads, hashes, hands out inputs) and of its descendants (the
    extraction workers and, in a parallel run, the writer)."""
    tick = os.sysconf("SC_CLK_TCK")
    main = sampler.cpu_ticks.get(sampler.pid, 0) / tick
    others = sum(t for pid, t in sampler.cpu_ticks.items() if pid != sampler.pid) / tick
    return f"main process {1000 * main / n:.1f} ms, workers and writer {1000 * others / n:.1f} ms per report"


def _mem(sampler: TreeRss) -> str:
    return (f"peak tree RSS {sampler.peak / 2**20:.0f} MB, PSS {sampler.peak_pss / 2**20:.0f} MB "
            f"({sampler.peak_processes} processes)")


def _rules_version() -> str:
    out = subprocess.run([sys.executable, "-c", "from xxgk.rules.version import rules_version; print(rules_version())"],
                         cwd=ROOT, capture_output=True, text=True, env={**os.environ, "XXGK_RULES_SALT": ""})
    return out.stdout.strip()


def compare_trafilatura(corpus: Path, sample: int, seed: int = 7) -> dict:
    import trafilatura

    from xxgk.parsers.document import RawDoc
    from xxgk.pipeline.executors import extract_or_fail

    pages = sorted(corpus.glob("html*/*/*.html"))
    rng = random.Random(seed)
    pages = rng.sample(pages, min(sample, len(pages)))
    datas = [(p, p.read_bytes()) for p in pages]
    for _, data in datas[:5]:  # warm up both (imports, jieba/OpenCC dictionaries)
        trafilatura.extract(data)
        extract_or_fail(RawDoc(data, "warmup.html", "html"), "bench")
    per_kind: dict[str, list[float]] = {}
    ours = theirs = 0.0
    for path, data in datas:
        t0 = time.perf_counter()
        trafilatura.extract(data)
        t1 = time.perf_counter()
        extract_or_fail(RawDoc(data, str(path), "html"), "bench")
        t2 = time.perf_counter()
        theirs += t1 - t0
        ours += t2 - t1
        kind = path.parent.parent.name
        acc = per_kind.setdefault(kind, [0.0, 0.0, 0])
        acc[0] += t1 - t0
        acc[1] += t2 - t1
        acc[2] += 1
    return {"pages": len(datas), "trafilatura_s": theirs, "ours_s": ours, "per_kind": per_kind}


def text_extraction_time(corpus: Path, sample: int, seed: int = 8) -> tuple[int, float]:
    from xxgk.parsers.document import RawDoc
    from xxgk.pipeline.executors import extract_or_fail

    files = sorted(corpus.glob("text/*/*.txt"))
    files = random.Random(seed).sample(files, min(sample, len(files)))
    started = time.perf_counter()
    for path in files:
        extract_or_fail(RawDoc(path.read_bytes(), str(path), "text"), "bench")
    return len(files), time.perf_counter() - started


def cmd_corpus(args) -> None:
    started = time.perf_counter()
    counts = build_corpus(Path(args.dir), args.n, args.seed)
    print(f"corpus: {args.n} reports in {args.dir} ({counts}) built in {time.perf_counter() - started:.1f}s")


def cmd_run(args) -> None:
    work = Path(args.work)
    corpus = work / f"corpus-{args.n}"
    if not (work / f".{corpus.name}.done").exists() or args.rebuild:
        started = time.perf_counter()
        counts = build_corpus(corpus, args.n, args.seed)
        print(f"built corpus {corpus}: {counts} in {time.perf_counter() - started:.1f}s")
    out = work / f"out-{args.n}"
    trash = work / f".trash-{time.time_ns()}"
    if out.exists():  # deleted after the measurements: ext4 looks through recently freed inodes when it
        out.rename(trash)  # creates files, and deleting 100k files just before a run slowed the run by 25 %
    jobs = args.jobs or os.cpu_count() or 1
    common = ["--out", str(out), "--jobs", str(jobs), "--executor", args.executor]
    env = {**os.environ, "XXGK_RULES_SALT": ""}
    size = sum(p.stat().st_size for p in corpus.rglob("*") if p.is_file())
    print(f"corpus: {args.n} reports, {size / 1e6:.0f} MB, {jobs} jobs on {os.cpu_count()} cores, "
          f"executor {args.executor}, rules_version of this tree: {_rules_version()}")

    full_s, mem, line = timed_xxgk(["extract", str(corpus), *common], env)
    print(f"full run:        {full_s:7.1f}s  {args.n / full_s:7.1f} reports/s  "
          f"{args.n / full_s / jobs:6.1f} reports/s per core  {_mem(mem)}")
    print(f"                 {line}")
    print(f"                 CPU (all processes) {mem.cpu:.0f}s = {1000 * mem.cpu / args.n:.1f} ms per report "
          f"→ {args.n / mem.cpu:.1f} reports per CPU-second (per core on an idle machine); {_cpu_split(mem, args.n)}")
    again_s, mem, line = timed_xxgk(["extract", str(corpus), *common], env)
    print(f"no-change rerun: {again_s:7.2f}s  = {100 * again_s / full_s:.1f}% of the full run  {_mem(mem)}")
    print(f"                 {line}")
    if not args.no_rule_change:
        salted = {**env, "XXGK_RULES_SALT": f"bench-{time.time_ns()}"}
        rule_s, mem, line = timed_xxgk(["reextract", *common], salted)
        print(f"rule changed:    {rule_s:7.1f}s  (xxgk reextract; {100 * rule_s / full_s:.0f}% of the full run)  "
              f"{_mem(mem)}")
        print(f"                 {line}")
    shutil.rmtree(trash, ignore_errors=True)
    biggest = max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, 0) * 1024
    print(f"largest single process (getrusage RUSAGE_CHILDREN maxrss): {biggest / 2**20:.0f} MB")

    if args.traf_sample:
        r = compare_trafilatura(corpus, args.traf_sample)
        ratio = r["ours_s"] / r["trafilatura_s"]
        print(f"HTML pages ({r['pages']} sampled, serial, one core): trafilatura.extract {r['trafilatura_s']:.2f}s "
              f"({1000 * r['trafilatura_s'] / r['pages']:.1f} ms/page), ours {r['ours_s']:.2f}s "
              f"({1000 * r['ours_s'] / r['pages']:.1f} ms/page): ratio {ratio:.2f}× (target ≤ 1.5×)")
        for kind, (t, o, k) in sorted(r["per_kind"].items()):
            print(f"    {kind:8s} {k:5d} pages  trafilatura {1000 * t / k:6.1f} ms/page"
                  f"  ours {1000 * o / k:6.1f} ms/page"
                  f"  ratio {o / t:.2f}×")
        k, s = text_extraction_time(corpus, args.traf_sample)
        print(f"text inputs ({k} sampled): ours {1000 * s / max(k, 1):.1f} ms/report")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    c = sub.add_parser("corpus", help="build a varied corpus")
    c.add_argument("--n", type=int, default=10_000)
    c.add_argument("--dir", default="/tmp/xxgk-bench/corpus")
    c.add_argument("--seed", type=int, default=6)
    c.set_defaults(func=cmd_corpus)
    r = sub.add_parser("run", help="build (if needed) and measure")
    r.add_argument("--n", type=int, default=10_000)
    r.add_argument("--work", default="/tmp/xxgk-bench")
    r.add_argument("--jobs", type=int, default=None, help="default: all cores")
    r.add_argument("--executor", default="local", choices=["local", "dask"])
    r.add_argument("--seed", type=int, default=6)
    r.add_argument("--rebuild", action="store_true")
    r.add_argument("--no-rule-change", action="store_true", help="skip the re-run after a rule change")
    r.add_argument("--traf-sample", type=int, default=600, help="HTML pages for the trafilatura comparison (0: skip)")
    r.set_defaults(func=cmd_run)
    args = parser.parse_args()
    args.func(args)


if __name__ == "__main__":
    main()
