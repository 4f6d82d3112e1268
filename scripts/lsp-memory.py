#!/usr/bin/env python3
"""Peak RSS of `preflight lsp` with a large tree as its workspace (scripts/bench-memory.sh).

    python3 scripts/lsp-memory.py PREFLIGHT TREE [--settings 200] [--nginx 200]

Starts `PREFLIGHT lsp` with rootUri/workspaceFolders = TREE, opens the settings modules
(`*/settings/*.py`) and nginx files (`*.conf` under `deploy/nginx/`) of the tree with didOpen,
waits until every opened document has had its diagnostics published, then reads VmHWM (peak
RSS) and VmRSS from /proc/<pid>/status, and shuts the server down. Prints one JSON line.
"""

import argparse
import json
import os
import subprocess
import sys
import threading
import time


def frame(msg):
    body = json.dumps(msg).encode()
    return b"Content-Length: %d\r\n\r\n%s" % (len(body), body)


def reader(stream, on_message):
    while True:
        headers = {}
        while True:
            line = stream.readline()
            if not line:
                return
            line = line.strip()
            if not line:
                break
            k, _, v = line.decode().partition(":")
            headers[k.strip().lower()] = v.strip()
        body = stream.read(int(headers["content-length"]))
        on_message(json.loads(body))


def status(pid):
    out = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            k, _, v = line.partition(":")
            if k in ("VmHWM", "VmRSS", "Threads"):
                out[k] = int(v.split()[0])  # kB (Threads: a count)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("preflight")
    ap.add_argument("tree")
    ap.add_argument("--settings", type=int, default=200)
    ap.add_argument("--nginx", type=int, default=200)
    ap.add_argument("--timeout", type=float, default=300)
    args = ap.parse_args()
    tree = os.path.realpath(args.tree)
    settings, nginx = [], []
    for d, subdirs, names in os.walk(tree):
        subdirs[:] = sorted(s for s in subdirs if s not in ("node_modules", ".venv", ".git", "build"))
        for n in sorted(names):
            p = os.path.join(d, n)
            if n.endswith(".py") and os.path.basename(d) == "settings" and n != "__init__.py":
                settings.append(p)
            elif n.endswith(".conf") and "/deploy/nginx/" in p:
                nginx.append(p)
    docs = settings[: args.settings] + nginx[: args.nginx]

    proc = subprocess.Popen([args.preflight, "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL)
    lock = threading.Condition()
    published = {}
    responses = {}

    def send(msg):
        proc.stdin.write(frame(msg))
        proc.stdin.flush()

    def on_message(msg):
        with lock:
            if msg.get("method") == "textDocument/publishDiagnostics":
                uri = msg["params"]["uri"]
                published[uri] = published.get(uri, 0) + 1
            elif "method" in msg and "id" in msg:
                # a request from the server (configuration, registerCapability): answer it
                result = [None] * len(msg["params"].get("items", [])) if msg["method"] == "workspace/configuration" else None
                send({"jsonrpc": "2.0", "id": msg["id"], "result": result})
            elif "id" in msg:
                responses[msg["id"]] = msg
            lock.notify_all()

    threading.Thread(target=reader, args=(proc.stdout, on_message), daemon=True).start()
    root_uri = "file://" + tree
    t0 = time.monotonic()
    send({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "processId": os.getpid(), "rootUri": root_uri,
        "workspaceFolders": [{"uri": root_uri, "name": "tree"}],
        "capabilities": {"textDocument": {"publishDiagnostics": {"versionSupport": True}}}}})
    with lock:
        lock.wait_for(lambda: 1 in responses, timeout=args.timeout)
    send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
    uris = []
    for p in docs:
        uri = "file://" + p
        uris.append(uri)
        lang = "python" if p.endswith(".py") else "nginx"
        with open(p, encoding="utf-8") as f:
            text = f.read()
        send({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
            "textDocument": {"uri": uri, "languageId": lang, "version": 1, "text": text}}})
    with lock:
        done = lock.wait_for(lambda: all(u in published for u in uris), timeout=args.timeout)
    elapsed = time.monotonic() - t0
    time.sleep(0.5)  # let re-diagnoses of dependents (includes, star imports) settle
    mem = status(proc.pid)
    send({"jsonrpc": "2.0", "id": 2, "method": "shutdown", "params": None})
    with lock:
        lock.wait_for(lambda: 2 in responses, timeout=30)
    send({"jsonrpc": "2.0", "method": "exit", "params": None})
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
    result = {"opened": len(uris), "settings": len(settings[: args.settings]),
              "nginx": len(nginx[: args.nginx]),
              "diagnosed": sum(u in published for u in uris), "publishes": sum(published.values()),
              "all_diagnosed": bool(done), "seconds_to_all_diagnostics": round(elapsed, 3),
              "peak_rss_mb": round(mem["VmHWM"] / 1024, 1), "rss_mb": round(mem["VmRSS"] / 1024, 1), "threads": mem["Threads"]}
    print(json.dumps(result))
    if not done:
        sys.exit("lsp-memory.py: not every document was diagnosed before the timeout")


if __name__ == "__main__":
    main()
