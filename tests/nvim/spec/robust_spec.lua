-- Bad input in the editor: no error message, no hang, no change to the text.
local h = dofile((os.getenv("VB_ROOT") or ".") .. "/tests/nvim/helpers.lua")

local function quietly(fn)
  local ok, err, notes, errmsg = h.capture(fn)
  assert.is_true(ok, tostring(err))
  assert.equals("", errmsg)
  for _, n in ipairs(notes) do
    assert.is_true(n.level < vim.log.levels.WARN, "message: " .. tostring(n.msg))
  end
end

local function exercise(buf)
  vim.cmd("silent write")
  vim.cmd("Verbatim check")
  require("verbatim").refresh(buf)
  vim.cmd("Verbatim jump")
  vim.cmd("Verbatim fix")
  vim.cmd("Verbatim sidebar")
  vim.cmd("Verbatim sidebar")
  vim.cmd("Verbatim sources")
end

describe("bad input", function()
  before_each(h.reset)

  it("an empty buffer", function()
    local dir = h.story()
    local path = dir .. "/empty.txt"
    h.write(path, "")
    quietly(function()
      local buf = h.edit(path)
      assert.is_true(require("verbatim").is_attached(buf))
      exercise(buf)
      vim.api.nvim_buf_set_lines(buf, 0, -1, false, { "" })
      exercise(buf)
    end)
  end)

  it("an unnamed scratch buffer", function()
    quietly(function()
      vim.cmd("enew")
      vim.bo.filetype = "markdown"
      vim.api.nvim_buf_set_lines(0, 0, -1, false, { 'She said "hello" twice.' })
      vim.cmd("Verbatim check")
      vim.cmd("Verbatim sidebar")
      vim.cmd("Verbatim sidebar")
    end)
  end)

  it("a binary file", function()
    local dir = h.story()
    local path = dir .. "/blob.txt"
    local bytes = {}
    for i = 0, 4095 do
      bytes[#bytes + 1] = string.char((i * 37 + 11) % 256)
    end
    h.write(path, table.concat(bytes) .. "\0\0\0\"\226\128\156")
    local before = h.read(path)
    quietly(function()
      vim.cmd("silent edit ++bin " .. vim.fn.fnameescape(path))
      local buf = vim.api.nvim_get_current_buf()
      vim.bo[buf].filetype = "text"
      exercise(buf)
    end)
    assert.equals(before, h.read(path))
  end)

  it("a 10 MB one-line file", function()
    local dir = h.story()
    local path = dir .. "/huge.txt"
    local chunk = 'The minister said "we will look at it" on Tuesday in Castellan. '
    h.write(path, chunk:rep(math.ceil(10 * 1024 * 1024 / #chunk)))
    local start = vim.loop.hrtime()
    quietly(function()
      local buf = h.edit(path)
      assert.equals(1, vim.api.nvim_buf_line_count(buf))
      exercise(buf)
    end)
    assert.is_true((vim.loop.hrtime() - start) / 1e9 < 30, "took too long")
  end)

  it("a story whose source is the 10 MB file", function()
    local dir = h.story({ "copy.txt" })
    h.write(dir .. "/huge.txt", ("word "):rep(2 * 1024 * 1024))
    quietly(function()
      local buf = h.edit(dir .. "/copy.txt")
      exercise(buf)
    end)
  end)

  it("unbalanced quotes and NUL bytes typed into a buffer", function()
    local dir = h.story()
    quietly(function()
      local buf = h.edit(dir .. "/copy.txt")
      vim.api.nvim_buf_set_lines(buf, 2, 2, false, { '“open and never closed "', "nul\0here", "\255\254 bad utf-8" })
      exercise(buf)
      vim.wait(400)
    end)
  end)

  it("a missing core only warns once", function()
    local binding = require("verbatim.binding")
    assert.is_string(binding.build_hint)
    assert.matches("make", binding.build_hint)
  end)
end)
