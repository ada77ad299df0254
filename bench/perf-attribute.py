#!/usr/bin/env python3
"""Where a clock-sampled profile's time goes, below a function or by the code that caused it.

    perf record -e cpu-clock -F 1000 --call-graph dwarf,16384 -o perf.data BINARY ARGS...
    perf script -i perf.data -F tid,ip,sym > samples.txt
    python3 bench/perf-attribute.py samples.txt below REGEX [DEPTH]
    python3 bench/perf-attribute.py samples.txt cause LEAF_REGEX

`below`: of the samples whose stack has a frame matching REGEX, the share of all samples under
each of the frames DEPTH levels (default 1) below its outermost match (inlined frames skipped),
e.g. `below 'Analysis::of_headed'` splits a reading thread's analysis into the parse, the
person and the rest. `cause`: the samples whose leaf (or a frame just above it) matches
LEAF_REGEX, by the nearest `plutarch` frame above them, e.g. `cause 'page_fault|clear_page'`
for which code touched fresh memory, or `cause memmove` for who copies. This VM has no
hardware counters; the cpu-clock event still samples (issue 13).
"""
import collections
import re
import sys


def stacks(path):
    """Each sample's frames, leaf first."""
    stack = []
    with open(path) as samples:
        for line in samples:
            line = line.rstrip("\n")
            if not line.strip():
                if stack:
                    yield stack
                stack = []
            elif line.startswith("\t"):
                parts = line.strip().split(" ", 1)
                stack.append(parts[1] if len(parts) > 1 else "?")
    if stack:
        yield stack


def below(path, pattern, depth):
    root = re.compile(pattern)
    shares = collections.Counter()
    total = under = 0
    for stack in stacks(path):
        total += 1
        matches = [i for i, frame in enumerate(stack) if root.search(frame)]
        if not matches:
            continue
        under += 1
        outer = matches[-1]
        frames = [f for f in stack[:outer] if "(inlined)" not in f]
        key = " > ".join(f[:70] for f in reversed(frames[-depth:])) if frames else "(itself)"
        shares[key] += 1
    return total, under, shares


def cause(path, pattern):
    leaf = re.compile(pattern)
    shares = collections.Counter()
    total = matched = 0
    for stack in stacks(path):
        total += 1
        if not any(leaf.search(frame) for frame in stack[:12]):
            continue
        matched += 1
        owner = next(
            (f for f in stack if ("plutarch::" in f[:12] or f.startswith("<plutarch"))
             and not leaf.search(f)),
            "(no plutarch frame)",
        )
        shares[owner[:110]] += 1
    return total, matched, shares


def main():
    if len(sys.argv) < 4 or sys.argv[2] not in ("below", "cause"):
        sys.exit(__doc__)
    path, mode, pattern = sys.argv[1], sys.argv[2], sys.argv[3]
    if mode == "below":
        depth = int(sys.argv[4]) if len(sys.argv) > 4 else 1
        total, found, shares = below(path, pattern, depth)
    else:
        total, found, shares = cause(path, pattern)
    if total == 0:
        sys.exit("no samples")
    print(f"{total} samples, {found} ({100 * found / total:.1f} %) matched")
    for key, count in shares.most_common(30):
        print(f"{100 * count / total:6.2f} %  {key}")


if __name__ == "__main__":
    main()
