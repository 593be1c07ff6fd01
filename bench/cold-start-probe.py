#!/usr/bin/env python3
"""Times one cold start for bench/cold-start.sh: starts a command (a function's JVM) and measures
the wall time from just before the process is spawned until the first 2xx answer to a CloudEvent.

Until the function listens, a connection attempt is made every 10 ms (refused connections cost
the function nothing). Once a connection is accepted the event is sent; a non-2xx answer is
recorded and the event is sent again 10 ms later (it never happens in a normal run: the port
opens only once the application context is refreshed). The process is then stopped (SIGTERM,
SIGKILL after 10 s).

Prints one JSON line: {"first_reply_ms", "cpu_ms" (CPU time the process had used by then, all
threads: less sensitive than wall time to other load on the machine), "status", "reply_type",
"jvm_started_ms" (Spring's "process running for", from the log when present), "early_answers"}.

Usage: cold-start-probe.py --port P --event EVENT.json --log LOG [--timeout S] [--exit-timeout S]
                           [--threads] -- COMMAND...
--threads adds "threads": CPU ms per thread name (main thread "java", "C1/C2 CompilerThre", ...).
EVENT.json: {"headers": {...}, "body": "..."}.
"""
import argparse
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time


def cpu_ms(pid):
    """User + system CPU time of the process so far (all its threads), in ms."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return round((int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK"))
    except OSError:
        return None


def thread_cpu_ms(pid):
    """CPU ms per thread name (threads of the same name added up)."""
    out = {}
    try:
        for tid in os.listdir("/proc/%d/task" % pid):
            with open("/proc/%d/task/%s/stat" % (pid, tid)) as f:
                stat = f.read()
            name = stat[stat.index("(") + 1:stat.rindex(")")]
            fields = stat.rsplit(")", 1)[1].split()
            ms = (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")
            out[name] = round(out.get(name, 0) + ms)
    except OSError:
        pass
    return {k: v for k, v in sorted(out.items(), key=lambda kv: -kv[1]) if v > 0}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--event", required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("--timeout", type=float, default=120)
    ap.add_argument("--exit-timeout", type=float, default=10)
    ap.add_argument("--threads", action="store_true", help="also report CPU ms per thread name")
    ap.add_argument("command", nargs=argparse.REMAINDER)
    args = ap.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    with open(args.event) as f:
        event = json.load(f)
    body = event["body"].encode()
    headers = dict(event["headers"])
    headers["Content-Length"] = str(len(body))

    log = open(args.log, "wb")
    t0 = time.monotonic()
    proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    result = {"first_reply_ms": None, "status": None, "reply_type": None, "early_answers": []}
    try:
        while time.monotonic() - t0 < args.timeout:
            if proc.poll() is not None:
                result["error"] = "process exited with %d" % proc.returncode
                break
            try:
                sock = socket.create_connection(("127.0.0.1", args.port), timeout=0.5)
            except OSError:
                time.sleep(0.01)
                continue
            sock.settimeout(args.timeout)
            conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=args.timeout)
            conn.sock = sock
            try:
                conn.request("POST", "/", body=body, headers=headers)
                resp = conn.getresponse()
                resp.read()
            except (OSError, http.client.HTTPException) as e:
                result["early_answers"].append("%.0f ms: %s" % ((time.monotonic() - t0) * 1000, e))
                conn.close()
                time.sleep(0.01)
                continue
            elapsed = (time.monotonic() - t0) * 1000
            conn.close()
            if 200 <= resp.status < 300:
                result["first_reply_ms"] = round(elapsed)
                result["cpu_ms"] = cpu_ms(proc.pid)
                if args.threads:
                    result["threads"] = thread_cpu_ms(proc.pid)
                result["status"] = resp.status
                result["reply_type"] = resp.getheader("ce-type")
                break
            result["early_answers"].append("%.0f ms: HTTP %d" % (elapsed, resp.status))
            time.sleep(0.01)
        else:
            result["error"] = "no 2xx answer within %.0f s" % args.timeout
    finally:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=args.exit_timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        except ProcessLookupError:
            pass
        log.close()
    with open(args.log, errors="replace") as f:
        m = re.search(r"process running for ([0-9.]+)", f.read())
    result["jvm_started_ms"] = round(float(m.group(1)) * 1000) if m else None
    print(json.dumps(result))
    return 0 if result["first_reply_ms"] is not None else 1


if __name__ == "__main__":
    sys.exit(main())
