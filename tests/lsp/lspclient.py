"""A scripted LSP client for the tests of `verbatim lsp` (stdlib only).

It starts the server on real pipes, frames messages with Content-Length,
reads the server's output on a thread, and prints TAP.
"""
import json
import os
import queue
import subprocess
import sys
import tempfile
import threading
import time

VERBATIM = os.environ.get("VERBATIM") or os.path.join(
    os.environ.get("VB_ROOT", "."), "build", "verbatim")
ROOT = os.environ.get("VB_ROOT") or os.path.abspath(
    os.path.join(os.path.dirname(__file__), "..", ".."))
STORY = os.path.join(ROOT, "examples", "story")
SAN = bool(os.environ.get("VB_SAN"))
TIMEOUT = 60 if SAN else 20

os.environ.setdefault("ASAN_OPTIONS", "exitcode=86")
os.environ.setdefault("UBSAN_OPTIONS", "halt_on_error=1:exitcode=86:print_stacktrace=1")


def uri(path):
    from urllib.parse import quote
    return "file://" + quote(os.path.abspath(path), safe="/._~-")


class Server:
    def __init__(self, args=("lsp",), cwd=None, env=None):
        self.stderr = tempfile.TemporaryFile()
        self.proc = subprocess.Popen([VERBATIM, *args], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=self.stderr,
                                     cwd=cwd, env=env)
        self.q = queue.Queue()
        self.pending = []   # messages read but not yet claimed
        self.notes = []     # notifications seen, in order
        self.next_id = 0
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        out = self.proc.stdout
        while True:
            headers = {}
            line = out.readline()
            if not line:
                self.q.put(None)
                return
            while line not in (b"\r\n", b""):
                k, _, v = line.decode("ascii", "replace").partition(":")
                headers[k.strip().lower()] = v.strip()
                line = out.readline()
            n = int(headers.get("content-length", "0"))
            body = out.read(n)
            try:
                self.q.put(json.loads(body))
            except ValueError:
                self.q.put({"unparsable": body})

    # ------------------------------------------------------------ sending
    def raw(self, data):
        try:
            self.proc.stdin.write(data)
            self.proc.stdin.flush()
        except BrokenPipeError:
            pass

    def send(self, msg):
        msg = dict(msg, jsonrpc="2.0")
        body = json.dumps(msg).encode("utf-8")
        self.raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def notify(self, method, params=None):
        self.send({"method": method, "params": params or {}})

    def request_async(self, method, params=None):
        self.next_id += 1
        self.send({"id": self.next_id, "method": method, "params": params if params is not None else {}})
        return self.next_id

    def request(self, method, params=None, timeout=TIMEOUT):
        rid = self.request_async(method, params)
        return self.response(rid, timeout)

    # ------------------------------------------------------------ reading
    def _next(self, deadline):
        left = deadline - time.time()
        if left <= 0:
            raise TimeoutError
        try:
            m = self.q.get(timeout=left)
        except queue.Empty:
            raise TimeoutError
        if m is None:
            self.q.put(None)
            raise EOFError
        if "method" in m and "id" not in m:
            self.notes.append(m)
        if "method" in m and "id" in m:
            self._answer(m)
        return m

    def _answer(self, m):
        # requests of the server's own: configuration, registration
        if m["method"] == "workspace/configuration":
            self.send({"id": m["id"], "result": [getattr(self, "settings", {})]})
        else:
            self.send({"id": m["id"], "result": None})

    def response(self, rid, timeout=TIMEOUT):
        for m in self.pending:
            if m.get("id") == rid and "method" not in m:
                self.pending.remove(m)
                return m
        deadline = time.time() + timeout
        while True:
            m = self._next(deadline)
            if m.get("id") == rid and "method" not in m:
                return m
            if "method" not in m:
                self.pending.append(m)

    def any_response(self, timeout=TIMEOUT):
        """The next response to anything (for answers with id null)."""
        if self.pending:
            return self.pending.pop(0)
        deadline = time.time() + timeout
        while True:
            m = self._next(deadline)
            if "method" not in m:
                return m

    def diagnostics(self, doc_uri, timeout=TIMEOUT, after=None):
        """The next publishDiagnostics for doc_uri (after notification index
        `after`, default: the ones not seen yet)."""
        start = len(self.notes) if after is None else after
        deadline = time.time() + timeout
        i = start
        while True:
            while i < len(self.notes):
                n = self.notes[i]
                i += 1
                if n["method"] == "textDocument/publishDiagnostics" and n["params"]["uri"] == doc_uri:
                    return n["params"]["diagnostics"]
            m = self._next(deadline)
            if "method" not in m:
                self.pending.append(m)

    def mark(self):
        return len(self.notes)

    def initialize(self, encodings=None, options=None, markdown=False, extra_caps=None):
        caps = {"textDocument": {"hover": {"contentFormat": ["markdown" if markdown else "plaintext"]},
                                 "publishDiagnostics": {"relatedInformation": True}}}
        if encodings is not None:
            caps["general"] = {"positionEncodings": encodings}
        caps.update(extra_caps or {})
        params = {"processId": os.getpid(), "rootUri": uri(ROOT), "capabilities": caps}
        if options is not None:
            params["initializationOptions"] = options
        r = self.request("initialize", params)
        self.notify("initialized", {})
        return r

    def open(self, path, text=None, version=1):
        if text is None:
            with open(path, "rb") as f:
                text = f.read().decode("utf-8")
        u = uri(path)
        self.notify("textDocument/didOpen", {"textDocument": {
            "uri": u, "languageId": "text", "version": version, "text": text}})
        return u

    def close(self):
        """shutdown, exit; returns the exit status."""
        try:
            self.request("shutdown", None)
            self.notify("exit")
        except (EOFError, TimeoutError):
            pass
        return self.wait()

    def wait(self, timeout=TIMEOUT):
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            return "hang"

    def stderr_text(self):
        self.stderr.seek(0)
        return self.stderr.read().decode("utf-8", "replace")


# ------------------------------------------------------------------- TAP

class Tap:
    def __init__(self):
        self.n = 0
        self.failed = 0

    def ok(self, cond, name, detail=None):
        self.n += 1
        print(("ok %d - %s" if cond else "not ok %d - %s") % (self.n, name))
        if not cond:
            self.failed += 1
            if detail is not None:
                for line in str(detail).splitlines()[:40]:
                    print("#   " + line)
        sys.stdout.flush()
        return cond

    def is_(self, got, want, name):
        return self.ok(got == want, name, "got:  %r\nwant: %r" % (got, want))

    def done(self):
        print("1..%d" % self.n)
        sys.exit(1 if self.failed else 0)


# ------------------------------------------------------------- positions

def position(data, off, enc):
    """LSP position of byte offset `off` in bytes `data`."""
    line = data.count(b"\n", 0, off)
    start = data.rfind(b"\n", 0, off) + 1
    seg = data[start:off].decode("utf-8", "replace")
    if enc == "utf-8":
        ch = off - start
    elif enc == "utf-32":
        ch = len(seg)
    else:
        ch = len(seg.encode("utf-16-le")) // 2
    return {"line": line, "character": ch}


def lsp_range(data, a, z, enc):
    return {"start": position(data, a, enc), "end": position(data, z, enc)}


def cli_json(args, cwd):
    out = subprocess.run([VERBATIM, *args, "--format", "json"], cwd=cwd,
                         capture_output=True)
    return json.loads(out.stdout)
