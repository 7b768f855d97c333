#!/usr/bin/env python3
# verbatim lsp: non-ASCII text in each position encoding, incremental and
# full edits, saves, closing, files changed on disk, the .verbatim project
# file and the options of setup().
import os
import shutil
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lspclient import Server, Tap, uri, lsp_range, position, cli_json  # noqa: E402

t = Tap()
FIX = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures", "unicode")
tmp = tempfile.mkdtemp(prefix="verbatim-lsp.")
story = os.path.join(tmp, "story")
shutil.copytree(FIX, story)
DRAFT = os.path.join(story, "draft.txt")
WIRE = os.path.join(story, "wire.txt")
draft = open(DRAFT, "rb").read()
wire = open(WIRE, "rb").read()
check = cli_json(["check", "--source", "wire.txt", "draft.txt"], story)
SEV = {"error": 1, "warning": 2, "info": 3, "hint": 4}

# ------------------------------------------------- non-ASCII, each encoding
for enc in ("utf-8", "utf-16", "utf-32"):
    s = Server()
    s.initialize([enc])
    u = s.open(DRAFT)
    got = s.diagnostics(u)
    want = [(d["rule"], lsp_range(draft, d["start"], d["end"], enc)) for d in check["diagnostics"]]
    t.is_([(d["code"], d["range"]) for d in got], want, "%s: ranges on lines with ä, 🚢 and 🌊 as check's offsets" % enc)
    alt = next(d for d in got if d["code"] == "quote-altered")
    w = next(d for d in check["diagnostics"] if d["rule"] == "quote-altered")["related"][0]
    t.is_(alt["relatedInformation"][0]["location"]["range"], lsp_range(wire, w["start"], w["end"], enc),
          "%s: the counterpart's range in wire.txt" % enc)
    if enc == "utf-16":
        # the quotation starts after two astral characters: 2 code units each
        line = draft.split(b"\n")[2].decode()
        col = line.index("\u201c")
        t.is_(alt["range"]["start"]["character"], len(line[:col].encode("utf-16-le")) // 2,
              "utf-16: astral characters count two units")
        r = s.request("textDocument/definition", {"textDocument": {"uri": u}, "position": {
            "line": 2, "character": alt["range"]["start"]["character"] + 3}})["result"]
        t.is_(r and r["uri"], uri(WIRE), "definition from a non-ASCII line lands in wire.txt")
        # a position inside a surrogate pair is clamped to the character's start
        r = s.request("textDocument/hover", {"textDocument": {"uri": u}, "position": {"line": 0, "character": 7}})
        t.ok("result" in r, "a position inside a surrogate pair is answered")

        # ---------------------------------------------- incremental edits
        # 'wrong' -> 'right': the quotation is verbatim again
        qline = draft.split(b"\n")[2].decode()
        a = qline.index("wrong")
        a16 = len(qline[:a].encode("utf-16-le")) // 2
        rng = {"start": {"line": 2, "character": a16}, "end": {"line": 2, "character": a16 + 5}}
        mark = s.mark()
        t0 = time.time()
        s.notify("textDocument/didChange", {"textDocument": {"uri": u, "version": 2},
                                            "contentChanges": [{"range": rng, "text": "right"}]})
        d2 = s.diagnostics(u, after=mark)
        waited = time.time() - t0
        t.ok(not any(d["code"] == "quote-altered" for d in d2), "an incremental edit (after astral characters) fixes the quotation",
             [(d["code"], d["message"]) for d in d2])
        t.ok(waited >= 0.15, "diagnostics after an edit wait for the debounce (%.0f ms)" % (waited * 1000))
        # several edits in one message, then a new line inserted before
        mark = s.mark()
        s.notify("textDocument/didChange", {"textDocument": {"uri": u, "version": 3}, "contentChanges": [
            {"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "text": "Ünïcödé headline\n"},
            {"range": {"start": {"line": 3, "character": a16}, "end": {"line": 3, "character": a16 + 5}}, "text": "wrong"},
        ]})
        s.notify("textDocument/didSave", {"textDocument": {"uri": u}})
        d3 = s.diagnostics(u, after=mark)
        alt3 = [d for d in d3 if d["code"] == "quote-altered"]
        t.ok(len(alt3) == 1 and alt3[0]["range"]["start"]["line"] == 3,
             "two edits in one didChange, then a save: the altered quotation is back, one line down",
             [(d["code"], d["range"]) for d in d3])
        # full text
        mark = s.mark()
        s.notify("textDocument/didChange", {"textDocument": {"uri": u, "version": 4},
                                            "contentChanges": [{"text": wire.decode()}]})
        d4 = s.diagnostics(u, after=mark)
        t.is_(d4, [], "a full-text change to the source's own words: no diagnostics")
        # didSave with text (as Vim's client sends it)
        mark = s.mark()
        s.notify("textDocument/didSave", {"textDocument": {"uri": u}, "text": draft.decode()})
        d5 = s.diagnostics(u, after=mark)
        t.is_(len(d5), len(check["diagnostics"]), "didSave with text: the draft's diagnostics again")
        # many quick edits: one check at the end, for the last text
        mark = s.mark()
        for i in range(20):
            s.notify("textDocument/didChange", {"textDocument": {"uri": u, "version": 10 + i},
                                                "contentChanges": [{"text": draft.decode() + "x" * i}]})
        d6 = s.diagnostics(u, after=mark)
        time.sleep(0.4)
        s.request("textDocument/documentSymbol", {"textDocument": {"uri": u}})
        pubs = [n for n in s.notes[mark:] if n["method"] == "textDocument/publishDiagnostics"]
        t.ok(len(pubs) <= 2 and pubs[-1]["params"]["version"] == 29,
             "20 quick edits: checked once or twice, the last version last (%d)" % len(pubs))
        # close: diagnostics cleared
        mark = s.mark()
        s.notify("textDocument/didClose", {"textDocument": {"uri": u}})
        t.is_(s.diagnostics(u, after=mark), [], "didClose clears the document's diagnostics")
        r = s.request("textDocument/hover", {"textDocument": {"uri": u}, "position": {"line": 0, "character": 0}})
        t.is_(r.get("error", {}).get("code"), -32602, "a closed document: InvalidParams")
    t.is_(s.close(), 0, "%s: exit status 0" % enc)

# ------------------------------------------------- files changed on disk
s = Server()
s.initialize(["utf-16"])
u = s.open(DRAFT)
first = s.diagnostics(u)
t.ok(any(d["code"] == "number-mismatch" for d in first), "the draft's number differs from wire.txt")
with open(WIRE, "wb") as f:
    f.write(wire.replace(b"about 2 million", b"about 3 million"))
mark = s.mark()
s.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": uri(WIRE), "type": 2}]})
d = s.diagnostics(u, after=mark)
t.ok(not any(x["code"] == "number-mismatch" for x in d), "wire.txt changed on disk: read again, the numbers agree")
# a new file beside it
other = os.path.join(story, "agency.txt")
with open(other, "wb") as f:
    f.write(wire.replace(b"Captain \xc3\x85sa", b"Captain Anna"))
mark = s.mark()
s.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": uri(other), "type": 1}]})
d = s.diagnostics(u, after=mark)
t.ok(any(x["code"] == "quote-altered" and "agency.txt" in str(x.get("relatedInformation")) or "agency.txt" in x["message"] for x in d)
     or len(d) >= len(first) - 1, "a file created beside it becomes a source", [(x["code"], x["message"]) for x in d])
os.unlink(other)
s.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": uri(other), "type": 3}]})
s.close()

# ------------------------------------------------- the .verbatim project file
proj = os.path.join(tmp, "proj")
os.makedirs(os.path.join(proj, "wire"))
os.makedirs(os.path.join(proj, "drafts"))
shutil.copy(WIRE, os.path.join(proj, "wire", "a.txt"))
shutil.copy(WIRE, os.path.join(proj, "wire", "excluded.txt"))
shutil.copy(DRAFT, os.path.join(proj, "drafts", "d.md"))
with open(os.path.join(proj, ".verbatim"), "w") as f:
    f.write("# sources\nwire/*.txt\n!wire/excluded.txt\n")
s = Server()
s.initialize(["utf-16"])
u = s.open(os.path.join(proj, "drafts", "d.md"))
d = s.diagnostics(u)
rel = [r["location"]["uri"] for x in d for r in x.get("relatedInformation", [])]
t.ok(d and all(r == uri(os.path.join(proj, "wire", "a.txt")) for r in rel) and rel,
     "the .verbatim file's globs are the sources; its ! line excludes", rel)
s.close()
s = Server()
s.initialize(["utf-16"], options={"sources": {"project_file": False}})
u = s.open(os.path.join(proj, "drafts", "d.md"))
d = s.diagnostics(u)
t.ok(not any(x["code"] == "quote-altered" for x in d), "project_file = false: no sources, nothing matched",
     [(x["code"]) for x in d])
s.close()

# ------------------------------------------------- options
s = Server()
s.initialize(["utf-16"], options={"core": {"rule.entity-unsupported": "off", "rule.quote-altered": "error"},
                                  "highlights": {"entities": True}, "sidebar": {"width": 40}})
u = s.open(DRAFT)
d = s.diagnostics(u)
t.ok(not any(x["code"] == "entity-unsupported" for x in d), "initializationOptions core: a rule off")
t.ok(any(x["code"] == "quote-altered" and x["severity"] == 1 for x in d), "and a rule's severity raised to error")
mark = s.mark()
s.notify("workspace/didChangeConfiguration", {"settings": {"verbatim": {"core": {"rule.number-mismatch": "off"}}}})
d = s.diagnostics(u, after=mark)
t.ok(not any(x["code"] == "number-mismatch" for x in d) and any(x["code"] == "entity-unsupported" for x in d),
     "didChangeConfiguration replaces core: number-mismatch off, entity-unsupported back")
mark = s.mark()
s.settings = {"sources": {"siblings": False}}
s.notify("workspace/didChangeConfiguration", {"settings": None})
t.ok(True, "settings null without workspace/configuration support is ignored")
mark = s.mark()
s.notify("workspace/didChangeConfiguration", {"settings": {"sources": {"siblings": "yes"}}})
msgs = []
deadline = time.time() + 10
while time.time() < deadline and not msgs:
    s.request("textDocument/documentSymbol", {"textDocument": {"uri": u}})
    msgs = [n for n in s.notes[mark:] if n["method"] == "window/showMessage"]
t.ok(msgs and "sources.siblings" in msgs[0]["params"]["message"], "a bad option value is named in a message",
     msgs)
s.close()

# workspace/configuration pulled when the client supports it
s = Server()
s.settings = {"sources": {"siblings": False}}
s.initialize(["utf-16"], extra_caps={"workspace": {"configuration": True}})
u = s.open(DRAFT)
s.diagnostics(u)
mark = s.mark()
s.notify("workspace/didChangeConfiguration", {"settings": None})
d = s.diagnostics(u, after=mark)
t.ok(not any(x["code"] == "quote-altered" for x in d), "settings pulled with workspace/configuration: siblings off")
s.close()

shutil.rmtree(tmp)
t.done()
