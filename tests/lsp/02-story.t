#!/usr/bin/env python3
# verbatim lsp on the example story: the diagnostics, definition,
# references, hover, code actions, symbols and related passages agree with
# `verbatim check/analyze/related --format json` on the same files.
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lspclient import Server, Tap, STORY, uri, lsp_range, position, cli_json  # noqa: E402

t = Tap()
REW = os.path.join(STORY, "rewrite.txt")
ORIG = os.path.join(STORY, "original.txt")
COPY = os.path.join(STORY, "copy.txt")
data = {p: open(os.path.join(STORY, p), "rb").read() for p in ("rewrite.txt", "original.txt", "copy.txt")}
# the server adds a document's sources in the order of their paths
check = cli_json(["check", "--source", "copy.txt", "--source", "original.txt", "rewrite.txt"], STORY)
SEV = {"error": 1, "warning": 2, "info": 3, "hint": 4}


def expected_diags(enc):
    out = []
    for d in check["diagnostics"]:
        rel = [{"uri": uri(os.path.join(STORY, r["path"])),
                "range": lsp_range(data[r["path"]], r["start"], r["end"], enc)} for r in d["related"]]
        out.append((d["rule"], lsp_range(data["rewrite.txt"], d["start"], d["end"], enc),
                    SEV[d["severity"]], d["message"], rel))
    return out


def got_diags(diags):
    return [(d["code"], d["range"], d["severity"], d["message"],
             [r["location"] for r in d.get("relatedInformation", [])]) for d in diags]


def quote_on_line(line):
    for q in check["quotes"]:
        if q["line"] == line and q["matches"]:
            return q
    raise KeyError(line)


for enc in ("utf-8", "utf-16", "utf-32"):
    s = Server()
    s.initialize([enc])
    u = s.open(REW)
    diags = s.diagnostics(u)
    t.is_(got_diags(diags), expected_diags(enc), "%s: diagnostics of rewrite.txt are those of check" % enc)
    if enc != "utf-16":
        s.close()
        continue
    t.ok(all(d["source"] == "verbatim" for d in diags), "source is verbatim")
    hrefs = [d.get("codeDescription", {}).get("href", "") for d in diags]
    t.ok(all(h.startswith("file://") and h.endswith("#verbatim-rule-" + d["code"]) for h, d in zip(hrefs, diags)),
         "codeDescription.href: the vimdoc with the rule's help tag", hrefs[:2])
    doc = hrefs[0].split("#")[0][7:] if hrefs else ""
    t.ok(os.path.isfile(doc) and all(("*verbatim-rule-%s*" % d["code"]) in open(doc).read() for d in diags),
         "the href's file is doc/verbatim.txt and has each rule's tag")
    rules = {d["code"] for d in diags}
    t.ok({"quote-altered", "quote-unsourced", "speaker-mismatch", "unbalanced-quote", "name-variant"} <= rules,
         "the story's findings are there", sorted(rules))

    # definition and references on the altered quotation (line 6)
    q = quote_on_line(6)
    pos = position(data["rewrite.txt"], q["start"] + 3, "utf-16")
    params = {"textDocument": {"uri": u}, "position": pos}
    r = s.request("textDocument/definition", params)["result"]
    best = q["matches"][0]
    want = {"uri": uri(os.path.join(STORY, best["path"])),
            "range": lsp_range(data[best["path"]], best["start"], best["end"], "utf-16")}
    t.is_(r, want, "definition on the altered quotation lands on its best counterpart")
    r = s.request("textDocument/references", dict(params, context={"includeDeclaration": False}))["result"]
    t.is_(r, [{"uri": uri(os.path.join(STORY, m["path"])),
               "range": lsp_range(data[m["path"]], m["start"], m["end"], "utf-16")} for m in q["matches"]],
          "references: every counterpart, best first")
    r = s.request("textDocument/references", dict(params, context={"includeDeclaration": True}))["result"]
    t.is_(len(r), len(q["matches"]) + 1, "references with the declaration: one more")

    # hover: each counterpart with its relation and difference
    h = s.request("textDocument/hover", params)["result"]
    text = h["contents"]["value"]
    lines_ok = True
    for m in q["matches"]:
        loc = "%s:%d:%d %s" % (m["path"], m["line"], m["col"], m["relation"])
        if loc not in text or (m.get("diff") and m["diff"] not in text):
            lines_ok = False
    t.ok(lines_ok, "hover on the quotation: each counterpart, relation and diff as check says", text)
    speaker = next(x for x in cli_json(["analyze", "rewrite.txt"], STORY)["documents"][0]["quotes"]
                   if x["start"] == q["start"])["speaker"]
    t.ok(speaker and ("speaker: " + speaker["name"]) in text, "hover names the speaker", text)
    t.is_(h["range"], lsp_range(data["rewrite.txt"], q["start"], q["end"], "utf-16"), "hover range is the quotation")

    analysis = cli_json(["analyze", "rewrite.txt"], STORY)["documents"][0]
    ent = next(e for e in analysis["entities"] if e["text"] == "Rotterdam")
    h = s.request("textDocument/hover", {"textDocument": {"uri": u},
                                         "position": position(data["rewrite.txt"], ent["start"] + 2, "utf-16")})["result"]
    t.ok(h and ("%s: %s" % (ent["type"], ent["canonical"])) in h["contents"]["value"],
         "hover on an entity: its type and canonical name", h)

    # code actions on the altered quotation
    here = [d for d in diags if d["code"] == "quote-altered"]
    r = s.request("textDocument/codeAction", {"textDocument": {"uri": u}, "range": {"start": pos, "end": pos},
                                              "context": {"diagnostics": here}})["result"]
    titles = [a["title"] for a in r]
    t.ok("Use the source's wording" in titles and "Accept this quotation" in titles
         and "Turn off quote-altered for this project" in titles, "code actions: fix, accept, rule off", titles)
    fix = next(a for a in r if a["title"] == "Use the source's wording")
    edits = fix["edit"]["changes"][u]
    orig_q = next(x for x in cli_json(["analyze", best["path"]], STORY)["documents"][0]["quotes"]
                  if x["start"] == best["start"] or (x["start"] <= best["start"] < x["end"]))
    t.is_(edits[0]["newText"], orig_q["text"], "the fix puts in the source's words (those analyze reads in the counterpart)")
    # apply it as a client would, and send the change
    body = data["rewrite.txt"].decode()
    lines = body.split("\n")
    e = edits[0]["range"]
    line = lines[e["start"]["line"]]
    enc16 = line.encode("utf-16-le")
    a16, z16 = e["start"]["character"] * 2, e["end"]["character"] * 2
    lines[e["start"]["line"]] = (enc16[:a16].decode("utf-16-le") + edits[0]["newText"] + enc16[z16:].decode("utf-16-le"))
    fixed = "\n".join(lines)
    mark = s.mark()
    s.notify("textDocument/didChange", {"textDocument": {"uri": u, "version": 2},
                                        "contentChanges": [{"range": e, "text": edits[0]["newText"]}]})
    s.notify("textDocument/didSave", {"textDocument": {"uri": u}})
    d2 = s.diagnostics(u, after=mark)
    t.ok(not any(d["code"] == "quote-altered" and d["range"]["start"]["line"] == 5 for d in d2),
         "after the fix and a save: no quote-altered on line 6", got_diags(d2))
    r = s.request("textDocument/documentSymbol", {"textDocument": {"uri": u}})["result"]
    t.ok(len(d2) == len(diags) - 1, "and the other findings stay")

    # document symbols: the quotations (not terms) with their speakers
    speech = [x for x in analysis["quotes"] if x["kind"] != "term"]
    t.is_(len(r), len(speech), "documentSymbol lists every quotation that is speech")
    t.ok(all(sym["name"].startswith((x["speaker"]["name"] if x["speaker"] else "(no speaker)") + ":")
             for sym, x in zip(r, speech)), "each named by its speaker", [x["name"] for x in r][:4])

    # accept the unsourced quotation (line 5): its warning goes away
    q5 = next(d for d in diags if d["code"] == "quote-unsourced")
    r = s.request("textDocument/codeAction", {"textDocument": {"uri": u}, "range": q5["range"],
                                              "context": {"diagnostics": [q5]}})["result"]
    acc = next((a for a in r if a["title"] == "Accept this quotation"), None)
    t.ok(acc and acc["command"]["command"] == "verbatim.acceptQuotation", "Accept this quotation is a command")
    mark = s.mark()
    r = s.request("workspace/executeCommand", {"command": acc["command"]["command"],
                                               "arguments": acc["command"]["arguments"]})
    t.ok("result" in r, "workspace/executeCommand accepts it")
    d3 = s.diagnostics(u, after=mark)
    t.ok(not any(d["code"] == "quote-unsourced" for d in d3) and len(d3) == len(d2) - 1,
         "republished without the accepted quotation's warning", got_diags(d3))
    mark = s.mark()
    r = s.request("workspace/executeCommand", {"command": "verbatim.disableRule", "arguments": ["entity-unsupported"]})
    d4 = s.diagnostics(u, after=mark)
    t.ok(not any(d["code"] == "entity-unsupported" for d in d4) and d4, "a rule turned off for the project")
    r = s.request("workspace/executeCommand", {"command": "verbatim.disableRule", "arguments": ["no-such-rule"]})
    t.is_(r.get("error", {}).get("code"), -32602, "an unknown rule: InvalidParams")

    # verbatim/related at line 6, as `verbatim related`
    s2 = Server()
    s2.initialize(["utf-16"])
    u2 = s2.open(REW)
    s2.diagnostics(u2)
    rel = s2.request("verbatim/related", {"textDocument": {"uri": u2},
                                          "position": {"line": 5, "character": 4}, "max": 10})["result"]
    cli = cli_json(["related", "--max", "10", "--at", "rewrite.txt:6", "rewrite.txt", "copy.txt", "original.txt"], STORY)
    t.is_([(p["path"], p["start"], p["end"], round(p["score"], 4), p["relation"]) for p in rel["passages"]],
          [(p["path"], p["start"], p["end"], round(p["score"], 4), p["relation"]) for p in cli["passages"]],
          "verbatim/related: the passages `verbatim related` lists")
    t.is_((rel["query"]["start"], rel["query"]["end"]), (cli["query"]["start"], cli["query"]["end"]),
          "verbatim/related: a position means its paragraph")
    t.ok(all(len(p["aligned"]) == len(c["aligned"]) and all(
        a["sourceRange"] == lsp_range(data[p["path"]], a["source_start"], a["source_end"], "utf-16") for a in p["aligned"])
        for p, c in zip(rel["passages"], cli["passages"])), "aligned spans with their ranges")
    s2.close()
    t.is_(s.close(), 0, "shutdown, exit: status 0")

# all three open: each is checked against the two others
s = Server()
s.initialize(["utf-16"])
us = [s.open(p) for p in (ORIG, COPY, REW)]
for p, u in zip(("original.txt", "copy.txt", "rewrite.txt"), us):
    others = sorted(x for x in ("original.txt", "copy.txt", "rewrite.txt") if x != p)
    want = cli_json(["check", "--source", others[0], "--source", others[1], p], STORY)
    got = s.diagnostics(u, after=0)
    t.is_([(d["code"], d["message"]) for d in got], [(d["rule"], d["message"]) for d in want["diagnostics"]],
          "all open: %s checked against the other two" % p)
t.is_(s.close(), 0, "exit status 0")
t.done()
