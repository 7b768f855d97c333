-- verbatim.highlight: highlight groups and the inline marks for entities,
-- quotations (by status) and speakers. One namespace per feature.
local config = require("verbatim.config")
local story = require("verbatim.story")

local M = {}

M.ns = {
  entities = vim.api.nvim_create_namespace("verbatim_entities"),
  quotes = vim.api.nvim_create_namespace("verbatim_quotes"),
  speakers = vim.api.nvim_create_namespace("verbatim_speakers"),
}

-- Group -> standard group it links to (by default; a colorscheme or the
-- user may define it instead).
M.links = {
  VerbatimPerson = "Identifier",
  VerbatimOrg = "Type",
  VerbatimPlace = "Constant",
  VerbatimTitle = "Statement",
  VerbatimDate = "Number",
  VerbatimNumber = "Number",
  VerbatimMoney = "Number",
  VerbatimPercent = "Number",
  VerbatimEvent = "Special",
  VerbatimMisc = "Special",
  VerbatimQuoteVerbatim = "String",
  VerbatimQuoteAltered = "DiagnosticWarn",
  VerbatimQuoteParaphrase = "VerbatimQuoteAltered",
  VerbatimQuoteUnsourced = "DiagnosticError",
  VerbatimQuoteTerm = "Comment",
  VerbatimSpeaker = "Comment",
  VerbatimSidebarHeader = "Title",
  VerbatimSidebarDoc = "Directory",
  VerbatimSidebarScore = "Number",
  VerbatimSidebarRelation = "Type",
  VerbatimSidebarDiff = "DiffText",
}

M.entity_groups = {
  PERSON = "VerbatimPerson",
  ORG = "VerbatimOrg",
  PLACE = "VerbatimPlace",
  TITLE = "VerbatimTitle",
  DATE = "VerbatimDate",
  NUMBER = "VerbatimNumber",
  MONEY = "VerbatimMoney",
  PERCENT = "VerbatimPercent",
  EVENT = "VerbatimEvent",
  MISC = "VerbatimMisc",
}

M.quote_groups = {
  verbatim = "VerbatimQuoteVerbatim",
  altered = "VerbatimQuoteAltered",
  paraphrase = "VerbatimQuoteParaphrase",
  unsourced = "VerbatimQuoteUnsourced",
  term = "VerbatimQuoteTerm",
}

-- (Re)define the links; `default` keeps any existing definition.
function M.define()
  for group, link in pairs(M.links) do
    vim.cmd(("highlight default link %s %s"):format(group, link))
  end
end

-- Status of a quotation from its kind and its counterparts (best first).
function M.quote_status(kind, matches)
  if kind == "term" then
    return "term"
  end
  local best = matches and matches[1]
  if not best then
    return "unsourced"
  end
  local rel = best.relation
  if rel == "verbatim" or rel == "fragment" then
    return "verbatim"
  elseif rel == "unquoted" then
    return "paraphrase"
  end
  return "altered"
end

-- The buffer's quotations joined with their matches:
-- list of { quote = <core quote>, matches = {...}, status = "..." }.
-- Without a current check (the text changed since), a quotation keeps the
-- matches its words had at the last check; a new one has no status yet.
function M.quote_info(state)
  local ok, quotes = pcall(state.corpus.quotes, state.corpus, state.self.id)
  if not ok then
    return {}
  end
  local current = state.report ~= nil
  local by_start = {}
  if current then
    state.known = {}
    for _, q in ipairs(state.report.quotes or {}) do
      if q.doc == state.self.id then
        by_start[q.start] = q.matches
      end
    end
  end
  local known = state.known or {}
  local out = {}
  for i, q in ipairs(quotes) do
    local matches, status
    if current then
      matches = by_start[q.start] or {}
      known[q.text or ""] = matches
    else
      matches = known[q.text or ""]
    end
    if matches then
      status = M.quote_status(q.kind, matches)
    elseif q.kind == "term" then
      status = "term"
    end
    out[i] = { quote = q, matches = matches or {}, status = status }
  end
  return out
end

-- One options table reused for every mark: nvim_buf_set_extmark copies it,
-- and a buffer can have thousands of marks.
local mark_opts = { strict = false }

local function mark(buf, ns, state, start, stop, group, priority)
  local row, col = story.pos(state, state.self.id, start)
  mark_opts.end_row, mark_opts.end_col = story.pos(state, state.self.id, stop)
  mark_opts.hl_group, mark_opts.priority = group, priority
  pcall(vim.api.nvim_buf_set_extmark, buf, ns, row, col, mark_opts)
end

function M.clear(buf)
  for _, ns in pairs(M.ns) do
    pcall(vim.api.nvim_buf_clear_namespace, buf, ns, 0, -1)
  end
end

-- Draw every mark of `buf` from its analysed state.
function M.apply(buf, state)
  local opts = config.get().highlights
  M.clear(buf)
  if not state or not state.self or state.self.version ~= vim.api.nvim_buf_get_changedtick(buf) then
    return -- the text moved on since the analysis; the next refresh redraws
  end
  if opts.entities then
    local ok, ents = pcall(state.corpus.entities, state.corpus, state.self.id)
    for _, e in ipairs(ok and ents or {}) do
      mark(buf, M.ns.entities, state, e.start, e.stop, M.entity_groups[e.type] or "VerbatimMisc", 90)
    end
  end
  if opts.quotes or opts.speakers then
    local speakers, rows = {}, {}
    for _, info in ipairs(M.quote_info(state)) do
      local q = info.quote
      if opts.quotes and info.status then
        mark(buf, M.ns.quotes, state, q.start, q.stop, M.quote_groups[info.status], 100)
      end
      if opts.speakers and q.speaker and q.kind ~= "term" then
        local row = story.pos(state, state.self.id, q.stop)
        if not speakers[row] then
          speakers[row] = {}
          rows[#rows + 1] = row
        end
        if not vim.tbl_contains(speakers[row], q.speaker) then
          table.insert(speakers[row], q.speaker)
        end
      end
    end
    -- one end-of-line note per line, naming each speaker once
    for _, row in ipairs(rows) do
      pcall(vim.api.nvim_buf_set_extmark, buf, M.ns.speakers, row, 0, {
        virt_text = { { "— " .. table.concat(speakers[row], ", "), "VerbatimSpeaker" } },
        virt_text_pos = "eol",
      })
    end
  end
end

return M
