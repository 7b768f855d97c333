-- verbatim.sidebar: a side window listing, for the paragraph or quotation
-- under the cursor, the related passages in the other documents. Follows
-- the cursor; <CR> jumps, p previews, q closes.
local config = require("verbatim.config")
local jump = require("verbatim.jump")
local story = require("verbatim.story")
local text = require("verbatim.text")

local M = {}

M.ns = vim.api.nvim_create_namespace("verbatim_sidebar")

local S = {
  win = nil, -- sidebar window
  buf = nil, -- sidebar buffer
  src_win = nil, -- window it follows
  src_buf = nil,
  key = nil, -- what is shown (to skip needless redraws)
  items = {}, -- sidebar line (1-based) -> passage
  timer = nil,
}
M.state = S

local function valid_win(w)
  return w ~= nil and vim.api.nvim_win_is_valid(w)
end

function M.is_open()
  return (valid_win(S.win) and S.buf and vim.api.nvim_buf_is_valid(S.buf) and vim.api.nvim_win_get_buf(S.win) == S.buf) == true
end

local function words_of(s)
  local set = {}
  for w in s:gmatch("[%w\128-\255]+") do
    set[w:lower()] = true
  end
  return set
end

local function pct(x)
  return ("%d%%"):format(math.floor((x or 0) * 100 + 0.5))
end

-- What the sidebar is about: the innermost quotation under the cursor, else
-- the paragraph. Returns start, stop, label.
local function focus(state, offset)
  local ok, quotes = pcall(state.corpus.quotes, state.corpus, state.self.id)
  local best
  for _, q in ipairs(ok and quotes or {}) do
    if q.kind ~= "term" and q.start <= offset and offset < q.stop then
      if not best or q.stop - q.start < best.stop - best.start then
        best = q
      end
    end
  end
  if best then
    return best.start, best.stop, "quotation"
  end
  local pok, s, e = pcall(state.corpus.paragraph, state.corpus, state.self.id, offset)
  if pok and s and e and e > s then
    return s, e, "paragraph"
  end
  return nil
end

local function set_lines(lines, marks)
  local buf = S.buf
  vim.bo[buf].modifiable = true
  vim.api.nvim_buf_set_lines(buf, 0, -1, false, lines)
  vim.bo[buf].modifiable = false
  vim.api.nvim_buf_clear_namespace(buf, M.ns, 0, -1)
  for _, m in ipairs(marks) do
    pcall(vim.api.nvim_buf_set_extmark, buf, M.ns, m[1], m[2], { end_col = m[3], hl_group = m[4], strict = false })
  end
end

-- Build the lines for `state` focused at byte `offset`.
function M.render(state, offset)
  local lines, marks, items = {}, {}, {}
  local function add(line, hl)
    lines[#lines + 1] = line
    if hl then
      marks[#marks + 1] = { #lines - 1, 0, #line, hl }
    end
  end
  add("verbatim: " .. state.self.name, "VerbatimSidebarHeader")
  if not state.align or state.align_version ~= state.self.version or state.align_docs ~= state.corpus:count() then
    local ok, a = pcall(state.corpus.align, state.corpus, state.self.id)
    state.align = ok and a or nil
    state.align_version = state.self.version
    state.align_docs = state.corpus:count()
  end
  local a = state.align
  if a then
    add(("verbatim %s · rewritten %s · new %s"):format(pct(a.verbatim), pct(a.rewrite), pct(a.fresh)))
  end
  add(("%d source%s"):format(state.corpus:count() - 1, state.corpus:count() == 2 and "" or "s"))
  add(string.rep("─", math.max(1, config.get().sidebar.width - 2)))

  local start, stop, what = focus(state, offset)
  if not start then
    add("(nothing under the cursor)")
    return lines, marks, items, "none"
  end
  local row = story.pos(state, state.self.id, start)
  add(("%s at line %d"):format(what, row + 1), "VerbatimSidebarHeader")
  local ok, passages = pcall(state.corpus.related, state.corpus, state.self.id, start, stop, config.get().sidebar.max_passages)
  if not ok then
    add("error: " .. tostring(passages))
    return lines, marks, items, what
  end
  local query = words_of(state.self.bytes:sub(start + 1, stop))
  local n = 0
  for _, p in ipairs(passages) do
    local doc = story.doc(state, p.doc)
    if doc and p.doc ~= state.self.id then
      n = n + 1
      add("")
      local prow = story.pos(state, p.doc, p.start)
      local name = ("%d. %s:%d"):format(n, doc.name, prow + 1)
      local score = ("%.2f"):format(p.score or 0)
      local head = ("%s  %s  %s"):format(name, score, p.relation)
      add(head)
      local l = #lines - 1
      marks[#marks + 1] = { l, 0, #name, "VerbatimSidebarDoc" }
      marks[#marks + 1] = { l, #name + 2, #name + 2 + #score, "VerbatimSidebarScore" }
      marks[#marks + 1] = { l, #name + 4 + #score, #head, "VerbatimSidebarRelation" }
      items[#lines] = p
      local body = "  " .. text.excerpt(doc.bytes, p.start, p.stop, 800)
      add(body)
      items[#lines] = p
      local bl = #lines - 1
      local pos = 1
      while true do
        local s, e = body:find("[%w\128-\255]+", pos)
        if not s then
          break
        end
        if not query[body:sub(s, e):lower()] then
          marks[#marks + 1] = { bl, s - 1, e, "VerbatimSidebarDiff" }
        end
        pos = e + 1
      end
    end
  end
  if n == 0 then
    add("")
    add("no related passage in the sources")
  end
  return lines, marks, items, what
end

-- Redraw for the cursor in the followed window. `force` redraws even when
-- the focus did not change. Returns the number of passages listed.
function M.refresh(force)
  if not M.is_open() or not valid_win(S.src_win) then
    return nil
  end
  local buf = vim.api.nvim_win_get_buf(S.src_win)
  if buf == S.buf then
    return nil
  end
  local state, reason = story.sync(buf)
  if not state then
    local key = "skip:" .. buf .. ":" .. tostring(reason)
    if key ~= S.key then
      S.key, S.items, S.state = key, {}, nil
      set_lines({ "verbatim", "", "not available here: " .. tostring(reason) }, { { 0, 0, 8, "VerbatimSidebarHeader" } })
    end
    return nil
  end
  local row, col = unpack(vim.api.nvim_win_get_cursor(S.src_win))
  local offset = story.offset(state, row - 1, col)
  local start = focus(state, offset)
  local key = table.concat({ buf, state.self.version, state.corpus:count(), tostring(start), start and "" or offset }, ":")
  if not force and key == S.key then
    return nil
  end
  S.key = key
  S.src_buf = buf
  S.state = state
  local lines, marks, items = M.render(state, offset)
  S.items = items
  set_lines(lines, marks)
  local count = 0
  for l, p in pairs(items) do
    if items[l + 1] ~= p then
      count = count + 1
    end
  end
  return count
end

local function schedule_refresh()
  if not S.timer then
    S.timer = (vim.uv or vim.loop).new_timer()
  end
  S.timer:stop()
  S.timer:start(
    math.min(config.get().debounce, 80),
    0,
    vim.schedule_wrap(function()
      pcall(M.refresh)
    end)
  )
end

-- The passage listed at the cursor in the sidebar.
local function passage_at_cursor()
  if not M.is_open() then
    return nil
  end
  local row = vim.api.nvim_win_get_cursor(S.win)[1]
  return S.items[row] or S.items[row + 1]
end

-- <CR>: jump to the passage in the followed window.
function M.open_passage()
  local p = passage_at_cursor()
  if not p or not S.state then
    return nil
  end
  if not valid_win(S.src_win) then
    S.src_win = nil
    for _, w in ipairs(vim.api.nvim_tabpage_list_wins(0)) do
      if w ~= S.win and not vim.wo[w].previewwindow and vim.api.nvim_win_get_config(w).relative == "" then
        S.src_win = w
        break
      end
    end
    if not S.src_win then
      vim.cmd((config.get().sidebar.position == "left" and "botright" or "topleft") .. " vsplit")
      S.src_win = vim.api.nvim_get_current_win()
    end
  end
  vim.api.nvim_set_current_win(S.src_win)
  return jump.goto_range(S.state, p.doc, p.start, p.stop)
end

-- p: show the passage in the preview window, keep the focus here.
function M.preview_passage()
  local p = passage_at_cursor()
  if not p or not S.state then
    return
  end
  local doc = story.doc(S.state, p.doc)
  local row = story.pos(S.state, p.doc, p.start)
  local target = doc.path or (doc.bufnr and vim.api.nvim_buf_get_name(doc.bufnr))
  if target and target ~= "" then
    pcall(vim.cmd, ("pedit +%d %s"):format(row + 1, vim.fn.fnameescape(target)))
  end
end

local function setup_buffer(buf)
  vim.bo[buf].buftype = "nofile"
  vim.bo[buf].bufhidden = "wipe"
  vim.bo[buf].swapfile = false
  vim.bo[buf].modifiable = false
  vim.bo[buf].filetype = "verbatim-sidebar"
  pcall(vim.api.nvim_buf_set_name, buf, "verbatim://sidebar")
  local function map(lhs, fn, desc)
    vim.keymap.set("n", lhs, fn, { buffer = buf, nowait = true, silent = true, desc = desc })
  end
  map("<CR>", M.open_passage, "verbatim: jump to passage")
  map("p", M.preview_passage, "verbatim: preview passage")
  map("q", M.close, "verbatim: close sidebar")
end

local function setup_window(win)
  local wo = vim.wo[win]
  wo.number = false
  wo.relativenumber = false
  wo.signcolumn = "no"
  wo.foldcolumn = "0"
  wo.wrap = true
  wo.linebreak = true
  wo.list = false
  wo.spell = false
  wo.winfixwidth = true
  wo.cursorline = true
  pcall(function()
    wo.fillchars = "eob: "
  end)
end

function M.open()
  if M.is_open() then
    return S.win
  end
  local src = vim.api.nvim_get_current_win()
  local opts = config.get().sidebar
  vim.cmd((opts.position == "left" and "topleft" or "botright") .. " " .. opts.width .. "vnew")
  S.win = vim.api.nvim_get_current_win()
  S.buf = vim.api.nvim_get_current_buf()
  setup_buffer(S.buf)
  setup_window(S.win)
  vim.api.nvim_win_set_width(S.win, opts.width)
  S.src_win = src
  S.key = nil
  local group = vim.api.nvim_create_augroup("verbatim_sidebar", { clear = true })
  vim.api.nvim_create_autocmd({ "CursorMoved", "CursorMovedI", "BufEnter", "TextChanged" }, {
    group = group,
    callback = function()
      local win = vim.api.nvim_get_current_win()
      if win == S.win then
        return
      end
      if vim.api.nvim_win_get_config(win).relative ~= "" or vim.bo.buftype ~= "" or vim.wo[win].previewwindow then
        return
      end
      S.src_win = win
      schedule_refresh()
    end,
  })
  vim.api.nvim_create_autocmd("WinClosed", {
    group = group,
    callback = function(ev)
      if tonumber(ev.match) == S.win then
        vim.schedule(M.close)
      end
    end,
  })
  vim.api.nvim_set_current_win(src)
  M.refresh(true)
  return S.win
end

function M.close()
  pcall(vim.api.nvim_del_augroup_by_name, "verbatim_sidebar")
  if S.timer then
    S.timer:stop()
  end
  if valid_win(S.win) and #vim.api.nvim_list_wins() > 1 then
    pcall(vim.api.nvim_win_close, S.win, true)
  end
  S.win, S.buf, S.key, S.items = nil, nil, nil, {}
end

function M.toggle()
  if M.is_open() then
    M.close()
  else
    M.open()
  end
end

return M
