#!/bin/sh
# The same binding built for standalone Lua 5.4 (build/lua54/verbatim/core.so).
build=${VB_BUILD:-build}
root=${VB_ROOT:-.}
if ! command -v lua5.4 >/dev/null 2>&1; then echo "1..0 # SKIP lua5.4 not installed"; exit 0; fi
if [ ! -f "$build/lua54/verbatim/core.so" ]; then echo "1..0 # SKIP $build/lua54/verbatim/core.so not built"; exit 0; fi
LUA_CPATH="$build/lua54/?.so" LUA_PATH="" VB_ROOT="$root" exec lua5.4 - <<'LUA'
local n = 0
local function ok(cond, name)
  n = n + 1
  print((cond and "ok " or "not ok ") .. n .. " - " .. name)
end
local core = require("verbatim.core")
ok(_VERSION == "Lua 5.4", "runs under " .. _VERSION)
ok(core.version():match("^%d+%.%d+%.%d+$"), "version " .. core.version())
local f = assert(io.open(os.getenv("VB_ROOT") .. "/examples/story/original.txt", "rb"))
local original = f:read("a")
f:close()
do
  local c <close> = core.new()
  local src = c:add("original.txt", original, core.SOURCE)
  local doc = c:add("copy.txt", original:gsub("lucky", "fortunate"))
  ok(c:count() == 2 and c:flags(src) == core.SOURCE, "documents and flags")
  local r = c:check(doc)
  ok(type(r.diagnostics) == "table" and type(r.quotes) == "table", "check returns tables")
  ok(math.type(c:align(doc).verbatim) == "float", "align shares are floats")
  local line, col = c:position(doc, 0)
  ok(math.type(line) == "integer" and line == 1 and col == 1, "position is 1-based integers")
  local good, err = pcall(c.remove, c, 99)
  ok(not good and err:match("^verbatim: "), "errors carry the core's message")
end
local c = core.new()
c:free()
local good, err = pcall(c.count, c)
ok(not good and err:match("closed"), "a closed corpus refuses calls")
print("1.." .. n)
LUA
