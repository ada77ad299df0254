#!/usr/bin/env python3
"""Write load for bench/litestream.sh, and the count after the restore.

    python3 bench/litestream-load.py write BASE_URL TOKEN LOG [CLIENTS]
    python3 bench/litestream-load.py check BASE_URL LOG KILL_TIME SYNC_SECONDS

`write`: CLIENTS threads (default 2) each create new pages through the API (`PUT
/api/pages/Ls_load_C_N`, one keep-alive connection per client) until the server stops
answering; each acknowledged write (a 201, sent after its commit) is logged to LOG as
"UNIX_TIME TITLE", the time taken when the answer was read.

`check`: asks the server at BASE_URL (running on the restored database) for every logged page.
Prints how many acknowledged writes are missing, and how long before KILL_TIME the oldest of
them was acknowledged (the loss window); exits 1 if a write acknowledged more than SYNC_SECONDS
before the kill is missing.
"""
import http.client
import json
import sys
import threading
import time
import urllib.parse


def connect(base):
    url = urllib.parse.urlparse(base)
    return http.client.HTTPConnection(url.hostname, url.port, timeout=30)


def write(base, token, log_path, clients):
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    log = open(log_path, "a", buffering=1)
    lock = threading.Lock()

    def client(c):
        conn = connect(base)
        n = 0
        while True:
            n += 1
            title = f"Ls_load_{c}_{n}"
            body = {"markup": f"Page {n} of writer {c}, written under replication.\n", "base_revision": None}
            try:
                conn.request("PUT", f"/api/pages/{title}", body=json.dumps(body), headers=headers)
                response = conn.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                return  # the server is gone
            acknowledged = time.time()
            if response.status == 201:
                with lock:
                    log.write(f"{acknowledged:.6f} {title}\n")
            else:
                print(f"writer {c}: {title} answered {response.status}", file=sys.stderr)

    threads = [threading.Thread(target=client, args=(c,)) for c in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def check(base, log_path, kill_time, sync_seconds):
    acked = []
    with open(log_path) as log:
        for line in log:
            stamp, title = line.split()
            acked.append((float(stamp), title))
    conn = connect(base)
    missing = []
    for stamp, title in acked:
        conn.request("GET", f"/api/pages/{title}")
        response = conn.getresponse()
        response.read()
        if response.status == 404:
            missing.append((stamp, title))
        elif response.status != 200:
            sys.exit(f"{title}: {response.status}")
    early = [(s, t) for s, t in missing if kill_time - s > sync_seconds]
    last = max((s for s, _ in acked), default=kill_time)
    print(f"acknowledged writes: {len(acked)} (the last {kill_time - last:.3f} s before the kill)")
    if missing:
        oldest = min(s for s, _ in missing)
        print(f"missing after restore: {len(missing)}, acknowledged from {kill_time - oldest:.3f} s "
              f"to {kill_time - max(s for s, _ in missing):.3f} s before the kill")
    else:
        print("missing after restore: none")
    if early:
        print(f"LOST: {len(early)} writes acknowledged more than {sync_seconds} s before the kill, "
              f"e.g. {early[0][1]}")
        sys.exit(1)
    print(f"every write acknowledged more than {sync_seconds} s before the kill is there")


if __name__ == "__main__":
    match sys.argv[1:]:
        case ["write", base, token, log, *rest]:
            write(base, token, log, int(rest[0]) if rest else 2)
        case ["check", base, log, kill_time, sync_seconds]:
            check(base, log, float(kill_time), float(sync_seconds))
        case _:
            sys.exit(__doc__)
