-- Hostile .verbatim files, as found by tests/fuzz/fuzz_sources.lua: each
-- glob returns a list, without an error, in bounded time.
local h = dofile((os.getenv("VB_ROOT") or ".") .. "/tests/nvim/helpers.lua")
local sources = require("verbatim.sources")

local function timed(fn)
  local t0 = vim.loop.hrtime()
  local ok, res = pcall(fn)
  return ok, res, (vim.loop.hrtime() - t0) / 1e9
end

describe("hostile .verbatim globs", function()
  before_each(h.reset)

  it("a class that Lua patterns cannot take is read literally", function()
    local dir = h.story()
    for _, glob in ipairs({ "[!]*.md", "[^]*.txt", "[!]]", "x[!]y/*.txt", "[]]*" }) do
      local ok, res = pcall(sources.glob, glob, dir, 20)
      assert.is_true(ok, glob .. ": " .. tostring(res))
      assert.equals("table", type(res))
    end
  end)

  it("a NUL byte in a glob matches nothing", function()
    local dir = h.story()
    local ok, res = pcall(sources.glob, "[!w\0]*.md", dir, 20)
    assert.is_true(ok, tostring(res))
    assert.are.same({}, res)
  end)

  it("** from the root of the disk stops early", function()
    local ok, res, secs = timed(function()
      return sources.glob("/**/*.no-such-extension", "/", 20)
    end)
    assert.is_true(ok, tostring(res))
    assert.is_true(secs < 10, ("took %.1f s"):format(secs))
  end)

  it("many stars in one name do not backtrack for ever", function()
    local dir = h.story()
    h.write(dir .. "/" .. string.rep("a", 200) .. ".txt", "x\n")
    local ok, res, secs = timed(function()
      return sources.glob(string.rep("*a", 30) .. "*b", dir, 20)
    end)
    assert.is_true(ok, tostring(res))
    assert.are.same({}, res)
    assert.is_true(secs < 5, ("took %.1f s"):format(secs))
  end)

  it("a .verbatim file of many walks from / shares one budget", function()
    local dir = h.story()
    vim.fn.mkdir(dir .. "/wire", "p")
    h.write(dir .. "/wire/agency.md", "From the wire.\n")
    local lines = { "wire/*.md" }
    for i = 1, 150 do
      lines[#lines + 1] = "!/**/*.bak" .. i
      lines[#lines + 1] = "/**/*.no-such-" .. i
      lines[#lines + 1] = "/**"
    end
    lines[#lines + 1] = "!copy.txt"
    h.write(dir .. "/.verbatim", table.concat(lines, "\n"))
    local buf = h.edit(dir .. "/rewrite.txt")
    local ok, res, secs = timed(function()
      return sources.list(buf)
    end)
    assert.is_true(ok, tostring(res))
    assert.is_true(secs < 0.8, ("took %.2f s"):format(secs))
    local got = {}
    for _, s in ipairs(res) do
      got[s.path] = s.origin
    end
    assert.equals("project", got[dir .. "/wire/agency.md"])
    assert.is_nil(got[dir .. "/copy.txt"])
  end)

  it("! lines exclude by path without walking", function()
    local dir = h.story()
    vim.fn.mkdir(dir .. "/wire/.old", "p")
    h.write(dir .. "/wire/a.md", "A.\n")
    h.write(dir .. "/wire/b.md", "B.\n")
    h.write(dir .. "/wire/.old/c.md", "C.\n")
    h.write(dir .. "/.verbatim", "wire/**/*.md\n.hidden\n!**/b.*\n!/**/*.txt\n")
    local buf = h.edit(dir .. "/rewrite.txt")
    local got = {}
    for _, s in ipairs(sources.list(buf)) do
      got[#got + 1] = s.path:sub(#dir + 2) .. ":" .. s.origin
    end
    assert.are.same({ "wire/a.md:project" }, got)
  end)

  it("a .verbatim file of binary junk gives a source list", function()
    local dir = h.story()
    local junk = {}
    for i = 0, 2047 do
      junk[#junk + 1] = string.char((i * 151 + 17) % 256)
    end
    h.write(dir .. "/.verbatim", table.concat(junk))
    local buf = h.edit(dir .. "/rewrite.txt")
    local ok, res = pcall(sources.list, buf)
    assert.is_true(ok, tostring(res))
    assert.equals("table", type(res))
  end)
end)
