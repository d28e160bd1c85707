#!/usr/bin/env python3
"""Turns Google Benchmark JSON results into docs/benchmarks.md.

Usage: bench_report.py [--command CMD] [--build-dir DIR] [--load BEFORE AFTER] [--output FILE] [--soak FILE]
                       RESULT.json...

Cases are grouped by name. A name that starts with a group this script knows ("SyncAwait/…",
"Channel/TryWriteThenTryRead/…") goes to that group's table, which has a description, our baseline
for the ratio column, the .NET reference figures and the targets. Any other name goes to the table
of its first component (a Google Benchmark family such as "BM_RenderDie/1024").
Figures are the median over repetitions of the time per operation: the benchmark thread's CPU time
for single-thread cases (so time the thread spent preempted by other load does not count), wall
time for cross-thread cases (registered with UseRealTime(), whose names end in /real_time).
allocs/op is the largest value any repetition saw, so a single allocation anywhere shows.
Python standard library only.
"""

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
from dataclasses import dataclass, field

# A verdict resting on a case whose repetitions vary more than this is flagged as unreliable.
NOISY_CV = 0.25
TIME_UNITS_IN_NS = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}
STANDARD_FIELDS = {
    "name", "family_index", "per_family_instance_index", "run_name", "run_type", "repetitions",
    "repetition_index", "threads", "iterations", "real_time", "cpu_time", "time_unit",
    "aggregate_name", "aggregate_unit", "error_occurred", "error_message", "label",
    "allocs_per_op", "items_per_second", "bytes_per_second",
}
NAME_SUFFIXES = ("/real_time", "/manual_time", "/process_time")


@dataclass
class GroupInfo:
    title: str
    description: str
    ours: tuple          # case names that are our implementation
    baseline: str        # the case the ratio column divides by
    unit: str = "ns/op"  # what one operation is, for the table header


GROUPS = {
    "SyncAwait": GroupInfo(
        "Synchronous await",
        "Awaiting a result that is already there, inside a coroutine loop that runs the benchmark loop "
        "itself, so one iteration is one await. ValueTaskFromResult awaits `ValueTask<int>::fromResult(i)` "
        "built at the await; ValueTaskFromResultCall awaits the same returned by a function that cannot be "
        "inlined — what a hot polling call answering from its cache does; ValueTaskCoroutine awaits a "
        "`ValueTask<int>` coroutine that `co_return`s at once (its frame comes from the per-thread frame pool); "
        "QCoroTask awaits a `QCoro::Task<int>` coroutine that `co_return`s at once, inside a "
        "`QCoro::Task<void>` loop; PlainCall calls a function that cannot be inlined and returns an int.",
        ("ValueTaskFromResult", "ValueTaskFromResultCall", "ValueTaskCoroutine"), "ValueTaskCoroutine"),
    "Suspend": GroupInfo(
        "Suspend, complete, resume",
        "One suspension, completion and resumption per iteration, all on the benchmark thread (no "
        "executor is current there, so completion resumes the awaiter inline; no event loop). "
        "ValueTaskPooledSource: a coroutine awaits a `SourceCore<int>`-based source that is reset for "
        "every operation, and the benchmark completes it. ValueTaskCoroutine: the loop awaits a "
        "`ValueTask<int>` coroutine that suspends on an awaitable the benchmark resumes by hand — the "
        "same shape as the QCoroTask case, which does this with `QCoro::Task`. "
        "ChannelReadThenTryWrite: the loop awaits `Channel::read()` on an empty channel and the benchmark "
        "hands it an item with `tryWrite()`.",
        ("ValueTaskPooledSource", "ValueTaskCoroutine", "ChannelReadThenTryWrite"), "ValueTaskCoroutine"),
    "Channel/TryWriteThenTryRead": GroupInfo(
        "Channel: TryWriteThenTryRead",
        "A write and a read that never wait, on one thread: `tryWrite` + `tryRead` against Asio's "
        "`try_send` + `try_receive` (whose handler runs inside `try_receive`). Both channels hold 64 ints; "
        "Asio's is `boost::asio::experimental::concurrent_channel<void(error_code, int)>`.",
        ("Channel",), "Channel"),
    "Channel/WriteAsyncThenReadAsync": GroupInfo(
        "Channel: WriteAsyncThenReadAsync",
        "Await a write, then await a read; both complete at once. Ours awaits `write()` and `read()` "
        "inside a ValueTask coroutine loop. Asio: `async_send` with a lambda handler whose body calls "
        "`async_receive`, whose handler starts the next iteration; the handlers run on an `io_context` "
        "(concurrency hint 1) that the benchmark thread runs. Asio posts every completion to the "
        "io_context rather than running it inside the initiating call.",
        ("Channel",), "Channel"),
    "Channel/ReadAsyncThenWriteAsync": GroupInfo(
        "Channel: ReadAsyncThenWriteAsync",
        "Start a read on the empty channel (it is pending), await a write (which hands its item to the "
        "read), then await the read. Asio: `async_receive` (its handler starts the next iteration), then "
        "`async_send` with an empty lambda handler; both completions are posted to the io_context.",
        ("Channel",), "Channel"),
    "Spsc": GroupInfo(
        "Cross-thread streaming (SPSC)",
        "A producer thread writes 1 000 000 ints, a consumer thread reads them; one operation is one item. "
        "Channel: a Job on one ThreadExecutor awaits `Channel::write()` (capacity 1024, FullMode::Wait), a "
        "Job on another awaits `Channel::read()`. ReaderWriterQueue: `moodycamel::ReaderWriterQueue<int>` "
        "(capacity 1024) with both threads busy-polling `try_enqueue`/`try_dequeue` — the practical limit. "
        "QtQueuedCall: a QThread posts one `QMetaObject::invokeMethod(…, Qt::QueuedConnection)` lambda per "
        "item to an object on another QThread. The benchmark thread sleeps while a batch runs.",
        ("Channel",), "Channel", "ns/item"),
    "PingPong": GroupInfo(
        "Cross-thread ping-pong",
        "Two threads bounce one token through two channels (capacity 1); one operation is one round trip. "
        "Channel: two Jobs on two ThreadExecutors awaiting `write()` and `read()`. ReaderWriterQueue: two "
        "busy-polling threads and two queues. QtQueuedCall: queued calls between two QThreads running their "
        "event loops. The figure is the median over the repetitions.",
        ("Channel",), "Channel", "ns/round trip"),
    "UiMarshal": GroupInfo(
        "UI marshal",
        "The benchmark thread publishes 100 000 ints per batch; a QThread's event loop receives them; one "
        "operation is one item. UiMarshal: `UiMarshal<int>` (capacity 65 536, OverflowPolicy::Block) built on "
        "that thread with a minimum interval of 0 ms — the 16 ms display-frame pacing is a policy, not a "
        "cost — so it drains as soon as its one queued call per batch arrives. QtQueuedCallPerItem: one "
        "queued call per item. posts/s counts queued calls made to the receiving thread and drains/s the "
        "deliveries run there, per second of the run; items per post and items per batch (a drain that "
        "delivered something) say how much each carried. UiMarshal allocates nothing per item; each post is "
        "one Qt queued call, which allocates, so its allocs/op is the queued call's allocations divided by "
        "the items per post.",
        ("UiMarshal",), "UiMarshal", "ns/item"),
    "FramePool": GroupInfo(
        "Frame pool",
        "Renting and returning a 1 MiB frame (pool of 4). TryRentReturn: `tryRent()` then `reset()` on the "
        "lease. RentAwaitReturn: `co_await rent()` (a frame is free, so it completes at once) in a "
        "coroutine loop, then `reset()`. NewDelete: `std::make_unique_for_overwrite<std::byte[]>(1 MiB)` and "
        "its destruction. No case touches the bytes.",
        ("TryRentReturn", "RentAwaitReturn"), "TryRentReturn"),
    "BM_EngineEndToEnd": GroupInfo(
        "Inspection engine end to end",
        "`tests/benchmarks/engine_benchmark.cpp`: the whole engine — unpaced simulated machine, acquisition, "
        "the real defect detector, crop staging (PNG, fsync), the persistence writer (SQLite), KLARF export "
        "and every background service — on a 200 mm wafer of 212 dies at the default recipe's defect "
        "density; one operation is one lot of one wafer (set-up, reference learning and wind-down "
        "included), and allocs/op counts every allocation of that lot. The counters describe the steady "
        "state: a window on the detection thread from the wafer's 20th frame to its last. frames/s and "
        "frame ms: wall time per frame in the window; lot frames/s: frames over the whole lot's time; "
        "kernel ms: time per frame inside the detector's calls, less the detection stage's handling of the "
        "reports they call back into (same frames, same window); overhead pct: "
        "(frame ms − kernel ms) / frame ms; stage cpu pct: the detection thread's CPU time outside the "
        "detector, as a share of frame time; allocs *: allocations per frame in the window — detector "
        "(inside its calls less the stage's report handling, OpenCV included), stage (the rest of the "
        "detection thread: defect records, crop copies and paths, persistence commands), acquisition (the "
        "acquisition thread: simulated camera and acquisition stage), rest (every other thread: persistence "
        "writer and SQLite, PNG encoding, services, OpenCV workers), process (all). crops:0 runs the same "
        "lot with crop staging off.",
        (), "", "ns/lot"),
    "BM_UiLoad10kDefectsPerSecond": GroupInfo(
        "Console under a storm of defects",
        "`tests/benchmarks/ui_load_benchmark.cpp`: the whole console window (offscreen, Qt Quick's software "
        "renderer) with an engineer logged in and the Run page showing its live wafer map, while a "
        "pipeline-like thread publishes 10 000 defects per second into the defect feed (ten every "
        "millisecond) for 60 seconds; the feed's UI marshal hands them to the wafer map and the live "
        "defect list in batches. One operation is the whole run (its wall time). ui lag: how late a 10 ms "
        "precise timer on the UI thread fires (p50, p99, max over the run); posts/s: the feed's queued calls "
        "to the UI thread per second; defects/s: defects delivered to the view models per second; map dots: "
        "defects on the wafer map at the end; allocs/op here is per defect delivered, every thread counted.",
        (), "", "ns/run"),
}

# Published .NET figures (other machine, other runtime): reference points, not peers in this run.
# (group, case) -> (label, ns, bytes allocated per operation or None)
DOTNET = {
    ("SyncAwait", "ValueTaskFromResultCall"): ("ValueTask sync", 18.7, None),
    ("SyncAwait", "ValueTaskCoroutine"): ("ValueTask pooled", 11.0, None),
    ("Suspend", "ValueTaskCoroutine"): ("suspending async ValueTask", 313.0, 168),
    ("Channel/TryWriteThenTryRead", "Channel"): ("TryWriteThenTryRead", 72.0, None),
    ("Channel/WriteAsyncThenReadAsync", "Channel"): ("WriteAsyncThenReadAsync", 122.0, None),
    ("Channel/ReadAsyncThenWriteAsync", "Channel"): ("ReadAsyncThenWriteAsync", 188.0, None),
    ("PingPong", "Channel"): ("ping-pong", 3400.0, None),
}


@dataclass
class Case:
    group: str
    name: str
    times_ns: list = field(default_factory=list)
    allocs: list = field(default_factory=list)
    counters: dict = field(default_factory=dict)
    is_wall_time: bool = False
    time_is_median_only: bool = False

    @property
    def median_ns(self):
        return statistics.median(self.times_ns)

    @property
    def cv(self):
        if len(self.times_ns) < 2 or self.median_ns == 0:
            return None
        return statistics.stdev(self.times_ns) / statistics.mean(self.times_ns)

    @property
    def max_allocs(self):
        return max(self.allocs) if self.allocs else None

    def counter(self, name):
        values = self.counters.get(name)
        return statistics.median(values) if values else None


def split_name(run_name):
    for suffix in NAME_SUFFIXES:
        if run_name.endswith(suffix):
            run_name = run_name[: -len(suffix)]
    known = [group for group in GROUPS if run_name.startswith(group + "/")]
    if known:
        group = max(known, key=len)
        return group, run_name[len(group) + 1:]
    if "/" not in run_name:
        return run_name, "–"
    group, case = run_name.split("/", 1)
    return group, case


def time_ns(entry):
    """Wall time for cases that asked for it, the measuring thread's CPU time otherwise."""
    field_name = "real_time" if is_wall_time(entry) else "cpu_time"
    return entry[field_name] * TIME_UNITS_IN_NS[entry.get("time_unit", "ns")]


def is_wall_time(entry):
    return entry.get("run_name", entry["name"]).endswith(("/real_time", "/manual_time"))


def load_results(paths):
    """Returns (contexts, cases by (group, name) in first-seen order)."""
    contexts = []
    cases = {}
    aggregates = {}
    for path in paths:
        with open(path, encoding="utf-8") as file:
            text = file.read()
        if not text.strip():
            # A binary whose cases all fell outside --benchmark_filter writes nothing.
            print(f"bench_report.py: {path} is empty, skipped", file=sys.stderr)
            continue
        data = json.loads(text)
        contexts.append(data.get("context", {}))
        for entry in data.get("benchmarks", []):
            if entry.get("error_occurred"):
                continue
            run_name = entry.get("run_name", entry["name"])
            key = split_name(run_name)
            if entry.get("run_type") == "aggregate":
                aggregates.setdefault(key, {})[entry["aggregate_name"]] = entry
                continue
            case = cases.setdefault(key, Case(*key, is_wall_time=is_wall_time(entry)))
            case.times_ns.append(time_ns(entry))
            if "allocs_per_op" in entry:
                case.allocs.append(entry["allocs_per_op"])
            for name, value in entry.items():
                if name not in STANDARD_FIELDS and isinstance(value, (int, float)):
                    case.counters.setdefault(name, []).append(value)
    # Files written with --benchmark_report_aggregates_only carry only aggregates: use the median.
    for key, by_kind in aggregates.items():
        if key in cases or "median" not in by_kind:
            continue
        median = by_kind["median"]
        case = cases.setdefault(key, Case(*key, is_wall_time=is_wall_time(median), time_is_median_only=True))
        case.times_ns.append(time_ns(median))
        source = by_kind.get("mean", median)
        if "allocs_per_op" in source:
            case.allocs.append(source["allocs_per_op"])
        for name, value in median.items():
            if name not in STANDARD_FIELDS and isinstance(value, (int, float)):
                case.counters.setdefault(name, []).append(value)
    return contexts, cases


def format_ns(ns):
    if ns >= 100:
        return f"{ns:,.0f}"
    if ns >= 10:
        return f"{ns:.1f}"
    return f"{ns:.2f}"


def format_allocs(value):
    if value is None:
        return "–"
    if value == 0:
        return "0"
    if value >= 0.1:
        return f"{value:.2f}"
    return f"{value:.2g}"


def format_ratio(ratio):
    if ratio >= 10:
        return f"{ratio:.0f}×"
    return f"{ratio:.2f}×"


def format_count(value):
    if value is None:
        return "–"
    if value >= 100:
        return f"{value:,.0f}"
    return f"{value:.1f}"


def run_quietly(args):
    try:
        return subprocess.run(args, capture_output=True, text=True, check=False).stdout.strip()
    except OSError:
        return ""


def cpu_model():
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as file:
            for line in file:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def cmake_cache(build_dir):
    values = {}
    path = os.path.join(build_dir, "CMakeCache.txt") if build_dir else ""
    if path and os.path.exists(path):
        with open(path, encoding="utf-8") as file:
            for line in file:
                match = re.match(r"^([A-Za-z0-9_]+):[A-Z]+=(.*)$", line.rstrip("\n"))
                if match:
                    values[match.group(1)] = match.group(2)
    return values


def package_versions(packages):
    lines = run_quietly(["dpkg-query", "-W", "-f", "${Package} ${Version}\\n", *packages])
    return ", ".join(line for line in lines.splitlines() if line)


def machine_section(args, contexts):
    cache = cmake_cache(args.build_dir)
    compiler = cache.get("CMAKE_CXX_COMPILER", "c++")
    compiler_version = run_quietly([compiler, "--version"]).splitlines()
    build_type = cache.get("CMAKE_BUILD_TYPE", "unknown")
    flags = cache.get(f"CMAKE_CXX_FLAGS_{build_type.upper()}", "")
    context = contexts[0] if contexts else {}
    rows = [
        ("CPU", cpu_model()),
        ("Cores", f"{os.cpu_count()} logical CPUs ({context.get('num_cpus', '?')} as Google Benchmark counts them, "
                  f"{context.get('mhz_per_cpu', '?')} MHz)"),
        ("Kernel", f"{platform.system()} {platform.release()}"),
        ("Compiler", compiler_version[0] if compiler_version else compiler),
        ("Build type", f"{build_type} (`{flags}`)" if flags else build_type),
        ("Libraries", package_versions(["libbenchmark-dev", "libboost1.81-dev", "qt6-base-dev",
                                        "qcoro-qt6-dev", "libreaderwriterqueue-dev"]) or "unknown"),
        ("Date", context.get("date", "unknown")),
        ("Command", f"`{args.command}`" if args.command else "unknown"),
    ]
    if args.load:
        rows.append(("Load average (1, 5, 15 min)", f"{args.load[0]} before the run, {args.load[1]} after"))
    if context.get("library_build_type") == "debug":
        rows.append(("Warning", "Google Benchmark itself is a debug build"))
    lines = ["| | |", "|---|---|"]
    lines += [f"| {name} | {value} |" for name, value in rows]
    return "\n".join(lines)


def group_table(group_key, info, cases):
    """Returns the Markdown lines of one group's table."""
    rows = list(cases)
    baseline = next((case for case in rows if info and case.name == info.baseline), None)
    has_dotnet = any((group_key, case.name) in DOTNET for case in rows)
    extra = sorted({name for case in rows for name in case.counters})
    unit = info.unit if info else "ns/op"
    header = ["Case", unit, "cv", "allocs/op"]
    if baseline:
        header.append("× ours")
    header += [name.replace("_", " ").replace(" per s", "/s") for name in extra]
    if has_dotnet:
        header.append(".NET reference")
    alignment = ["---"] + ["--:"] * (len(header) - 1)
    if has_dotnet:
        alignment[-1] = "---"
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(alignment) + "|"]
    for case in rows:
        is_ours = bool(info) and case.name in info.ours
        label = f"**{case.name}** (ours)" if is_ours else case.name
        cv = case.cv
        cells = [label, format_ns(case.median_ns), f"{cv * 100:.1f} %" if cv is not None else "–",
                 format_allocs(case.max_allocs)]
        if baseline:
            cells.append(format_ratio(case.median_ns / baseline.median_ns))
        cells += [format_count(case.counter(name)) for name in extra]
        if has_dotnet:
            reference = DOTNET.get((group_key, case.name))
            if reference:
                label_ref, ns, bytes_ = reference
                text = f"{label_ref}: {format_ns(ns)} ns"
                if bytes_ is not None:
                    text += f" / {bytes_} B"
                cells.append(text)
            else:
                cells.append("")
        lines.append("| " + " | ".join(cells) + " |")
    return lines


@dataclass
class Verdict:
    target: str
    met: object  # True, False, or None when the run did not measure it
    detail: str
    cases: tuple = ()

    @property
    def word(self):
        return "not measured" if self.met is None else "met" if self.met else "MISSED"

    @property
    def noise(self):
        """The cases whose spread makes the verdict unreliable, as text, or ''."""
        noisy = [c for c in self.cases if c.cv is not None and c.cv > NOISY_CV]
        return ", ".join(f"{c.group}/{c.name} cv {c.cv * 100:.0f} %" for c in noisy)


def evaluate_targets(cases, soak=None):
    verdicts = []

    def case(group, name):
        return cases.get((group, name))

    def missing(target, *names):
        verdicts.append(Verdict(target, None, "no result for " + ", ".join(names) + " in this run"))

    # 1. No allocation on any path of ours.
    ours = [c for (group, name), c in cases.items() if group in GROUPS and name in GROUPS[group].ours]
    offenders = [c for c in ours if c.max_allocs is None or c.max_allocs > 0]
    if ours:
        def describe(c):
            text = f"{c.group}/{c.name}: {format_allocs(c.max_allocs)} allocs/op"
            per_post = c.counter("items_per_post")
            if per_post:
                text += f" ({per_post:.0f} items per queued call)"
            return text
        detail = (f"all {len(ours)} cases of ours: 0 allocs/op in every repetition" if not offenders else
                  "; ".join(describe(c) for c in offenders))
        verdicts.append(Verdict("0 allocations per operation on every path of ours", not offenders, detail))
    else:
        missing("0 allocations per operation on every path of ours", "every case of ours")

    # 2. Synchronous await at least 5x faster than QCoro::Task: judged for the inline result a call
    # returns (what value tasks are for) and, separately, for a ValueTask coroutine.
    qcoro = case("SyncAwait", "QCoroTask")
    for name, what in (("ValueTaskFromResultCall", "a call returning ValueTask::fromResult"),
                       ("ValueTaskCoroutine", "a ValueTask coroutine that completes at once")):
        target = f"synchronous await ≥ 5× faster than QCoro::Task — {what}"
        ours_sync = case("SyncAwait", name)
        if ours_sync and qcoro:
            ratio = qcoro.median_ns / ours_sync.median_ns
            verdicts.append(Verdict(target, ratio >= 5, f"{format_ns(ours_sync.median_ns)} ns vs QCoro::Task "
                                                        f"{format_ns(qcoro.median_ns)} ns: {ratio:.1f}×",
                                    (ours_sync, qcoro)))
        else:
            missing(target, f"SyncAwait/{name}", "SyncAwait/QCoroTask")

    # 3. Channel shapes at least 3x faster than Boost.Asio's channel.
    for shape in ("TryWriteThenTryRead", "WriteAsyncThenReadAsync", "ReadAsyncThenWriteAsync"):
        group = f"Channel/{shape}"
        target = f"{shape} ≥ 3× faster than the Boost.Asio channel"
        ours_case, asio = case(group, "Channel"), case(group, "AsioConcurrentChannel")
        if ours_case and asio:
            ratio = asio.median_ns / ours_case.median_ns
            verdicts.append(Verdict(target, ratio >= 3, f"{format_ns(ours_case.median_ns)} ns vs "
                                                        f"{format_ns(asio.median_ns)} ns: {ratio:.2f}×",
                                    (ours_case, asio)))
        else:
            missing(target, f"{group}/Channel", f"{group}/AsioConcurrentChannel")

    # 4. Cross-thread streaming within 3x of ReaderWriterQueue.
    target = "cross-thread streaming within 3× of ReaderWriterQueue"
    ours_spsc, rwq = case("Spsc", "Channel"), case("Spsc", "ReaderWriterQueue")
    if ours_spsc and rwq:
        ratio = ours_spsc.median_ns / rwq.median_ns
        verdicts.append(Verdict(target, ratio <= 3, f"{format_ns(ours_spsc.median_ns)} ns/item vs "
                                                    f"{format_ns(rwq.median_ns)} ns/item: {ratio:.1f}× slower",
                                (ours_spsc, rwq)))
    else:
        missing(target, "Spsc/Channel", "Spsc/ReaderWriterQueue")

    # 5. Ping-pong median at most 1 microsecond.
    target = "ping-pong median ≤ 1 µs per round trip"
    ping = case("PingPong", "Channel")
    if ping:
        times = ", ".join(format_ns(t) for t in ping.times_ns)
        verdicts.append(Verdict(target, ping.median_ns <= 1000,
                                f"median {format_ns(ping.median_ns)} ns over {len(ping.times_ns)} repetitions "
                                f"({times} ns)", (ping,)))
    else:
        missing(target, "PingPong/Channel")

    verdicts += engine_verdicts(cases, soak)
    verdicts += console_verdicts(cases)
    return verdicts


def console_verdicts(cases):
    """The console's targets: UI lag and marshal posts under 10 000 defects/s, and the wafer map's frame."""
    verdicts = []
    load = next((c for (group, _), c in cases.items() if group == "BM_UiLoad10kDefectsPerSecond"), None)
    lag_target = "console UI-thread lag p99 ≤ 16 ms at 10 000 defects/s for 60 s"
    posts_target = "≤ 60 marshal posts per second at 10 000 defects/s"
    if load and load.counter("ui_lag_p99_ms") is not None:
        seconds = load.median_ns / 1e9
        delivered = load.counter("defects_per_s")
        verdicts.append(Verdict(lag_target, load.counter("ui_lag_p99_ms") <= 16.0,
                                f"p99 {load.counter('ui_lag_p99_ms'):.1f} ms, p50 {load.counter('ui_lag_p50_ms'):.1f} ms, "
                                f"max {load.counter('ui_lag_max_ms'):.1f} ms over {seconds:.0f} s; "
                                f"{delivered:,.0f} defects/s delivered"))
        verdicts.append(Verdict(posts_target, load.counter("posts_per_s") <= 60.0,
                                f"{load.counter('posts_per_s'):.1f} posts/s, "
                                f"{delivered / max(load.counter('posts_per_s'), 1e-9):.0f} defects per post"))
    else:
        verdicts.append(Verdict(lag_target, None, "no BM_UiLoad10kDefectsPerSecond result in this run"))
        verdicts.append(Verdict(posts_target, None, "no BM_UiLoad10kDefectsPerSecond result in this run"))
    target = "wafer map: a batch of 1 000 defects and one frame within 16 ms at 100 000 defects"
    batch = next((c for (group, _), c in cases.items() if group.startswith("BM_WaferMapAddBatch")), None)
    if batch:
        verdicts.append(Verdict(target, batch.median_ns <= 16e6,
                                f"{batch.median_ns / 1e6:.2f} ms median (Qt Quick's software renderer, "
                                f"offscreen)", (batch,)))
    else:
        verdicts.append(Verdict(target, None, "no BM_WaferMapAddBatch result in this run"))
    return verdicts


def engine_cases(cases, crops=1):
    """The BM_EngineEndToEnd cases by frame size, for one crop setting."""
    found = {}
    for (group, name), case in cases.items():
        match = re.match(r"frame:(\d+)/crops:(\d+)", name)
        if group == "BM_EngineEndToEnd" and match and int(match.group(2)) == crops:
            found[int(match.group(1))] = case
    return dict(sorted(found.items()))


def engine_verdicts(cases, soak):
    verdicts = []
    engine = engine_cases(cases)
    for size in (1024, 2048):
        target = f"pipeline overhead ≤ 5 % of frame time, {size}² frames"
        case = engine.get(size)
        if case is None or case.counter("overhead_pct") is None:
            verdicts.append(Verdict(target, None, f"no result for BM_EngineEndToEnd/frame:{size}/crops:1 in this run"))
            continue
        overhead = case.counter("overhead_pct")
        values = ", ".join(f"{v:.1f}" for v in case.counters["overhead_pct"])
        verdicts.append(Verdict(target, overhead <= 5.0,
                                f"median {overhead:.1f} % ({values} % over the repetitions); frame "
                                f"{case.counter('frame_ms'):.2f} ms, detector {case.counter('kernel_ms'):.2f} ms, "
                                f"detection-thread CPU outside the detector {case.counter('stage_cpu_pct'):.2f} %",
                                (case,)))
    target = "0 allocations per frame in the pipeline machinery in steady state (detection stage, acquisition)"
    if engine:
        worst = {size: max(max(c.counters.get("allocs_stage", [0])), max(c.counters.get("allocs_acquisition", [0])))
                 for size, c in engine.items()}
        detail = "; ".join(f"{size}²: stage {max(c.counters.get('allocs_stage', [0])):.3g}, acquisition "
                           f"{max(c.counters.get('allocs_acquisition', [0])):.3g} allocs/frame at most"
                           for size, c in engine.items())
        verdicts.append(Verdict(target, all(v == 0 for v in worst.values()), detail))
    else:
        verdicts.append(Verdict(target, None, "no BM_EngineEndToEnd result in this run"))
    target = ("memory flat over a 10-minute run (the RSS baseline, median of a minute, grows < 1 % from "
              "after warm-up to the end)")
    if soak:
        first, last = soak["baseline_first_mb"], soak["baseline_last_mb"]
        flat = soak["seconds"] >= 600 and last - first < 0.01 * first
        verdicts.append(Verdict(target, flat, f"{soak['seconds'] / 60:.1f} min: baseline {first:.1f} MB after "
                                              f"warm-up, {last:.1f} MB at the end ({last - first:+.1f} MB, "
                                              f"{soak['baseline_growth_mb_per_min']:+.2f} MB/min); peaks up to "
                                              f"{soak['rss_max_mb']:.1f} MB come and go"))
    else:
        verdicts.append(Verdict(target, None, "no soak figures given (tools/rss_soak.sh, then --soak)"))
    return verdicts


def engine_section(cases, soak):
    """The engine's performance summary: Markdown lines, or [] when the run has no engine results."""
    engine = engine_cases(cases)
    if not engine and not soak:
        return []
    kernel = {}
    for (group, name), case in cases.items():
        if group == "BM_InspectFrame" and name.isdigit():
            kernel[int(name)] = case
    out = ["## Inspection engine: performance", "",
           "From the BM_EngineEndToEnd and BM_InspectFrame tables below and the soak run. Medians over the "
           "repetitions; the machine is shared (2 cores, other builds and tests running — see the load "
           "average above), so wall-clock figures are noisy and slower than on a quiet machine. The "
           "overhead compares wall times of the same frames in the same window, so it is not skewed by the "
           "load; BM_InspectFrame's figure is the benchmark thread's CPU time, which the load does not "
           "inflate, hence lower than the detector's wall time inside the pipeline on a busy machine.", ""]
    if engine:
        out += ["| Frame | end to end, steady (frames/s) | end to end, whole lot (frames/s) | frame time (ms) | "
                "detector in the pipeline (ms/frame, wall) | detector alone, BM_InspectFrame (ms/frame, CPU) | "
                "pipeline overhead | detection-thread CPU outside the detector |",
                "|---|--:|--:|--:|--:|--:|--:|--:|"]
        for size, case in engine.items():
            alone = kernel.get(size)
            alone_ms = f"{alone.median_ns / 1e6:.2f}" if alone else "–"
            out.append(f"| {size}² | {case.counter('frames_per_s'):.1f} | {case.counter('lot_frames_per_s'):.1f} | "
                       f"{case.counter('frame_ms'):.2f} | {case.counter('kernel_ms'):.2f} | {alone_ms} | "
                       f"{case.counter('overhead_pct'):.1f} % | {case.counter('stage_cpu_pct'):.2f} % |")
        out += ["", "Allocations per frame in steady state (the window above), by where they happen; the largest "
                "value any repetition saw:", "",
                "| Case | pipeline machinery: detection stage | pipeline machinery: acquisition (camera included) | "
                "detector / OpenCV | everything else: persistence / SQLite, PNG staging, services | whole process |",
                "|---|--:|--:|--:|--:|--:|"]
        for crops in (1, 0):
            for size, case in engine_cases(cases, crops).items():
                worst = lambda name: max(case.counters.get(name, [float("nan")]))
                out.append(f"| {size}², crops {'on' if crops else 'off'} | {worst('allocs_stage'):.3g} | "
                           f"{worst('allocs_acquisition'):.3g} | {worst('allocs_detector'):.3g} | "
                           f"{worst('allocs_rest'):.3g} | {worst('allocs_process'):.3g} |")
        out.append("")
    if soak:
        out += ["Memory over a long run (`tools/rss_soak.sh`: `waferscope --headless`, RSS from /proc every "
                f"{soak['interval_s']:g} s):", "",
                "| Run | duration | frames | RSS start | RSS after warm-up | RSS end | RSS max | second half | "
                "baseline drift |",
                "|---|--:|--:|--:|--:|--:|--:|--:|--:|",
                f"| {soak['wafers']} wafers, default recipe at {soak['simulator_fps']:g} frames/s, {soak['pacing']} "
                f"| {soak['seconds'] / 60:.1f} min | {soak.get('frames_processed') or '–'} | "
                f"{soak['rss_start_mb']:.1f} MB | {soak['rss_warm_mb']:.1f} MB (t = {soak['warm_at_s']:.0f} s) | "
                f"{soak['rss_end_mb']:.1f} MB | {soak['rss_max_mb']:.1f} MB | {soak['second_half_growth_mb']:+.1f} MB "
                f"(min {soak['second_half_min_mb']:.1f}, max {soak['second_half_max_mb']:.1f}) | "
                f"{soak['baseline_first_mb']:.1f} → {soak['baseline_last_mb']:.1f} MB "
                f"({soak['baseline_growth_mb_per_min']:+.2f} MB/min) |", ""]
    return out


def dotnet_comparison(cases):
    lines = ["| .NET figure | .NET | ours (case) | ours | beaten |", "|---|--:|---|--:|---|"]
    for (group, name), (label, ns, bytes_) in DOTNET.items():
        ours_case = cases.get((group, name))
        reference = f"{format_ns(ns)} ns" + (f" / {bytes_} B" if bytes_ is not None else "")
        if not ours_case:
            lines.append(f"| {label} | {reference} | {group}/{name} | not measured | – |")
            continue
        allocs = ours_case.max_allocs
        ours_text = f"{format_ns(ours_case.median_ns)} ns / {format_allocs(allocs)} allocs"
        beaten = ours_case.median_ns <= ns and (bytes_ is None or (allocs is not None and allocs == 0))
        lines.append(f"| {label} | {reference} | {group}/{name} | {ours_text} | {'yes' if beaten else 'NO'} |")
    return lines


def render(args, contexts, cases, soak=None):
    out = [
        "# Benchmarks",
        "",
        "Generated by `tools/bench_report.py` from the JSON that `tools/benchmarks.sh` wrote; rerun the "
        "script rather than editing this file. The runtime's cases are in `tests/benchmarks/runtime_*benchmark.cpp`.",
        "",
        "## Machine and run",
        "",
        machine_section(args, contexts),
        "",
        "## How to read the tables",
        "",
        "- The time column is the **median over repetitions** of the time per operation (what one operation "
        "is, is in the column header): for single-thread cases the benchmark thread's CPU time, so that time "
        "spent preempted by other load on the machine does not count; for cross-thread cases (Spsc, PingPong, "
        "UiMarshal) wall-clock time, the only honest measure when the work is spread over threads.",
        "- **cv** is the coefficient of variation of that time across the repetitions: how noisy the case was.",
        "- **allocs/op** counts calls of the global `operator new` made by *every* thread while the case ran, per "
        "operation (`waferscope::benchmarks::AllocsPerOp`); the table shows the largest value any repetition saw. "
        "Allocations made by thread start-up and shut-down around the timed loop are not counted.",
        "- **× ours** is this row's time divided by the time of our row marked in bold with the ratio 1.00×: "
        "above 1, the row is that many times slower than ours.",
        "- The **.NET reference** figures are published numbers from another machine and runtime, quoted as "
        "the figures to beat; they are not peers in this run.",
        "- Cross-thread figures need an otherwise idle machine. An idle ThreadExecutor spins "
        "(`ThreadExecutor::kSpinIterations` polls) before it parks; when other processes keep one of two cores "
        "busy, both threads of a pair can share the other core, and each hand-off then waits for the other "
        "thread to finish spinning. Busy-polling peers suffer from sharing a core too. The load average in "
        "the table above says how busy the machine was during the run.",
        "",
    ]
    by_group = {}
    for case in cases.values():
        by_group.setdefault(case.group, []).append(case)
    known = [key for key in GROUPS if key in by_group]
    other = [key for key in by_group if key not in GROUPS]
    for key in known + other:
        info = GROUPS.get(key)
        out += [f"## {info.title if info else key}", ""]
        if info:
            out += [info.description, ""]
        out += group_table(key, info, by_group[key])
        out.append("")

    out += engine_section(cases, soak)
    verdicts = evaluate_targets(cases, soak)
    out += ["## Targets", ""]
    for verdict in verdicts:
        line = f"- **{verdict.word}** — {verdict.target}: {verdict.detail}."
        if verdict.noise:
            line += (f" *Unreliable: the repetitions disagree ({verdict.noise}); rerun on a quiet machine "
                     "before trusting this verdict.*")
        out.append(line)
    out += ["", "### Against the published .NET figures", "",
            "Each published figure stands beside the case of ours closest to it in shape; a figure with bytes "
            "counts as beaten only when ours is faster and allocates nothing.", ""]
    out += dotnet_comparison(cases)
    out.append("")
    return "\n".join(out)


# Sections other tools write into the report (tools/fault_soak.py --report); a rewrite keeps them.
KEPT_SECTIONS = ("## Soak with random faults",)


def kept_sections(path):
    """The sections of the existing report that other tools wrote, each up to the next '## '."""
    try:
        with open(path, encoding="utf-8") as file:
            existing = file.read()
    except OSError:
        return ""
    kept = ""
    for heading in KEPT_SECTIONS:
        start = existing.find(heading + "\n")
        if start < 0:
            continue
        end = existing.find("\n## ", start + len(heading))
        kept += "\n" + existing[start:end + 1 if end >= 0 else len(existing)].rstrip("\n") + "\n"
    return kept


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", nargs="+", help="Google Benchmark JSON files (--benchmark_out)")
    parser.add_argument("--command", default="", help="the command that produced the results")
    parser.add_argument("--build-dir", default="", help="the build directory, for compiler and build type")
    parser.add_argument("--load", nargs=2, metavar=("BEFORE", "AFTER"), help="load averages around the run")
    parser.add_argument("--output", default="docs/benchmarks.md")
    parser.add_argument("--soak", help="soak.json from tools/rss_soak.sh: memory over a long run")
    args = parser.parse_args(argv)
    contexts, cases = load_results(args.results)
    if not cases:
        print("bench_report.py: no benchmark results in the given files", file=sys.stderr)
        return 1
    soak = None
    if args.soak:
        with open(args.soak, encoding="utf-8") as file:
            soak = json.load(file)
    text = render(args, contexts, cases, soak) + kept_sections(args.output)
    os.makedirs(os.path.dirname(args.output) or ".", exist_ok=True)
    with open(args.output, "w", encoding="utf-8") as file:
        file.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
