-- verbatim.jump: from the quotation under the cursor to its counterparts in
-- the other documents; repeating cycles through them; jump_back returns.
local highlight = require("verbatim.highlight")
local story = require("verbatim.story")
local text = require("verbatim.text")

local M = {}

local last = nil -- { targets, index, landing = { buf, row, col, erow, ecol } }
local origins = {} -- stack of { buf, row, col } to return to

local say = require("verbatim.message").say

-- The innermost quotation of `state` around byte `offset`, with its
-- matches and status, or nil.
function M.quote_at(state, offset)
  local best
  for _, info in ipairs(highlight.quote_info(state)) do
    local q = info.quote
    if q.start <= offset and offset < q.stop then
      if not best or q.stop - q.start < best.quote.stop - best.quote.start then
        best = info
      end
    end
  end
  return best
end

local function cursor_offset(state)
  local row, col = unpack(vim.api.nvim_win_get_cursor(0))
  return story.offset(state, row - 1, col)
end

-- Make `doc` (a doc info of the story) the current buffer; returns bufnr.
function M.open_doc(doc)
  local target = doc.bufnr
  if target and vim.api.nvim_buf_is_valid(target) then
    if vim.api.nvim_get_current_buf() ~= target then
      local ok = pcall(vim.cmd, "buffer " .. target)
      if not ok then
        vim.cmd("sbuffer " .. target)
      end
    end
    return target
  end
  if doc.path then
    local ok = pcall(vim.cmd, "edit " .. vim.fn.fnameescape(doc.path))
    if not ok then
      vim.cmd("split " .. vim.fn.fnameescape(doc.path))
    end
    return vim.api.nvim_get_current_buf()
  end
  return nil
end

-- Move to byte range [start, stop) of `doc` in `state`, with a jumplist
-- entry so <C-o> returns. Returns the landing place.
function M.goto_range(state, doc_id, start, stop)
  local doc = story.doc(state, doc_id)
  if not doc then
    return nil
  end
  local row, col = story.pos(state, doc_id, start)
  local erow, ecol = story.pos(state, doc_id, stop)
  vim.cmd("normal! m'")
  local buf = M.open_doc(doc)
  if not buf then
    return nil
  end
  if vim.bo[buf].fileencoding ~= "" and vim.bo[buf].fileencoding ~= "utf-8" then
    -- the file was read as a single-byte encoding and converted to UTF-8:
    -- the core's byte column counts characters of the file
    local line = vim.api.nvim_buf_get_lines(buf, row, row + 1, false)[1] or ""
    col = text.char_to_byte(line, col)
    local eline = vim.api.nvim_buf_get_lines(buf, erow, erow + 1, false)[1] or ""
    ecol = text.char_to_byte(eline, ecol)
  end
  row, col = text.clamp(buf, row, col)
  vim.api.nvim_win_set_cursor(0, { row + 1, col })
  return { buf = buf, row = row, col = col, erow = erow, ecol = ecol }
end

local function at_landing(landing)
  if not landing or vim.api.nvim_get_current_buf() ~= landing.buf then
    return false
  end
  local row, col = unpack(vim.api.nvim_win_get_cursor(0))
  row = row - 1
  local after_start = row > landing.row or (row == landing.row and col >= landing.col)
  local before_end = row < landing.erow or (row == landing.erow and col < landing.ecol)
  return after_start and (before_end or (row == landing.row and col == landing.col))
end

local function describe(state, m, index, count)
  local doc = story.doc(state, m.doc)
  local row, col = story.pos(state, m.doc, m.start)
  local parts = {
    ("verbatim: [%d/%d] %s:%d:%d %s"):format(index, count, doc and doc.name or "?", row + 1, col + 1, m.relation),
  }
  if m.diff and m.diff ~= "" then
    parts[#parts + 1] = ": " .. m.diff
  end
  if m.speaker then
    parts[#parts + 1] = " (" .. m.speaker .. ")"
  end
  return table.concat(parts)
end

local function go(entry)
  local m = entry.targets[entry.index]
  local landing = M.goto_range(entry.state, m.doc, m.start, m.stop)
  if not landing then
    say("verbatim: cannot open " .. tostring((story.doc(entry.state, m.doc) or {}).name), vim.log.levels.WARN)
    return nil
  end
  entry.landing = landing
  local msg = describe(entry.state, m, entry.index, #entry.targets)
  say(msg)
  return { doc = m.doc, relation = m.relation, diff = m.diff, index = entry.index, count = #entry.targets, message = msg }
end

-- :Verbatim jump
function M.jump()
  if last and at_landing(last.landing) and #last.targets > 1 then
    last.index = last.index % #last.targets + 1
    return go(last)
  end
  local buf = vim.api.nvim_get_current_buf()
  local state, reason, kind = story.analyze(buf)
  if not state then
    say("verbatim: " .. tostring(reason), kind ~= "skip" and vim.log.levels.WARN or nil)
    return nil
  end
  local info = M.quote_at(state, cursor_offset(state))
  if not info then
    say("verbatim: no quotation under the cursor")
    return nil
  end
  local targets = {}
  for _, m in ipairs(info.matches) do
    if m.doc ~= state.self.id then
      targets[#targets + 1] = m
    end
  end
  if #targets == 0 then
    local why = info.status == "term" and "a name or term in quotation marks, not speech" or "no source has it"
    say("verbatim: no counterpart for this quotation (" .. why .. ")")
    return nil
  end
  local row, col = unpack(vim.api.nvim_win_get_cursor(0))
  origins[#origins + 1] = { buf = buf, row = row, col = col }
  last = { state = state, targets = targets, index = 1 }
  return go(last)
end

-- :Verbatim jump-back: return to where the last jump started.
function M.jump_back()
  local o = table.remove(origins)
  if not o then
    say("verbatim: no jump to return from")
    return nil
  end
  last = nil
  if not vim.api.nvim_buf_is_valid(o.buf) then
    return M.jump_back()
  end
  vim.cmd("normal! m'")
  if vim.api.nvim_get_current_buf() ~= o.buf then
    local ok = pcall(vim.cmd, "buffer " .. o.buf)
    if not ok then
      vim.cmd("sbuffer " .. o.buf)
    end
  end
  local row, col = text.clamp(o.buf, o.row - 1, o.col)
  vim.api.nvim_win_set_cursor(0, { row + 1, col })
  return o
end

function M.reset()
  last, origins = nil, {}
end

return M
