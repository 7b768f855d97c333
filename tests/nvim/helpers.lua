-- Helpers shared by the Neovim specs.
local M = {}

M.root = os.getenv("VB_ROOT") or vim.fn.getcwd()
M.story_src = M.root .. "/examples/story"

local function read(path)
  local f = assert(io.open(path, "rb"))
  local data = f:read("*a")
  f:close()
  return data
end
M.read = read

function M.write(path, data)
  local f = assert(io.open(path, "wb"))
  f:write(data)
  f:close()
end

-- A fresh copy of the example story in a temporary folder; returns its path.
function M.story(files)
  local dir = vim.fn.tempname()
  vim.fn.mkdir(dir, "p")
  for _, name in ipairs(files or { "original.txt", "copy.txt", "rewrite.txt" }) do
    M.write(dir .. "/" .. name, read(M.story_src .. "/" .. name))
  end
  return dir
end

-- Close every buffer and window verbatim or a test opened.
function M.reset()
  if package.loaded["verbatim.sidebar"] then
    require("verbatim.sidebar").close()
  end
  if package.loaded["verbatim.jump"] then
    require("verbatim.jump").reset()
  end
  vim.cmd("silent! only")
  vim.cmd("silent! %bwipeout!")
  vim.v.errmsg = ""
end

function M.edit(path)
  vim.cmd("silent edit " .. vim.fn.fnameescape(path))
  return vim.api.nvim_get_current_buf()
end

-- 1-based line of the first line of the buffer containing `needle`.
function M.line_of(buf, needle)
  for i, l in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
    if l:find(needle, 1, true) then
      return i
    end
  end
  error("not in buffer: " .. needle)
end

-- Put the cursor on `needle` (first occurrence) in the current window.
function M.cursor_on(needle, shift)
  local buf = vim.api.nvim_get_current_buf()
  local row = M.line_of(buf, needle)
  local line = vim.api.nvim_buf_get_lines(buf, row - 1, row, false)[1]
  local col = line:find(needle, 1, true) - 1 + (shift or 0)
  vim.api.nvim_win_set_cursor(0, { row, col })
  return row, col
end

-- Record vim.notify calls and error messages while running fn.
function M.capture(fn)
  local notes = {}
  local orig = vim.notify
  vim.notify = function(msg, level)
    notes[#notes + 1] = { msg = msg, level = level or vim.log.levels.INFO }
  end
  vim.v.errmsg = ""
  local ok, err = pcall(fn)
  vim.notify = orig
  return ok, err, notes, vim.v.errmsg
end

-- Whether the C core already does `feature` on the example story (the core
-- is developed alongside the plugin: specs that need real findings report
-- themselves pending until it does).
function M.core_has(feature)
  local core = require("verbatim.core")
  local c = core.new()
  local orig = c:add("original.txt", read(M.story_src .. "/original.txt"), core.SOURCE)
  local rw = c:add("rewrite.txt", read(M.story_src .. "/rewrite.txt"))
  local copy = c:add("copy.txt", read(M.story_src .. "/copy.txt"))
  local result
  if feature == "quotes" then
    result = #c:quotes(orig) > 0
  elseif feature == "entities" then
    result = #c:entities(orig) > 0
  elseif feature == "diagnostics" then
    -- the story's findings are mostly about quotations
    result = #c:quotes(orig) > 0 and #c:check(rw).diagnostics > 0
  elseif feature == "matches" then
    local n = 0
    for _, q in ipairs(c:check(copy).quotes) do
      n = n + #q.matches
    end
    result = n > 0
  elseif feature == "related" then
    local s, e = c:paragraph(copy, 10)
    result = #c:related(copy, s, e, 5) > 0
  else
    error("unknown feature " .. feature)
  end
  c:free()
  return result
end

return M
