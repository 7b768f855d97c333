#!/usr/bin/env python3
# verbatim lsp: a ten-second scripted session at typing speed: the example
# story open, characters typed into rewrite.txt, hovers and symbols asked
# for, saves now and then. Every request is answered, every save gets its
# diagnostics, and memory stays flat. (`make bench` runs it for ten
# minutes: bench/lsp_bench.py --soak 600.)
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lspclient import Server, Tap, STORY, SAN  # noqa: E402

SECONDS = float(os.environ.get("VB_SOAK_SECONDS", "10"))


def rss_kb(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def soak(seconds, tap=None):
    s = Server()
    s.initialize(["utf-16"])
    uris = [s.open(os.path.join(STORY, p)) for p in ("original.txt", "copy.txt", "rewrite.txt")]
    u = uris[2]
    s.diagnostics(u, after=0)
    sent, saves, version = [], 0, 1
    line, col = 14, 0
    t0 = time.time()
    rss_early = None
    i = 0
    while time.time() - t0 < seconds:
        i += 1
        version += 1
        ch = "word "[i % 5]
        s.notify("textDocument/didChange", {"textDocument": {"uri": u, "version": version}, "contentChanges": [
            {"range": {"start": {"line": line, "character": col}, "end": {"line": line, "character": col}}, "text": ch}]})
        col += 1
        if col > 60:
            # a new line, then on
            version += 1
            s.notify("textDocument/didChange", {"textDocument": {"uri": u, "version": version}, "contentChanges": [
                {"range": {"start": {"line": line, "character": col}, "end": {"line": line, "character": col}},
                 "text": "\n"}]})
            line, col = line + 1, 0
        if i % 7 == 0:
            sent.append(s.request_async("textDocument/hover", {"textDocument": {"uri": u},
                                                               "position": {"line": 5, "character": 10}}))
        if i % 13 == 0:
            sent.append(s.request_async("textDocument/documentSymbol", {"textDocument": {"uri": u}}))
        if i % 40 == 0:
            s.notify("textDocument/didSave", {"textDocument": {"uri": u}})
            saves += 1
        if rss_early is None and time.time() - t0 > seconds / 3:
            rss_early = rss_kb(s.proc.pid)
        time.sleep(0.03)
    answered = 0
    for rid in sent:
        try:
            r = s.response(rid, timeout=30)
            answered += "result" in r
        except (TimeoutError, EOFError):
            pass
    rss_late = rss_kb(s.proc.pid)
    pubs = sum(1 for n in s.notes if n["method"] == "textDocument/publishDiagnostics"
               and n["params"]["uri"] == u)
    status = s.close()
    return {"edits": i, "requests": len(sent), "answered": answered, "saves": saves,
            "published": pubs, "rss_early": rss_early or 0, "rss_late": rss_late, "status": status,
            "stderr": s.stderr_text()}


if __name__ == "__main__":
    t = Tap()
    r = soak(SECONDS)
    print("# %d edits, %d requests, %d answered, %d saves, %d publications; RSS %d kB -> %d kB" % (
        r["edits"], r["requests"], r["answered"], r["saves"], r["published"], r["rss_early"], r["rss_late"]))
    t.ok(r["edits"] > 100, "typed at about 30 characters a second (%d edits)" % r["edits"])
    t.is_(r["answered"], r["requests"], "every request answered")
    t.ok(r["published"] >= r["saves"], "at least one publication per save")
    t.ok(SAN or r["rss_late"] <= r["rss_early"] * 1.5 + 2048, "memory flat (%d -> %d kB)" % (r["rss_early"], r["rss_late"]))
    t.is_(r["status"], 0, "shutdown, exit: status 0")
    t.ok("AddressSanitizer" not in r["stderr"] and "runtime error" not in r["stderr"], "no sanitizer report",
         r["stderr"][-3000:])
    t.done()
