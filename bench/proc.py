#!/usr/bin/env python3
"""What the benchmark scripts read from /proc, in one place: memory of a set of processes, CPU of everyone else.

  proc.py port LO HI [USED...]        a free loopback TCP port in [LO, HI], not in USED
  proc.py mem PID...                  "<RSS MB> <PSS MB> <processes>"; one line per process on stderr
  proc.py tree PID...                 the PIDs and all their descendants, one per line
  proc.py snap FILE                   CPU ticks of every process and of the machine, into FILE
  proc.py delta A B PID...            CPU-seconds between snapshots A and B: the given processes, wrk, kernel
                                      threads, every other process (jobs sharing the machine), the top three others
  proc.py others SECONDS [PID...]     CPU share (in CPUs) other processes used over SECONDS; the PIDs, their
                                      descendants, kernel threads and this script's ancestors excluded
  proc.py strace FILE                 fsync/fdatasync calls counted by "strace -c": "<fsync> <fdatasync>"
"""
import json
import os
import socket
import sys
import time

HZ = os.sysconf("SC_CLK_TCK")


def free_port(lo, hi, used):
    for p in range(lo, hi + 1):
        if str(p) in used:
            continue
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", p))
            except OSError:
                continue
        return p
    sys.exit(f"no free port in {lo}-{hi}")


def status_kb(pid, field):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def mem(pids):
    rss = pss = n = 0
    for pid in pids:
        try:
            comm = open(f"/proc/{pid}/comm").read().strip()
            r = status_kb(pid, "VmRSS")
            p = 0
            with open(f"/proc/{pid}/smaps_rollup") as f:
                for line in f:
                    if line.startswith("Pss:"):
                        p = int(line.split()[1])
        except OSError:
            continue
        rss, pss, n = rss + r, pss + p, n + 1
        print(f"  {pid} {comm}: RSS {r / 1024:.1f} MB, PSS {p / 1024:.1f} MB", file=sys.stderr)
    print(f"{rss / 1024:.0f} {pss / 1024:.0f} {n}")


def stat_all():
    """pid -> (comm, utime + stime ticks, ppid)."""
    out = {}
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            st = open(f"/proc/{pid}/stat").read()
        except OSError:
            continue
        comm = st[st.index("(") + 1:st.rindex(")")]
        f = st[st.rindex(")") + 2:].split()
        out[pid] = (comm, int(f[11]) + int(f[12]), f[1])
    return out


def tree(roots):
    procs = stat_all()
    children = {}
    for pid, (_, _, ppid) in procs.items():
        children.setdefault(ppid, []).append(pid)
    seen, todo = [], [r for r in roots if r in procs]
    while todo:
        pid = todo.pop()
        if pid not in seen:
            seen.append(pid)
            todo.extend(children.get(pid, []))
    return seen


def ancestors():
    procs = stat_all()
    pid, out = str(os.getpid()), set()
    while pid in procs and pid not in out:
        out.add(pid)
        pid = procs[pid][2]
    return out


def snap(path):
    data = {pid: list(v) for pid, v in stat_all().items()}
    with open("/proc/stat") as f:
        data["_cpu"] = [int(x) for x in f.readline().split()[1:]]
    json.dump(data, open(path, "w"))


def delta(a_path, b_path, mine):
    a, b = json.load(open(a_path)), json.load(open(b_path))
    mine = set(mine)
    me = ancestors() | {os.environ.get("BENCH_PID", "")}
    sums = {"engine": 0, "wrk": 0, "kernel": 0, "other": 0}
    by = {}
    for pid, v in b.items():
        if pid.startswith("_"):
            continue
        comm, t, ppid = v
        prev = a.get(pid)
        d = t - prev[1] if prev and prev[0] == comm else t
        if pid in mine:
            sums["engine"] += d
        elif comm == "wrk":
            sums["wrk"] += d
        elif ppid == "2" or pid == "2":
            sums["kernel"] += d
        elif pid not in me and d > 0:
            sums["other"] += d
            by[comm] = by.get(comm, 0) + d
    dc = [y - x for x, y in zip(a["_cpu"], b["_cpu"])]
    top = ",".join(f"{c}:{t / HZ:.1f}" for c, t in sorted(by.items(), key=lambda x: -x[1])[:3])
    print(" ".join(f"{k}={v / HZ:.1f}s" for k, v in sums.items())
          + f" iowait={dc[4] / HZ:.1f}s steal={(dc[7] if len(dc) > 7 else 0) / HZ:.1f}s top_other={top or '-'}")


def others(seconds, mine):
    mine = set(tree(mine)) | ancestors() | {os.environ.get("BENCH_PID", "")}
    a = stat_all()
    time.sleep(seconds)
    b = stat_all()
    used = 0
    for pid, (comm, t, ppid) in b.items():
        if pid in mine or ppid == "2" or pid == "2":
            continue
        prev = a.get(pid)
        used += t - prev[1] if prev and prev[0] == comm else 0
    print(f"{used / HZ / seconds:.2f}")


def strace_counts(path):
    calls = {"fsync": 0, "fdatasync": 0}
    for line in open(path):
        parts = line.split()
        if parts and parts[-1] in calls and len(parts) >= 5:
            calls[parts[-1]] = int(parts[3])
    print(calls["fsync"], calls["fdatasync"])


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "port":
        print(free_port(int(args[0]), int(args[1]), set(args[2:])))
    elif cmd == "mem":
        mem(args)
    elif cmd == "tree":
        print("\n".join(tree(args)))
    elif cmd == "snap":
        snap(args[0])
    elif cmd == "delta":
        delta(args[0], args[1], args[2:])
    elif cmd == "others":
        others(float(args[0]), args[1:])
    elif cmd == "strace":
        strace_counts(args[0])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
