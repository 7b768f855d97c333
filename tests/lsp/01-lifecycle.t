#!/usr/bin/env python3
# verbatim lsp: initialize with each position encoding, shutdown and exit,
# and the defined answer to every bad input (LSP 3.17, JSON-RPC 2.0).
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lspclient import Server, Tap, STORY, uri  # noqa: E402

t = Tap()

# ------------------------------------------------------------ encodings
for offered, want in [(["utf-8"], "utf-8"), (["utf-16"], "utf-16"), (["utf-32"], "utf-32"),
                      (["utf-32", "utf-8"], "utf-32"), (None, "utf-16"), (["latin-1"], "utf-16"),
                      ([], "utf-16")]:
    s = Server()
    r = s.initialize(offered)
    caps = r.get("result", {}).get("capabilities", {})
    t.is_(caps.get("positionEncoding"), want, "initialize offering %s: %s" % (offered, want))
    if offered == ["utf-8"]:
        t.ok(caps.get("textDocumentSync", {}).get("change") == 2 and caps.get("hoverProvider")
             and caps.get("definitionProvider") and caps.get("referencesProvider")
             and caps.get("documentSymbolProvider") and caps.get("codeActionProvider")
             and "verbatim.disableRule" in caps.get("executeCommandProvider", {}).get("commands", []),
             "capabilities: incremental sync, hover, definition, references, symbols, actions, commands")
        t.is_(r["result"].get("serverInfo", {}).get("name"), "verbatim", "serverInfo names verbatim")
        again = s.request("initialize", {"capabilities": {}})
        t.is_(again.get("error", {}).get("code"), -32600, "a second initialize: InvalidRequest")
    status = s.close()
    if offered == ["utf-8"]:
        t.is_(status, 0, "shutdown then exit: status 0")

# ------------------------------------------------------------ lifecycle
s = Server()
r = s.request("textDocument/hover", {"textDocument": {"uri": "file:///x"}, "position": {"line": 0, "character": 0}})
t.is_(r.get("error", {}).get("code"), -32002, "a request before initialize: ServerNotInitialized")
s.initialize(["utf-16"])
r = s.request("shutdown", None)
t.ok("result" in r and r["result"] is None, "shutdown answers null")
r = s.request("textDocument/documentSymbol", {"textDocument": {"uri": "file:///x"}})
t.is_(r.get("error", {}).get("code"), -32600, "a request after shutdown: InvalidRequest")
s.notify("exit")
t.is_(s.wait(), 0, "exit after shutdown: status 0")

s = Server()
s.initialize()
s.notify("exit")
t.is_(s.wait(), 1, "exit without shutdown: status 1")

s = Server()
s.initialize()
s.open(os.path.join(STORY, "rewrite.txt"))
s.proc.stdin.close()
st = s.wait()
t.ok(st in (0, 1), "the client goes away (EOF) with a document open: the server exits (status %r)" % st)

# ------------------------------------------------------------ bad input
s = Server()
s.initialize()
r = s.request("verbatim/noSuchThing", {})
t.is_(r.get("error", {}).get("code"), -32601, "an unknown request: MethodNotFound")
s.notify("verbatim/noSuchNotification", {})
s.notify("$/cancelRequest", {"id": 99})
r = s.request("textDocument/documentSymbol", {"textDocument": {"uri": "file:///not/open.txt"}})
t.is_(r.get("error", {}).get("code"), -32602, "a document that is not open: InvalidParams")
t.ok(not s.pending, "unknown notifications get no answer")

body = b'{"jsonrpc": "2.0", "id": 5, "method": '
s.raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)
r = s.any_response()
t.is_((r.get("id"), r.get("error", {}).get("code")), (None, -32700), "malformed JSON: ParseError with id null")

s.raw(b"Content-Length: 2\r\n\r\n[]")
r = s.any_response()
t.is_(r.get("error", {}).get("code"), -32600, "a JSON array (batch): InvalidRequest")

s.raw(b"Content-Length: 12\r\n\r\n" + b'{"id": true}')
r = s.any_response()
t.is_(r.get("error", {}).get("code"), -32600, "an id that is neither number nor string: InvalidRequest")

s.raw(b"Content-Type: text/plain\r\n\r\n")
r = s.any_response()
t.is_(r.get("error", {}).get("code"), -32700, "a header block without Content-Length: ParseError")

s.raw(b"Content-Length: 12abc\r\n\r\n")
r = s.any_response()
t.is_(r.get("error", {}).get("code"), -32700, "a malformed Content-Length: ParseError")

s.raw(b"X-Junk: " + b"a" * 20000)
s.raw(b"\r\n\r\n")
r = s.any_response()
t.is_(r.get("error", {}).get("code"), -32700, "a header of 20,000 bytes: ParseError")

u = s.open(os.path.join(STORY, "rewrite.txt"))
r = s.request("textDocument/hover", {"textDocument": {"uri": u}})
t.is_(r.get("error", {}).get("code"), -32602, "hover without a position: InvalidParams")
r = s.request("textDocument/hover", {"textDocument": {"uri": u}, "position": {"line": "two", "character": 0}})
t.is_(r.get("error", {}).get("code"), -32602, "a position that is not numbers: InvalidParams")
r = s.request("textDocument/definition", {"textDocument": {"uri": u}, "position": {"line": 100000, "character": 5}})
t.ok("result" in r, "a line past the end is clamped, not an error")
r = s.request("textDocument/hover", {"textDocument": {"uri": u}, "position": {"line": 5, "character": 10 ** 9}})
t.ok("result" in r, "a character past the line's end is clamped")
r = s.request("textDocument/hover", {"textDocument": {"uri": u}, "position": {"line": -3, "character": -1}})
t.ok("result" in r, "negative positions are clamped")
s.notify("textDocument/didChange", {"textDocument": {"uri": u, "version": 2},
                                    "contentChanges": [{"range": {"start": {"line": 900, "character": 0},
                                                                  "end": {"line": 1, "character": 0}},
                                                        "text": "x"}]})
r = s.request("textDocument/codeAction", {"textDocument": {"uri": u}, "range": {}, "context": {"diagnostics": []}})
t.is_(r.get("error", {}).get("code"), -32602, "a code action with a bad range: InvalidParams")

# a message written one byte at a time, and two in one write
body = b'{"jsonrpc":"2.0","id":"slow","method":"textDocument/documentSymbol","params":{"textDocument":{"uri":"%s"}}}' % u.encode()
frame = b"Content-Length: %d\r\n\r\n" % len(body) + body
for i in range(len(frame)):
    s.raw(frame[i:i + 1])
    if i % 40 == 0:
        time.sleep(0.001)
r = s.response("slow")
t.ok(isinstance(r.get("result"), list), "a message that arrives one byte at a time")
b1 = b'{"jsonrpc":"2.0","id":"a","method":"shutdown"}'
b2 = b'{"jsonrpc":"2.0","method":"exit"}'
s.raw(b"Content-Length: %d\r\n\r\n%sContent-Length: %d\r\n\r\n%s" % (len(b1), b1, len(b2), b2))
r = s.response("a")
t.ok("result" in r, "two messages in one write")
t.is_(s.wait(), 0, "and the server exits with status 0")
t.ok("AddressSanitizer" not in s.stderr_text() and "runtime error" not in s.stderr_text(),
     "no sanitizer report", s.stderr_text())

# a terabyte announced: refused at once (nothing allocated), the body skipped
s = Server()
s.initialize()
s.raw(b"Content-Length: 999999999999\r\n\r\n" + b"x" * 100000)
r = s.any_response()
t.is_(r.get("error", {}).get("code"), -32700, "a Content-Length of a terabyte: ParseError, the body skipped")
s.proc.stdin.close()
t.ok(s.wait() in (0, 1), "and EOF in the middle of that body: the server exits")

# garbage then EOF
s = Server()
s.raw(os.urandom(3000))
s.proc.stdin.close()
t.ok(s.wait() in (0, 1), "random bytes then EOF: the server exits")
t.ok("AddressSanitizer" not in s.stderr_text(), "no sanitizer report on random input", s.stderr_text())

t.done()
