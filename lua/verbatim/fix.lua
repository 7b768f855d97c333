-- verbatim.fix: replace the words of an altered quotation with the source's
-- wording. The only part of verbatim that edits a buffer, and only when
-- asked; the change is one undo step.
local jump = require("verbatim.jump")
local story = require("verbatim.story")

local M = {}

local say = require("verbatim.message").say

local function strip_marks(s)
  local marks = { '"', "'", "“", "”", "‘", "’", "«", "»", "„" }
  local changed = true
  while changed do
    changed = false
    for _, m in ipairs(marks) do
      if s:sub(1, #m) == m then
        s, changed = s:sub(#m + 1), true
      end
      if #s >= #m and s:sub(-#m) == m then
        s, changed = s:sub(1, -#m - 1), true
      end
    end
  end
  return s
end

-- The words inside the source's quotation marks for match `m`.
function M.source_words(state, m)
  local doc = story.doc(state, m.doc)
  if not doc then
    return nil
  end
  local ok, quotes = pcall(state.corpus.quotes, state.corpus, m.doc)
  local best, overlap = nil, 0
  for _, q in ipairs(ok and quotes or {}) do
    local o = math.min(q.stop, m.stop) - math.max(q.start, m.start)
    if o > overlap then
      best, overlap = q, o
    end
  end
  if best and best.start <= m.start and m.stop <= best.stop and (m.start > best.start or m.stop < best.stop) then
    -- the counterpart is a fragment of a longer quotation: take the fragment
    return strip_marks(doc.bytes:sub(m.start + 1, m.stop))
  end
  if best then
    return doc.bytes:sub(best.inner_start + 1, best.inner_stop)
  end
  return strip_marks(doc.bytes:sub(m.start + 1, m.stop))
end

-- :Verbatim fix
function M.fix()
  local buf = vim.api.nvim_get_current_buf()
  if not vim.bo[buf].modifiable then
    say("verbatim: buffer is not modifiable", vim.log.levels.WARN)
    return false
  end
  local state, reason, kind = story.analyze(buf)
  if not state then
    say("verbatim: " .. tostring(reason), kind ~= "skip" and vim.log.levels.WARN or nil)
    return false
  end
  local row, col = unpack(vim.api.nvim_win_get_cursor(0))
  local info = jump.quote_at(state, story.offset(state, row - 1, col))
  if not info then
    say("verbatim: no quotation under the cursor")
    return false
  end
  local m
  for _, cand in ipairs(info.matches) do
    if cand.doc ~= state.self.id and cand.relation == "altered" then
      m = cand
      break
    end
  end
  if not m then
    say(("verbatim: nothing to fix (this quotation is %s)"):format(info.status))
    return false
  end
  local words = M.source_words(state, m)
  if not words or words == "" then
    say("verbatim: the source's wording could not be found", vim.log.levels.WARN)
    return false
  end
  local q = info.quote
  local self_id = state.self.id
  local current = state.self.bytes:sub(q.inner_start + 1, q.inner_stop)
  if not current:find("\n", 1, true) then
    words = words:gsub("%s*\r?\n%s*", " ")
  end
  local srow, scol = story.pos(state, self_id, q.inner_start)
  local erow, ecol = story.pos(state, self_id, q.inner_stop)
  vim.api.nvim_buf_set_text(buf, srow, scol, erow, ecol, vim.split(words, "\n", { plain = true }))
  local doc = story.doc(state, m.doc)
  say(("verbatim: quotation now reads as in %s"):format(doc and doc.name or "the source"))
  return true
end

return M
