"""Idle sockets and slow bodies against a running server (see bench/connections.sh).

    python3 bench/connections.py HOST:PORT SERVER_PID

Opens IDLE connections that send nothing and SLOW sign-in posts whose bodies stall, holds them
for HOLD seconds while a probe asks for /healthz and a page view every 200 ms on a new
connection each time, then closes everything and reads the server's memory again. Bounded in
count and time; stops by itself. Prints the figures.
"""

import os
import resource
import socket
import sys
import threading
import time

IDLE = int(os.environ.get("IDLE", 2000))
SLOW = int(os.environ.get("SLOW", 300))
HOLD = float(os.environ.get("HOLD", 20))
PAGE = os.environ.get("PAGE", "/wiki/Ada_Lovelace")
# As in issue 17: sign-in posts announcing 6.4 MB bodies, half of them with a length and half
# chunked (no length: the limit can only be applied as the body arrives).
BIG = 6_400_000


def rss_kib(pid, field="VmRSS"):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def probe(host, port, path):
    """(status, seconds) of one GET on a new connection; status 0 when it failed."""
    started = time.monotonic()
    try:
        with socket.create_connection((host, port), timeout=5) as s:
            s.sendall(f"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
            head = b""
            while b"\r\n" not in head:
                chunk = s.recv(4096)
                if not chunk:
                    break
                head += chunk
            while s.recv(65536):
                pass
        status = int(head.split(b" ")[1]) if head.startswith(b"HTTP/1.1 ") else 0
    except OSError:
        status = 0
    return status, time.monotonic() - started


def closed_by_server(s):
    """Whether the server has closed `s` (reading whatever it answered first)."""
    s.setblocking(False)
    try:
        while True:
            if not s.recv(65536):
                return True
    except BlockingIOError:
        return False
    except OSError:
        return True


def summary(name, results):
    ok = [t for s, t in results if s == 200]
    statuses = {}
    for s, _ in results:
        statuses[s] = statuses.get(s, 0) + 1
    ok.sort()
    if ok:
        p50 = ok[len(ok) // 2] * 1000
        p95 = ok[min(len(ok) - 1, int(len(ok) * 0.95))] * 1000
        worst = ok[-1] * 1000
        times = f"p50 {p50:.1f} ms, p95 {p95:.1f} ms, max {worst:.1f} ms"
    else:
        times = "no answer"
    codes = ", ".join(f"{n}x {s or 'failed'}" for s, n in sorted(statuses.items()))
    print(f"  {name:<22} {len(ok)}/{len(results)} answered 200 ({codes}); {times}")


def main():
    host, port = sys.argv[1].rsplit(":", 1)
    port = int(port)
    pid = int(sys.argv[2])
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, IDLE + SLOW + 200), hard))

    before = [probe(host, port, "/healthz") for _ in range(5)]
    before += [probe(host, port, PAGE) for _ in range(5)]
    rss_before = rss_kib(pid)

    probes = {"/healthz": [], PAGE: []}
    stop = threading.Event()

    def keep_probing():
        while not stop.is_set():
            for path in probes:
                probes[path].append(probe(host, port, path))
            time.sleep(0.2)

    prober = threading.Thread(target=keep_probing)
    prober.start()

    started = time.monotonic()
    sockets = []
    for _ in range(IDLE):
        try:
            sockets.append(socket.create_connection((host, port), timeout=5))
        except OSError:
            pass
    opened_idle = len(sockets)
    slow = []
    for i in range(SLOW):
        try:
            s = socket.create_connection((host, port), timeout=5)
        except OSError:
            continue
        if i % 2 == 0:
            head = f"Content-Length: {BIG}\r\n"
        else:
            head = "Transfer-Encoding: chunked\r\n"
        try:
            s.sendall(
                (
                    f"POST /login HTTP/1.1\r\nHost: {host}\r\n"
                    "Content-Type: application/x-www-form-urlencoded\r\n" + head + "\r\n"
                ).encode()
            )
        except OSError:
            pass
        s.setblocking(False)
        slow.append(s)
    opened = time.monotonic() - started
    print(
        f"opened {opened_idle} idle connections and {len(slow)} slow sign-in posts in {opened:.1f} s;"
        f" holding them {HOLD:.0f} s"
    )

    # The bodies: as fast as the server takes them for the first half of the hold (a 6.4 MB
    # body is half sent by then, if the server reads it), then they stall.
    chunk = b"a" * 16384
    framed = b"4000\r\n" + chunk + b"\r\n"
    sent = 0
    peak = rss_before
    deadline = time.monotonic() + HOLD
    while time.monotonic() < deadline:
        if time.monotonic() < deadline - HOLD / 2:
            for i, s in enumerate(slow):
                try:
                    sent += s.send(chunk if i % 2 == 0 else framed)
                except OSError:
                    pass
        peak = max(peak, rss_kib(pid))
        time.sleep(0.05)
    stop.set()
    prober.join()
    still_open = sum(1 for s in sockets + slow if not closed_by_server(s))
    for s in sockets + slow:
        s.close()
    time.sleep(3)
    rss_after = rss_kib(pid)
    after = [probe(host, port, "/healthz") for _ in range(5)] + [probe(host, port, PAGE) for _ in range(5)]

    print(f"sent {sent / 1e6:.1f} MB of slow bodies; {still_open} of the connections were still open at the end")
    print("before the attack:")
    summary("healthz + page", before)
    print(f"during the attack ({HOLD:.0f} s, a probe every 200 ms on a new connection):")
    summary("/healthz", probes["/healthz"])
    summary(PAGE, probes[PAGE])
    print("after closing every socket:")
    summary("healthz + page", after)
    print(
        f"server memory (RSS): {rss_before / 1024:.0f} MB before, peak {peak / 1024:.0f} MB during,"
        f" {rss_after / 1024:.0f} MB 3 s after the sockets closed"
        f" (high-water mark {rss_kib(pid, 'VmHWM') / 1024:.0f} MB)"
    )


if __name__ == "__main__":
    main()
