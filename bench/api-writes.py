#!/usr/bin/env python3
"""Section writes against a running Plutarch: how many per second, each acknowledged only
after it is durable (the server commits with synchronous=FULL before answering).

    python3 bench/api-writes.py BASE_URL TOKEN [SECONDS] [CLIENTS]

Each client owns one page (created first) and rewrites its sections in turn, each write based
on the revision its previous write answered, over one keep-alive connection. Prints writes/s
and latency percentiles; any answer other than 200 is counted and reported.
"""
import http.client
import json
import sys
import threading
import time
import urllib.parse

base, token = sys.argv[1], sys.argv[2]
seconds = float(sys.argv[3]) if len(sys.argv) > 3 else 10.0
clients = int(sys.argv[4]) if len(sys.argv) > 4 else 1
url = urllib.parse.urlparse(base)
SECTIONS = 8
HEADERS = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}


def page_text(n):
    lead = "Bench page lead.\n"
    return lead + "".join(f"== Part {i} ==\nText of part {i}, version 0.\n" for i in range(1, SECTIONS + 1))


def call(conn, method, path, body):
    conn.request(method, path, body=json.dumps(body), headers=HEADERS)
    response = conn.getresponse()
    data = response.read()
    return response.status, data


def client(n, results):
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    title = f"Bench_writes_{n}_{int(time.time() * 1000)}"
    status, data = call(conn, "PUT", f"/api/pages/{title}", {"markup": page_text(n), "base_revision": None})
    if status != 201:
        results.append(("create failed", status, data[:200]))
        return
    revision = json.loads(data)["revision"]
    latencies, errors, i = [], 0, 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        i += 1
        part = i % SECTIONS + 1
        body = {"markup": f"== Part {part} ==\nText of part {part}, version {i}.\n", "base_revision": revision, "summary": "bench"}
        start = time.monotonic()
        status, data = call(conn, "PUT", f"/api/pages/{title}/sections/{part}", body)
        latencies.append(time.monotonic() - start)
        if status == 200:
            revision = json.loads(data)["revision"]
        else:
            errors += 1
    results.append((latencies, errors))


results = []
threads = [threading.Thread(target=client, args=(n, results)) for n in range(clients)]
started = time.monotonic()
for t in threads:
    t.start()
for t in threads:
    t.join()
elapsed = time.monotonic() - started
latencies = sorted(l for r in results if isinstance(r[0], list) for l in r[0])
errors = sum(r[1] for r in results if isinstance(r[0], list))
failed = [r for r in results if not isinstance(r[0], list)]
if failed or not latencies:
    print("failed:", failed)
    sys.exit(1)
pct = lambda p: latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000
print(f"section writes: {len(latencies) / elapsed:.0f}/s over {elapsed:.1f}s, {clients} client(s), "
      f"{len(latencies)} writes, {errors} not 200, p50 {pct(0.5):.2f} ms, p99 {pct(0.99):.2f} ms")
sys.exit(1 if errors else 0)
