#!/usr/bin/env python3
"""The first view after a save: N cycles of an API section write (with a token) then one
signed-in GET of the page, timing the GET alone.

    python3 bench/first-view.py BASE_URL TOKEN COOKIE TITLE [CYCLES]

Each write rewrites section 1 of TITLE with a new marker sentence, based on the revision the
previous write answered; the GET that follows (over its own keep-alive connection, with the
session COOKIE) must show that marker, or it counts as stale. Prints the GET's median, p99
and worst time in ms; exits 1 on any failed write, non-200 view or stale view.
"""
import http.client
import json
import sys
import time
import urllib.parse

base, token, cookie, title = sys.argv[1:5]
cycles = int(sys.argv[5]) if len(sys.argv) > 5 else 200
url = urllib.parse.urlparse(base)
writer = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
reader = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
API = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}


def call(conn, method, path, headers, body=None):
    conn.request(method, path, body=None if body is None else json.dumps(body), headers=headers)
    response = conn.getresponse()
    return response.status, response.read()


status, data = call(writer, "GET", f"/api/pages/{title}/sections/1", API)
if status != 200:
    sys.exit(f"reading section 1 of {title}: {status} {data[:200]!r}")
section = json.loads(data)
original = section["markup"].rstrip("\n") + "\n"
revision = section["revision_info"]["id"]

times, stale, failed = [], 0, 0
for i in range(cycles):
    marker = f"Bench marker {i} of the first view after a save."
    body = {"markup": f"{original}{marker}\n", "base_revision": revision, "summary": "first-view bench"}
    status, data = call(writer, "PUT", f"/api/pages/{title}/sections/1", API, body)
    if status != 200:
        failed += 1
        print(f"write {i}: {status} {data[:200]!r}", file=sys.stderr)
        break
    revision = json.loads(data)["revision"]
    start = time.perf_counter()
    status, page = call(reader, "GET", f"/wiki/{title}", {"Cookie": cookie})
    times.append(time.perf_counter() - start)
    if status != 200:
        failed += 1
    elif marker.encode() not in page:
        stale += 1

if not times:
    sys.exit("no view was timed")
times.sort()
pct = lambda p: times[min(len(times) - 1, int(p * len(times)))] * 1000
print(f"first signed-in view after a save: {len(times)} cycles, page {len(page) // 1024} KB, "
      f"median {pct(0.5):.2f} ms, p99 {pct(0.99):.2f} ms, worst {times[-1] * 1000:.2f} ms, "
      f"{stale} stale, {failed} failed")
sys.exit(1 if stale or failed else 0)
