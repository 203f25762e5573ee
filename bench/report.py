#!/usr/bin/env python3
"""Markdown from the TSV the benchmark scripts write (repeat, table, subject, key, value): every figure as the median
over the repeats with its range (min-max).

  report.py peers   results.tsv    bench/peers.sh
  report.py warmup  results.tsv    bench/warmup.sh
  report.py memory  results.tsv    bench/memory.sh
"""
import collections
import re
import statistics
import sys

NAMES = {"runtime-jar": "runtime, jar (JDK 17)", "runtime-aot": "runtime, jar + AOT cache (JDK 25)",
         "runtime-native": "runtime, native", "restate": "Restate", "dbos": "DBOS (Postgres)",
         "langgraph": "LangGraph JS (Postgres)", "jar": "jar (JDK 17)", "aot": "jar + AOT cache (JDK 25)",
         "native": "native"}


def load(path):
    rows = collections.defaultdict(list)   # (table, subject, key) -> [(repeat, value)]
    meta = collections.defaultdict(list)   # (subject, key) -> [value] for repeat 0
    for line in open(path).read().splitlines()[1:]:
        parts = line.split("\t", 4)
        if len(parts) != 5:
            continue
        rep, table, subject, key, value = parts
        if rep == "0":
            meta[(subject, key)].append(value)
        else:
            rows[(table, subject, key)].append((int(rep), value))
    return rows, meta


def num(v):
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


def fmt(x):
    if x is None:
        return "–"
    if abs(x) >= 1000:
        return f"{x:,.0f}"
    if abs(x) >= 100:
        return f"{x:.0f}"
    if abs(x) >= 10:
        return f"{x:.1f}"
    return f"{x:.2f}"


def spread(values):
    """median (min–max) of the numeric values; n=1: the value."""
    xs = [x for x in (num(v) for v in values) if x is not None]
    if not xs:
        return "–"
    if len(xs) == 1:
        return fmt(xs[0])
    return f"{fmt(statistics.median(xs))} ({fmt(min(xs))}–{fmt(max(xs))})"


def values(rows, table, subject, key):
    return [v for _, v in sorted(rows.get((table, subject, key), []))]


def table_md(header, lines):
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(line) + " |" for line in lines]
    return "\n".join(out)


def footer(rows, meta):
    """Errors any session recorded, then the versions and settings of the run."""
    errors = [(s, r, v) for (t, s, k), vs in rows.items() if k == "error" for r, v in vs]
    if errors:
        print()
        print("\n".join(f"- **{s}, repeat {r}: {v}**" for s, r, v in errors))
    print("\n## Versions and settings\n")
    for (subject, key), vs in meta.items():
        if key in ("version", "settings", "builds", "elapsed"):
            print(f"- {subject if subject != '-' else ''} {key}: {vs[-1]}".replace("-  ", "- "))


def verdict(checks):
    """'ok' when every repeat's store check passed, else the failures."""
    if not checks:
        return "–"
    failed = [v for v in checks if not v.startswith("ok")]
    return "ok" if not failed else "FAILED: " + "; ".join(failed)[:200]


def calm_notes(rows, tables, subjects):
    """Per subject: the highest load average and other processes' CPU seen before its measured phases."""
    notes = []
    for (table, subject, key), vals in sorted(rows.items()):
        if table not in tables or subject not in subjects or not key.startswith("calm:"):
            continue
        for rep, v in vals:
            m = re.search(r"others=([\d.]+)cpu load=([\d.]+) waited=(\d+)s", v)
            if m and float(m.group(1)) >= 0.25:
                notes.append(f"repeat {rep}, {table}, {subject}, before {key[5:]}: other processes used "
                             f"{m.group(1)} CPUs (load {m.group(2)}, waited {m.group(3)} s)")
    return notes


def peers(rows, meta):
    order = ["runtime-jar", "runtime-aot", "runtime-native", "restate", "dbos", "langgraph"]
    subjects = [s for s in order if any(k[1] == s for k in rows)]
    tables = [t for t in ("equal", "fastest") if any(k[0] == t for k in rows)]
    reps = sorted({r for vals in rows.values() for r, _ in vals})
    print(f"# This runtime beside durable-execution peers ({len(reps)} repeat(s))\n")
    print("Written by `bench/peers.sh` (`bench/report.py peers`). Workload: one HTTP POST starts a two-step durable")
    print("workflow (step 1: 6 * 7, journaled; step 2: store a todo with the result, journaled) and is answered when")
    print("it has finished; an answer counts only if 2xx with the finished result. Cells: median (min–max) over the")
    print("repeats. Memory: RSS and PSS summed over all the engine's processes, its store included (Redis,")
    print("Postgres and all its backends, restate-server + the Node service endpoint).\n")
    titles = {"equal": "Equal durability: every acknowledged workflow survives a power loss",
              "fastest": "Each engine's fastest setting"}
    for t in tables:
        print(f"## {titles[t]}\n")
        lines = []

        def row(label, key, transform=None):
            cells = []
            for s in subjects:
                vs = values(rows, t, s, key)
                cells.append(transform(vs) if transform else spread(vs))
            lines.append([label] + cells)

        row("store setting", "store", lambda vs: (vs[0] if vs else "–"))
        row("workflows/s, 1 connection", "wps:1")
        row("workflows/s, 16 connections (warm)", "wps:16")
        row("workflows/s, 64 connections (warm)", "wps:64")
        row("p50 at 1 connection (ms)", "p50:1")
        row("p99 at 1 connection (ms)", "p99:1")
        row("spawn → ready, fresh store (ms)", "ready_ms:fresh")
        row("spawn → first workflow answered, fresh store (ms)", "first_ms:fresh")
        row("spawn → ready, restart (ms)", "ready_ms:restart")
        row("spawn → first workflow answered, restart (ms)", "first_ms:restart")
        row("RSS at idle (MB)", "rss:idle")
        row("PSS at idle (MB)", "pss:idle")
        row("RSS after the load (MB)", "rss:after")
        row("PSS after the load (MB)", "pss:after")
        if t == "equal":
            row("store fsync + fdatasync per workflow (strace, 1 connection)", "fsync_per_wf")
        lines.append(["bad answers / socket errors (16, 64, 1 conn.)"] + [
            " / ".join(str(sum(int(num(v) or 0) for c in ("16", "64", "1") for v in values(rows, t, s, f"{k}:{c}")))
                       for k in ("bad", "sockerr")) for s in subjects])
        lines.append(["store holds both steps of every workflow answered"] + [verdict(values(rows, t, s, "verified"))
                                                                             for s in subjects])
        print(table_md(["figure"] + [NAMES.get(s, s) for s in subjects], lines))
        print()
    if "equal" in tables:
        print("fsync calls counted with `strace -f -c -e trace=fsync,fdatasync` attached to the store's processes")
        print("(redis-server; the postmaster and all its children; restate-server with all its threads) while wrk ran")
        print("at 1 connection; per workflow answered. Raw counts per run:\n")
        for s in subjects:
            for r, v in rows.get(("equal", s, "fsync_calls"), []):
                print(f"- {NAMES.get(s, s)}, repeat {r}: {v}")
        print()
    notes = calm_notes(rows, tables, subjects)
    print("## Calm of the machine\n")
    print("Before each session the script waited for the 1-minute load average to fall below the threshold, and")
    print("before each figure for the other processes to use less than the threshold of CPU (both bounded in")
    print("time); every wait is in the TSV (`load:*`, `calm:*`), with each figure's CPU split (`cpu:*`: the")
    print("engine, wrk, kernel threads, other processes).")
    print()
    print("\n".join(f"- {n}" for n in notes) if notes else "No figure began while other processes used ≥ 0.25 CPUs.")
    print()
    footer(rows, meta)
    print()
    print("## Caveats\n")
    print("- One machine, engines one after another, each with its own store on the same disk: figures are ratios")
    print("  on this machine, not capacities. wrk runs on the same cores and takes its share of CPU.")
    print("- Restate's store is embedded in restate-server (its log and state in RocksDB); the others' stores are")
    print("  separate processes (Redis, Postgres), counted in the memory figures.")
    print("- The builds run with the options in the versions above (RUNTIME_JVM_OPTS, RUNTIME_NATIVE_OPTS: by default")
    print("  deploy/k8s's heap policies); with none, a JVM on a large machine takes a quarter of its memory as heap.")
    print("- A native binary built with `../shared/native/build-native.sh` is a stand-in for checking (it links the")
    print("  JDK's shared libraries); a GraalVM or Mandrel release build may start and use memory differently.")
    print("- Fastest settings differ in what a crash loses: Redis `appendfsync everysec` about a second of writes")
    print("  on an OS crash (nothing on a Redis crash), Postgres `synchronous_commit=off` up to 3 × wal_writer_delay")
    print("  (600 ms) of commits, Restate without WAL fsync whatever the OS had not written back.")


def parse_buckets(text):
    """'i:n,i:n,' -> {i: n} (100 ms buckets since the spawn)."""
    out = {}
    for part in text.split(","):
        if ":" in part:
            i, n = part.split(":")
            out[int(i)] = int(n)
    return out


def analyse(buckets, limit=None, window=5, share=0.9):
    """Per-second runs/s (whole seconds only, at most `limit`), the peak (median of the last 20 s) and the time (ms
    since spawn) at the end of the first window of `window` buckets whose rate reaches `share` of the peak."""
    if not buckets:
        return [], None, None
    seconds = max(buckets) // 10   # the last, partial second is left out
    if limit:
        seconds = min(seconds, limit)
    per_second = [sum(buckets.get(10 * s + i, 0) for i in range(10)) for s in range(seconds)]
    tail = per_second[-20:]
    peak = statistics.median(tail) if tail else None
    t90 = None
    if peak:
        for i in range(max(buckets) + 1):
            if sum(buckets.get(i + k, 0) for k in range(window)) * 10 / window >= share * peak:
                t90 = (i + window) * 100
                break
    return per_second, peak, t90


def curve(rows, meta, rep, subject):
    """One curve, for the raw log: the summary and runs/s per second."""
    b = parse_buckets(dict(rows.get(("curve", subject, "buckets"), [])).get(int(rep), ""))
    per_second, peak, t90 = analyse(b, int(num(dict(rows.get(("curve", subject, "seconds"), [])).get(int(rep))) or 0))
    first = dict(rows.get(("curve", subject, "first_ms"), [])).get(int(rep), "–")
    print(f"{subject}: first answer after {first} ms, peak {fmt(peak)} runs/s, 90% of it after "
          f"{fmt(t90 / 1000) if t90 else '–'} s; runs/s per second: {' '.join(str(x) for x in per_second)}")


def warmup(rows, meta):
    subjects = [s for s in ("jar", "aot", "native") if ("curve", s, "buckets") in rows]
    reps = sorted({r for vals in rows.values() for r, _ in vals})
    limits = {(s, r): int(num(v) or 0) for s in subjects for r, v in rows.get(("curve", s, "seconds"), [])}
    curves = {s: {r: analyse(parse_buckets(v), limits.get((s, r))) for r, v in rows[("curve", s, "buckets")]}
              for s in subjects}
    print(f"# Warm-up of the runtime's builds under load from the start ({len(reps)} repeat(s))\n")
    print("Written by `bench/warmup.sh` (`bench/report.py warmup`). Each build is spawned on a fresh Redis and")
    print("wrk applies the two-step workflow at a fixed concurrency from the moment its HTTP port accepts")
    print("connections; completed workflows (checked answers) are counted per 100 ms since the spawn. Peak: the")
    print("median runs/s of the last 20 s; 90% reached: the end of the first 0.5 s window whose rate is at least")
    print("90% of the peak. Cells: median (min–max) over the repeats.\n")
    lines = [
        ["spawn → HTTP port open (ms)"] + [spread(values(rows, "curve", s, "port_open_ms")) for s in subjects],
        ["spawn → first workflow answered (ms)"] + [spread(values(rows, "curve", s, "first_ms")) for s in subjects],
        ["spawn → 90% of peak (s)"] + [spread([c[2] / 1000 for c in curves[s].values() if c[2]]) for s in subjects],
        ["peak (runs/s, median of the last 20 s)"] + [spread([c[1] for c in curves[s].values() if c[1]])
                                                      for s in subjects],
        ["RSS / PSS after the curve, with Redis (MB)"] + [
            f"{spread(values(rows, 'curve', s, 'rss:after'))} / {spread(values(rows, 'curve', s, 'pss:after'))}"
            for s in subjects],
        ["bad answers / socket errors"] + [
            f"{sum(int(num(v) or 0) for v in values(rows, 'curve', s, 'bad'))} / "
            f"{sum(int(num(v) or 0) for v in values(rows, 'curve', s, 'sockerr'))}" for s in subjects],
    ]
    print(table_md(["figure"] + [NAMES.get(s, s) for s in subjects], lines))
    print("\n## Runs/s for each second since the spawn (median over the repeats)\n")
    longest = max((len(c[0]) for cs in curves.values() for c in cs.values()), default=0)
    lines = []
    for sec in range(longest):
        cells = []
        for s in subjects:
            xs = [c[0][sec] for c in curves[s].values() if sec < len(c[0])]
            cells.append(fmt(statistics.median(xs)) if xs else "–")
        lines.append([f"{sec}–{sec + 1}"] + cells)
    print(table_md(["second"] + [NAMES.get(s, s) for s in subjects], lines))
    footer(rows, meta)
    print("\nwrk and the runtime share the machine's cores; the load generator starts when the port opens (a refused")
    print("connect makes wrk retry in a tight loop that would slow the start), so the seconds before are empty.")


def ergonomics(flags):
    """The flags that decide memory, sizes in MB: 'InitialHeapSize=8M MaxHeapSize=384M UseG1GC'."""
    if not flags:
        return "(native binary)"
    keep = ("InitialHeapSize", "MaxHeapSize", "MaxMetaspaceSize", "ReservedCodeCacheSize", "ThreadStackSize",
            "TieredStopAtLevel")
    out = []
    for f in flags[0].split():
        f = f.removeprefix("-XX:")
        name, _, value = f.partition("=")
        if name in keep:
            out.append(f"{name}={int(value) // 1048576}M" if value.isdigit() and int(value) >= 1048576 else f)
        elif name.startswith("+Use") and name.endswith("GC"):
            out.append(name[1:])
    return " ".join(out)


def memory(rows, meta):
    import os
    limit = os.environ.get("LIMIT_MB", "512")
    subjects = []
    for (t, s, k) in rows:
        if t == "policy" and s not in subjects:
            subjects.append(s)
    reps = sorted({r for vals in rows.values() for r, _ in vals})
    print(f"# Memory of the runtime under heap policies ({len(reps)} repeat(s))\n")
    print("Written by `bench/memory.sh` (`bench/report.py memory`). Each policy: the jar with those JVM options")
    print("(native: the native binary) on a fresh Redis; memory at idle (after the first workflow) and after a")
    print("warm-up and the load at 16 and 1 connections; `app` is the runtime's process alone (what its pod's")
    print(f"limit must hold: {limit} MiB in deploy/k8s), `with Redis` adds the store as bench/peers.sh counts it.")
    print("Cells: median (min–max) over the repeats.\n")
    lines = []

    def row(label, key):
        lines.append([label] + [spread(values(rows, "policy", s, key)) for s in subjects])

    lines.append(["heap, collector and JIT the JVM chose (-XX:+PrintCommandLineFlags)"] + [
        ergonomics(values(rows, "policy", s, "flags")) for s in subjects])
    row("spawn → ready (ms)", "ready_ms")
    row("spawn → first workflow (ms)", "first_ms")
    row("workflows/s, 16 connections (warm)", "wps:16")
    row("workflows/s, 1 connection", "wps:1")
    row("p99 at 1 connection (ms)", "p99:1")
    row("app RSS at idle (MB)", "rss:app:idle")
    row("app PSS at idle (MB)", "pss:app:idle")
    row("app RSS after the load (MB)", "rss:app:after")
    row("app PSS after the load (MB)", "pss:app:after")
    row("with Redis: PSS at idle (MB)", "pss:all:idle")
    row("with Redis: PSS after the load (MB)", "pss:all:after")
    lines.append(["heap used / committed after the load (MB)"] + [
        f"{spread(values(rows, 'policy', s, 'heap_used'))} / {spread(values(rows, 'policy', s, 'heap_committed'))}"
        if values(rows, "policy", s, "heap_used") else "–" for s in subjects])
    row("heap max (MB)", "heap_max")
    row("non-heap committed (MB)", "nonheap_committed")
    fits = []
    for s in subjects:
        xs = [num(v) for v in values(rows, "policy", s, "rss:app:after") if num(v) is not None]
        fits.append("–" if not xs else ("yes" if max(xs) < float(limit) * 1.048576 else f"no ({fmt(max(xs))} MB)"))
    lines.append([f"app RSS after the load within {limit} MiB (every repeat)"] + fits)
    print(table_md(["figure"] + subjects, lines))
    footer(rows, meta)
    print("\n-XX:MaxRAM tells the JVM's ergonomics the container limit (as a cgroup limit would); it does not")
    print("enforce it. In a pod limited to one CPU the JVM also picks SerialGC by itself; here (2 cores) G1 unless")
    print("a policy names its collector. RSS counts pages shared with other processes in full, PSS shares them out.")


def main():
    mode, path = sys.argv[1], sys.argv[2]
    rows, meta = load(path)
    if mode == "curve":
        curve(rows, meta, sys.argv[3], sys.argv[4])
    else:
        {"peers": peers, "warmup": warmup, "memory": memory}[mode](rows, meta)


if __name__ == "__main__":
    main()
