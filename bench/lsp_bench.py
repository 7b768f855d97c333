#!/usr/bin/env python3
"""`make bench`: verbatim lsp over its real pipes.

- didSave -> publishDiagnostics latency (an edit, then a save, then the
  diagnostics of that document), p50 and p99, on the example story (its
  three files open) and on a folder of 200 generated news documents about
  one story (all open, each checked against the 199 others);
- the server's resident memory after opening that folder;
- a soak: a scripted client typing into the story, asking for hovers and
  saving, for VB_BENCH_SOAK seconds (default 600; 0 skips it): requests
  answered and memory at its start and end.

Prints rows "name<TAB>value<TAB>unit" for bench/run.sh.
Usage: bench/lsp_bench.py VERBATIM WORK_DIR
"""
import os
import random
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "lsp"))
os.environ.setdefault("VB_ROOT", ROOT)
if len(sys.argv) > 1:
    os.environ["VERBATIM"] = os.path.abspath(sys.argv[1])
import lspclient  # noqa: E402
from lspclient import Server, STORY  # noqa: E402

WORK = os.path.abspath(sys.argv[2] if len(sys.argv) > 2 else "/tmp/verbatim-lsp-bench")


def row(name, value, unit):
    print("%s\t%s\t%s" % (name, value, unit))
    sys.stdout.flush()


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100.0 * (len(xs) - 1))))]


def rss_kb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


# ----------------------------------------------------- generated documents
SYL = ["ka", "lo", "mi", "ran", "tor", "vel", "sa", "den", "pri", "ol", "mar", "ten", "cu",
       "ber", "nis", "ga", "ro", "sol", "vi", "tan", "quel", "ar", "mon", "del", "fi", "ste"]
FUNC = ["the", "of", "to", "and", "a", "in", "that", "for", "on", "was", "with", "by", "at",
        "from", "has", "had", "its", "it", "were", "be", "after", "over", "their", "an", "would"]
FIRST = ["Anna", "Boris", "Clara", "Dmitri", "Elena", "Farid", "Greta", "Hugo", "Ines", "Jonas"]
LAST = ["Kowalski", "Lindqvist", "Moreau", "Novak", "Okafor", "Petrov", "Quill", "Rossi", "Sato", "Tamm"]


def word(rng):
    k = int(rng.paretovariate(1.1)) % 3000
    r = random.Random(k)
    return "".join(r.choice(SYL) for _ in range(1 + k % 3))


def sentence(rng, n=None):
    n = n or rng.randint(12, 26)
    ws = [rng.choice(FUNC) if rng.random() < 0.45 else word(rng) for _ in range(n)]
    if rng.random() < 0.3:
        ws.insert(rng.randint(0, len(ws)), str(rng.randint(2, 900)))
    ws[0] = ws[0].capitalize()
    return " ".join(ws) + "."


def paragraph(rng, people):
    p = rng.choice(people)
    kind = rng.random()
    if kind < 0.4:
        q = sentence(rng)[:-1]
        return "\u201c%s,\u201d %s said. %s" % (q, p, sentence(rng))
    return " ".join(sentence(rng) for _ in range(rng.randint(2, 3)))


def generate(folder, n=200, seed=7):
    """n documents about one story: a wire text, and versions that copy,
    edit or replace its paragraphs (quotations reworded now and then)."""
    if os.path.isdir(folder) and len([f for f in os.listdir(folder) if f.endswith(".txt")]) == n:
        return sorted(os.path.join(folder, f) for f in os.listdir(folder) if f.endswith(".txt"))
    os.makedirs(folder, exist_ok=True)
    rng = random.Random(seed)
    people = ["%s %s" % (rng.choice(FIRST), rng.choice(LAST)) for _ in range(6)]
    wire = [paragraph(rng, people) for _ in range(14)]
    paths = []
    for i in range(n):
        paras = []
        for p in wire:
            r = rng.random()
            if r < 0.5:
                paras.append(p)
            elif r < 0.75:
                ws = p.split(" ")
                for _ in range(2):
                    ws[rng.randrange(len(ws))] = word(rng)
                paras.append(" ".join(ws))
            elif r < 0.9:
                paras.append(paragraph(rng, people))
        path = os.path.join(folder, "story-%03d.txt" % i)
        with open(path, "w") as f:
            f.write("Headline %d: %s\n\n" % (i, sentence(rng, 6)) + "\n\n".join(paras) + "\n")
        paths.append(path)
    return paths


# ------------------------------------------------------------- latencies
def save_latencies(s, uris, texts, rounds):
    """An edit then a save of a document; the time to its diagnostics."""
    lat = []
    versions = {u: 1 for u in uris}
    for i in range(rounds):
        u = uris[i % len(uris)]
        versions[u] += 1
        body = texts[u] + ("x" * (i % 3))
        mark = s.mark()
        t0 = time.perf_counter()
        s.notify("textDocument/didChange", {"textDocument": {"uri": u, "version": versions[u]},
                                            "contentChanges": [{"text": body}]})
        s.notify("textDocument/didSave", {"textDocument": {"uri": u}})
        s.diagnostics(u, after=mark, timeout=60)
        lat.append((time.perf_counter() - t0) * 1000)
    return lat


def bench_story():
    s = Server()
    s.initialize(["utf-16"])
    paths = [os.path.join(STORY, p) for p in ("original.txt", "copy.txt", "rewrite.txt")]
    texts = {}
    for p in paths:
        u = s.open(p)
        texts[u] = open(p, encoding="utf-8").read()
    u = lspclient.uri(paths[2])
    s.diagnostics(u, after=0)
    lat = save_latencies(s, [u], texts, 300)
    row("lsp_save_to_diagnostics_story_p50", "%.2f" % pct(lat, 50), "ms")
    row("lsp_save_to_diagnostics_story_p99", "%.2f" % pct(lat, 99), "ms")
    s.close()


def bench_folder():
    paths = generate(os.path.join(WORK, "lsp-folder"))
    s = Server()
    s.initialize(["utf-16"], options={"sources": {"max_files": 250}})
    rss0 = rss_kb(s.proc.pid)
    t0 = time.perf_counter()
    texts, uris = {}, []
    for p in paths:
        u = s.open(p)
        texts[u] = open(p, encoding="utf-8").read()
        uris.append(u)
    # every document's first diagnostics
    seen = set()
    deadline = time.time() + 300
    i = 0
    while len(seen) < len(uris) and time.time() < deadline:
        while i < len(s.notes):
            n = s.notes[i]
            i += 1
            if n["method"] == "textDocument/publishDiagnostics":
                seen.add(n["params"]["uri"])
        if len(seen) < len(uris):
            try:
                s._next(time.time() + 5)
            except TimeoutError:
                pass
    opened = (time.perf_counter() - t0) * 1000
    rss = rss_kb(s.proc.pid)
    size = sum(len(t.encode()) for t in texts.values())
    row("lsp_open_200_docs_until_all_diagnostics", "%.0f" % opened, "ms")
    row("lsp_rss_after_opening_200_docs", "%.1f" % (rss / 1024.0), "MB")
    row("lsp_rss_at_start", "%.1f" % (rss0 / 1024.0), "MB")
    row("lsp_200_docs_text", "%.2f" % (size / 1e6), "MB")
    rng = random.Random(3)
    order = [rng.choice(uris) for _ in range(200)]
    lat = save_latencies(s, order, texts, len(order))
    row("lsp_save_to_diagnostics_200_docs_p50", "%.2f" % pct(lat, 50), "ms")
    row("lsp_save_to_diagnostics_200_docs_p99", "%.2f" % pct(lat, 99), "ms")
    s.close()


def bench_soak(seconds):
    sys.path.insert(0, os.path.join(ROOT, "tests", "lsp"))
    import importlib.util
    spec = importlib.util.spec_from_file_location("soak", os.path.join(ROOT, "tests", "lsp", "04-soak.t"),
                                                  loader=None)
    from importlib.machinery import SourceFileLoader
    mod = SourceFileLoader("soak", os.path.join(ROOT, "tests", "lsp", "04-soak.t")).load_module()
    del spec
    r = mod.soak(seconds)
    row("lsp_soak_seconds", "%.0f" % seconds, "s")
    row("lsp_soak_requests_answered", "%d/%d" % (r["answered"], r["requests"]), "requests")
    row("lsp_soak_edits", "%d" % r["edits"], "edits")
    row("lsp_soak_rss_start_end", "%.1f->%.1f" % (r["rss_early"] / 1024.0, r["rss_late"] / 1024.0), "MB")


if __name__ == "__main__":
    os.makedirs(WORK, exist_ok=True)
    bench_story()
    bench_folder()
    soak = float(os.environ.get("VB_BENCH_SOAK", "600"))
    if soak > 0:
        bench_soak(soak)
