#!/usr/bin/env python3
"""CPU of an import's threads over time: the writer (the main thread) and the reading threads.

    python3 bench/import-timeline.py BINARY FOLDER [STEP]

Imports FOLDER (e.g. 10,000 generated biographies:
`python3 ../shared/corpus/gen_synthetic.py --dir DIR --count 10000 --kb 10`) into a new
database in a temporary folder, reads /proc/PID/task/*/stat every STEP seconds (default 0.25),
and prints, per step, the CPU seconds the writer and the readers used and a bar of both: whether
both cores are busy, and how long the writer works alone at the end (issue 13). Then the totals,
the core-seconds the import left unused (the cores times the wall time, less its CPU), and for
each thread its time running, waiting for a core and blocked (the kernel's scheduler figures).
"""
import os
import subprocess
import sys
import tempfile
import time


def by_thread(pid, tick):
    """Per thread id: (CPU seconds, scheduler figures or None). The figures are the kernel's
    `schedstat` (seconds running, seconds runnable but waiting for a core) and the context
    switches from `status` (voluntary ones are blocks: on a queue, a lock, the disk)."""
    found = {}
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for task in tasks:
        base = f"/proc/{pid}/task/{task}"
        try:
            with open(f"{base}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        cpu = (int(fields[11]) + int(fields[12])) / tick
        try:
            with open(f"{base}/schedstat") as schedstat:
                running, waiting, _ = schedstat.read().split()
            with open(f"{base}/status") as status:
                lines = dict(l.split(":", 1) for l in status.read().splitlines() if ":" in l)
            sched = (
                int(running) / 1e9,
                int(waiting) / 1e9,
                int(lines["voluntary_ctxt_switches"]),
                int(lines["nonvoluntary_ctxt_switches"]),
            )
        except (OSError, ValueError, KeyError):
            sched = None
        found[int(task)] = (cpu, sched)
    return found


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    binary, folder = sys.argv[1], sys.argv[2]
    step = float(sys.argv[3]) if len(sys.argv) > 3 else 0.25
    tick = os.sysconf("SC_CLK_TCK")
    with tempfile.TemporaryDirectory() as work:
        started = time.time()
        run = subprocess.Popen(
            [binary, "--db", os.path.join(work, "timeline.db"), "import", folder],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        before, rows, sched = {}, [], {}
        while run.poll() is None:
            found = by_thread(run.pid, tick)
            now = {t: cpu for t, (cpu, _) in found.items()}
            rows.append((time.time() - started, {t: s - before.get(t, 0) for t, s in now.items()}))
            before = now
            # Each thread's last figures are kept after it ends.
            sched.update({t: s for t, (_, s) in found.items() if s is not None})
            time.sleep(step)
        wall = time.time() - started
    print(f"wall {wall:.2f} s; CPU seconds per {step} s step (# = a tenth of a core)")
    writer_cpu = readers_cpu = 0.0
    for at, used in rows:
        writer = used.get(run.pid, 0)
        readers = sum(s for t, s in used.items() if t != run.pid)
        writer_cpu += writer
        readers_cpu += readers
        bar = "#" * int(round((writer + readers) / step * 10))
        print(f"{at:6.2f}  writer {writer:4.2f}  readers {readers:4.2f}  {bar}")
    # The last sample can miss the threads' last moments: the totals are a floor.
    cores = os.cpu_count() or 1
    unused = cores * wall - writer_cpu - readers_cpu
    print(
        f"total: writer {writer_cpu:.2f} s, readers {readers_cpu:.2f} s of CPU; "
        f"{unused:.2f} core-seconds unused of {cores} x {wall:.2f}"
    )
    # Where each thread's wall time went (what is neither running nor waiting was blocked).
    for tid, (running, waiting, blocks, preemptions) in sorted(
        sched.items(), key=lambda item: (item[0] != run.pid, item[0])
    ):
        role = "writer" if tid == run.pid else "reader"
        blocked = max(0.0, wall - running - waiting)
        print(
            f"{role}: running {running:.2f} s, waiting for a core {waiting:.2f} s, "
            f"blocked about {blocked:.2f} s ({blocks} blocks, {preemptions} preemptions)"
        )


if __name__ == "__main__":
    main()
