"""The checks of bench/replicas.sh that need a program: edits through the API, lag, the
editor's read-your-writes cycles, anonymous staleness, and the failover's checks.

    python3 bench/replicas.py nudge PRIMARY TOKEN WORK
    python3 bench/replicas.py checks PRIMARY TOKEN WORK FRONT REPLICA1 REPLICA2
    python3 bench/replicas.py caught-up REPLICA REVISION
    python3 bench/replicas.py promoted PRIMARY TOKEN WORK
"""

import http.client
import json
import os
import sys
import threading
import time
import urllib.parse
import uuid


def request(base, method, path, body=None, headers=None):
    url = urllib.parse.urlsplit(base)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    data = json.dumps(body).encode() if body is not None else None
    hdrs = dict(headers or {})
    if data is not None:
        hdrs["Content-Type"] = "application/json"
    conn.request(method, path, body=data, headers=hdrs)
    response = conn.getresponse()
    payload = response.read()
    conn.close()
    return response.status, response.getheaders(), payload


class Editor:
    """Edits pages through the API, remembering each page's base text and latest revision."""

    def __init__(self, base, token):
        self.base, self.token = base, token
        self.pages = {}

    def edit(self, title, marker, through=None):
        if title not in self.pages:
            status, _, body = request(self.base, "GET", f"/api/pages/{title}")
            assert status == 200, (status, body[:200])
            page = json.loads(body)
            self.pages[title] = [page["markup"], page["revision"]["id"]]
        markup, revision = self.pages[title]
        body = {"markup": f"{markup}\n\nMarker {marker}.", "base_revision": revision,
                "summary": "bench"}
        status, headers, payload = request(through or self.base, "PUT", f"/api/pages/{title}", body,
                                           {"Authorization": f"Bearer {self.token}"})
        assert status == 200, (status, payload[:300])
        written = json.loads(payload)["revision"]
        self.pages[title][1] = written
        cookie = next((v.split(";")[0] for k, v in headers
                       if k.lower() == "set-cookie" and v.startswith("plutarch_rev=")), None)
        return written, cookie


def title(i):
    return f"Person_{i:05d}"


def latest_on(replica):
    status, _, body = request(replica, "GET", "/healthz")
    return json.loads(body)["latest_revision"], status


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p / 100))]


def nudge(primary, token, work):
    """Edits until Litestream has rewritten page 1 of both restored files (rollback mode)."""
    editor = Editor(primary, token)
    deadline = time.time() + 120
    i = 0
    while time.time() < deadline:
        ready = 0
        for n in (1, 2):
            try:
                with open(os.path.join(work, f"r{n}.db"), "rb") as f:
                    header = f.read(20)
                ready += header[18:20] == b"\x01\x01"
            except OSError:
                pass
        if ready == 2:
            return
        # A bigger page makes the file grow, which rewrites page 1.
        editor.edit(title(i % 10), "nudge " + "x" * 20000)
        i += 1
        time.sleep(0.5)
    sys.exit("the restored files never left WAL mode")


def lag(primary, token, replica, seconds=20, rate=100, writers=4):
    acked = []  # (revision, time acknowledged)
    lock = threading.Lock()
    stop = time.time() + seconds

    def write(k):
        editor = Editor(primary, token)
        interval = writers / rate
        due = time.time()
        i = 0
        while time.time() < stop:
            written, _ = editor.edit(title(100 + k * 50 + i % 50), uuid.uuid4().hex)
            with lock:
                acked.append((written, time.time()))
            i += 1
            due += interval
            time.sleep(max(0.0, due - time.time()))

    seen = []  # (time, latest revision on the replica)
    def watch():
        while time.time() < stop + 5:
            latest, _ = latest_on(replica)
            seen.append((time.time(), latest))
            time.sleep(0.005)

    threads = [threading.Thread(target=write, args=(k,)) for k in range(writers)]
    watcher = threading.Thread(target=watch)
    for t in threads + [watcher]:
        t.start()
    for t in threads + [watcher]:
        t.join()
    lags = []
    for revision, at in acked:
        visible = next((t for t, latest in seen if latest >= revision and t >= at - 1), None)
        if visible is not None:
            lags.append(max(0.0, visible - at))
    missing = len(acked) - len(lags)
    print(f"replication lag under {len(acked) / seconds:.0f} edits/s for {seconds} s "
          f"({len(acked)} edits, replica 1): p50 {percentile(lags, 50) * 1000:.0f} ms, "
          f"p99 {percentile(lags, 99) * 1000:.0f} ms, max {max(lags) * 1000:.0f} ms, "
          f"{missing} never seen within 5 s")


def editor_cycles(primary, token, front, replicas, cycles=1000):
    editor = Editor(primary, token)
    stale_front = stale_replica = redirected = 0
    start = time.time()
    for i in range(cycles):
        page = title(400 + i % 100)
        marker = uuid.uuid4().hex
        _, cookie = editor.edit(page, marker, through=front)
        assert cookie, "the save set no plutarch_rev cookie"
        status, _, body = request(front, "GET", f"/wiki/{page}", headers={"Cookie": cookie})
        stale_front += status != 200 or marker.encode() not in body
        replica = replicas[i % 2]
        status, headers, body = request(replica, "GET", f"/wiki/{page}",
                                        headers={"Cookie": cookie})
        if status == 307:
            redirected += 1
            location = dict((k.lower(), v) for k, v in headers)["location"]
            url = urllib.parse.urlsplit(location)
            status, _, body = request(f"{url.scheme}://{url.netloc}", "GET", url.path,
                                      headers={"Cookie": cookie})
        stale_replica += status != 200 or marker.encode() not in body
    print(f"editor: {cycles} edit-then-read cycles in {time.time() - start:.1f} s: "
          f"{stale_front} stale reads through Varnish, {stale_replica} stale reads asking a "
          f"replica directly ({redirected} of those sent to the primary with 307)")


def anonymous(primary, token, front, pages=50, wait=10):
    editor = Editor(primary, token)
    titles = [title(900 + i) for i in range(pages)]
    for page in titles:  # cached by Varnish, anonymously
        request(front, "GET", f"/wiki/{page}")
        request(front, "GET", f"/wiki/{page}")
    markers = {}
    for page in titles:
        markers[page] = uuid.uuid4().hex
        editor.edit(page, markers[page])
    time.sleep(wait)
    stale = 0
    for page in titles:
        status, headers, body = request(front, "GET", f"/wiki/{page}")
        stale += status != 200 or markers[page].encode() not in body
    print(f"anonymous: {pages} pages edited (each cached by Varnish before), read through "
          f"Varnish {wait} s later: {stale} stale")


def checks(primary, token, work, front, replica1, replica2):
    lag(primary, token, replica1)
    editor_cycles(primary, token, front, [replica1, replica2])
    anonymous(primary, token, front)
    # What the failover must keep: every page's last acknowledged revision and marker.
    editor = Editor(primary, token)
    final = {}
    for i in range(200):
        page = title(1000 + i)
        marker = uuid.uuid4().hex
        written, _ = editor.edit(page, marker)
        final[page] = [written, marker]
    with open(os.path.join(work, "acked.json"), "w") as f:
        json.dump(final, f)
    with open(os.path.join(work, "last-acked"), "w") as f:
        f.write(str(max(r for r, _ in final.values())))


def caught_up(replica, revision):
    start = time.time()
    while time.time() - start < 60:
        latest, _ = latest_on(replica)
        if latest >= int(revision):
            print(f"failover: the primary stopped; replica 1 held revision {revision} "
                  f"{time.time() - start:.2f} s later")
            return
        time.sleep(0.05)
    sys.exit(f"replica 1 never got revision {revision}")


def promoted(primary, token, work):
    with open(os.path.join(work, "acked.json")) as f:
        final = json.load(f)
    lost = 0
    for page, (revision, marker) in final.items():
        status, _, body = request(primary, "GET", f"/api/pages/{page}")
        page_json = json.loads(body) if status == 200 else {}
        if page_json.get("revision", {}).get("id") != revision or marker not in page_json.get(
                "markup", ""):
            lost += 1
    editor = Editor(primary, token)
    written, _ = editor.edit(title(1300), "after failover")
    print(f"failover: replica 1 promoted (follow stopped, restarted as a primary): "
          f"{len(final)} acknowledged edits checked, {lost} lost; a new edit saved as "
          f"revision {written}")


if __name__ == "__main__":
    command, args = sys.argv[1], sys.argv[2:]
    {"nudge": nudge, "checks": checks, "caught-up": caught_up, "promoted": promoted}[command](*args)
