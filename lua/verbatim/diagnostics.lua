-- verbatim.diagnostics: publish the core's findings with vim.diagnostic
-- (source "verbatim", code = rule id, related locations in the message).
local config = require("verbatim.config")
local story = require("verbatim.story")

local M = {}

M.ns = vim.api.nvim_create_namespace("verbatim")

local severities = {
  error = vim.diagnostic.severity.ERROR,
  warning = vim.diagnostic.severity.WARN,
  info = vim.diagnostic.severity.INFO,
  hint = vim.diagnostic.severity.HINT,
}

-- "original.txt:12:5" for a location in the story.
function M.location_label(state, loc)
  local d = story.doc(state, loc.doc)
  local row, col = story.pos(state, loc.doc, loc.start)
  return ("%s:%d:%d"):format(d and d.name or ("doc " .. loc.doc), row + 1, col + 1)
end

-- vim.diagnostic items for the buffer's own document.
function M.items(state)
  local opts = config.get().diagnostics
  local out = {}
  local self_id = state.self.id
  for _, d in ipairs(state.report and state.report.diagnostics or {}) do
    if d.doc == self_id and severities[d.severity] then
      local lnum, col = story.pos(state, self_id, d.start)
      local end_lnum, end_col = story.pos(state, self_id, d.stop)
      local message = d.message or d.rule
      local related, seen = {}, {}
      for _, loc in ipairs(d.related or {}) do
        local row, c = story.pos(state, loc.doc, loc.start)
        local doc = story.doc(state, loc.doc)
        related[#related + 1] = {
          name = doc and doc.name,
          path = doc and doc.path,
          bufnr = doc and doc.bufnr,
          lnum = row,
          col = c,
        }
        if opts.related then
          -- name each related place once, on the same line (quickfix
          -- and virtual text show one line); skip places the core's
          -- message already names
          local label = M.location_label(state, loc)
          local short = label:match("^(.*:%d+):%d+$")
          if not message:find(short, 1, true) then
            seen[#seen + 1] = label
          end
        end
      end
      if #seen > 0 then
        message = message .. " (see " .. table.concat(seen, ", ") .. ")"
      end
      out[#out + 1] = {
        lnum = lnum,
        col = col,
        end_lnum = end_lnum,
        end_col = end_col,
        severity = severities[d.severity],
        message = message,
        source = "verbatim",
        code = d.rule,
        user_data = { rule = d.rule, related = related },
      }
    end
  end
  return out
end

function M.publish(buf, state)
  if not config.get().diagnostics.enabled then
    vim.diagnostic.reset(M.ns, buf)
    return {}
  end
  local items = M.items(state)
  vim.diagnostic.set(M.ns, buf, items)
  return items
end

function M.clear(buf)
  pcall(vim.diagnostic.reset, M.ns, buf)
end

return M
