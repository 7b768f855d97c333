-- The editor layer on the example story, driven by tests/nvim/fake_core.lua
-- (same interface as the C core, simple fixed rules), so jump, fix, the
-- sidebar, diagnostics and highlights are tested whatever the core's
-- heuristics find. story_spec.lua runs the same paths on the real core.
local root = os.getenv("VB_ROOT") or "."
package.preload["verbatim.core"] = function()
  return dofile(root .. "/tests/nvim/fake_core.lua")
end
local h = dofile(root .. "/tests/nvim/helpers.lua")

local function diags(buf)
  local got = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    got[#got + 1] = (d.lnum + 1) .. ":" .. d.code
  end
  table.sort(got)
  return got
end

local function groups_on_line(buf, ns_name, line)
  local ns = require("verbatim.highlight").ns[ns_name]
  local out = {}
  for _, m in ipairs(vim.api.nvim_buf_get_extmarks(buf, ns, { line - 1, 0 }, { line - 1, -1 }, { details = true })) do
    out[#out + 1] = m[4].hl_group or (m[4].virt_text and m[4].virt_text[1][1])
  end
  return out
end

local function tail(buf)
  return vim.fn.fnamemodify(vim.api.nvim_buf_get_name(buf or 0), ":t")
end

describe("editor layer", function()
  before_each(h.reset)

  it("uses the stand-in core", function()
    assert.equals("0.0.0-fake", require("verbatim.binding").get().version())
  end)

  it("publishes diagnostics on :w with rule codes, source and related locations", function()
    local dir = h.story()
    local buf = h.edit(dir .. "/rewrite.txt")
    assert.are.same({}, vim.diagnostic.get(buf))
    vim.cmd("silent write")
    local got = diags(buf)
    assert.truthy(vim.tbl_contains(got, "5:quote-unsourced"), table.concat(got, " "))
    assert.truthy(vim.tbl_contains(got, "6:quote-altered"), table.concat(got, " "))
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      assert.equals("verbatim", d.source)
      if d.code == "quote-altered" then
        assert.matches("%(see %a+%.txt:%d+:%d+%)$", d.message)
        assert.is_nil(d.message:find("\n", 1, true))
        assert.equals(1, #d.user_data.related)
      end
    end
    -- they reach the quickfix list like any linter's
    vim.diagnostic.setqflist({ open = false })
    local qf = vim.fn.getqflist()
    assert.is_true(#qf >= 2)
    assert.equals(buf, qf[1].bufnr)
  end)

  it("checks on InsertLeave when configured, and not at all when off", function()
    local dir = h.story()
    require("verbatim").setup({ check_on = { "BufWritePost", "InsertLeave" } })
    local buf = h.edit(dir .. "/rewrite.txt")
    vim.cmd("doautocmd InsertLeave")
    assert.is_true(#vim.diagnostic.get(buf) > 0)
    h.reset()
    require("verbatim").setup({ check_on = false })
    buf = h.edit(dir .. "/rewrite.txt")
    vim.cmd("silent write")
    assert.equals(0, #vim.diagnostic.get(buf))
    vim.cmd("Verbatim check")
    assert.is_true(#vim.diagnostic.get(buf) > 0)
    require("verbatim").setup({})
  end)

  it("refreshes highlights after an edit, debounced", function()
    local dir = h.story()
    local buf = h.edit(dir .. "/rewrite.txt")
    vim.cmd("Verbatim check")
    assert.are.same({ "VerbatimQuoteAltered" }, groups_on_line(buf, "quotes", 6))
    vim.api.nvim_buf_set_lines(buf, 5, 6, false, { 'Osei said: "We were lucky this morning, and luck is not a safety policy."' })
    vim.cmd("doautocmd TextChanged")
    assert.is_true(vim.wait(2000, function()
      return vim.deep_equal(groups_on_line(buf, "quotes", 6), { "VerbatimQuoteVerbatim" })
    end, 20))
  end)

  it("redraws a visible buffer when one of its sources is edited", function()
    local dir = h.story()
    local buf = h.edit(dir .. "/rewrite.txt")
    vim.cmd("Verbatim check")
    assert.truthy(vim.tbl_contains(groups_on_line(buf, "quotes", 5), "VerbatimQuoteUnsourced"))
    vim.cmd("silent split " .. vim.fn.fnameescape(dir .. "/original.txt"))
    local orig = vim.api.nvim_get_current_buf()
    vim.cmd("Verbatim check")
    vim.api.nvim_buf_set_lines(orig, 0, 0, false, { "Varga said: “We will not let this happen again on my watch.”" })
    vim.cmd("doautocmd TextChanged")
    assert.is_true(vim.wait(2000, function()
      return vim.tbl_contains(groups_on_line(buf, "quotes", 5), "VerbatimQuoteVerbatim")
    end, 20))
  end)

  it("highlights quotations by status and entities by type", function()
    local dir = h.story()
    local buf = h.edit(dir .. "/rewrite.txt")
    vim.cmd("silent write")
    assert.are.same({ "VerbatimQuoteVerbatim" }, groups_on_line(buf, "quotes", 3))
    assert.truthy(vim.tbl_contains(groups_on_line(buf, "quotes", 5), "VerbatimQuoteUnsourced"))
    assert.are.same({ "VerbatimQuoteAltered" }, groups_on_line(buf, "quotes", 6))
    assert.truthy(vim.tbl_contains(groups_on_line(buf, "quotes", 14), "VerbatimQuoteTerm"))
    assert.truthy(vim.tbl_contains(groups_on_line(buf, "entities", 3), "VerbatimPerson"))
    assert.truthy(vim.tbl_contains(groups_on_line(buf, "entities", 2), "VerbatimNumber"))
  end)

  it("links its groups with default = true and restores them after a colorscheme", function()
    local dir = h.story()
    h.edit(dir .. "/rewrite.txt")
    local function link(group)
      return vim.fn.execute("highlight " .. group):match("links to (%S+)")
    end
    for group, target in pairs(require("verbatim.highlight").links) do
      assert.equals(target, link(group), group)
    end
    -- a user's definition wins over the default link
    vim.cmd("highlight VerbatimPerson guifg=#ff0000")
    require("verbatim.highlight").define()
    assert.is_nil(link("VerbatimPerson"))
    -- a colorscheme clears everything; the links come back
    vim.cmd("highlight clear VerbatimPerson")
    vim.cmd("colorscheme default")
    assert.equals("Identifier", link("VerbatimPerson"))
    assert.equals("DiffText", link("VerbatimSidebarDiff"))
  end)

  it("shows speakers as end-of-line text on request", function()
    require("verbatim").setup({ highlights = { speakers = true } })
    local dir = h.story()
    local buf = h.edit(dir .. "/original.txt")
    vim.cmd("Verbatim check")
    assert.are.same({ "— Varga" }, groups_on_line(buf, "speakers", 3))
    require("verbatim").setup({})
  end)

  it("jumps to the counterpart, cycles through all, <C-o> and jump-back return", function()
    local dir = h.story()
    local copy = h.edit(dir .. "/copy.txt")
    local row = h.cursor_on("We were lucky", 5)
    local first = require("verbatim").jump()
    assert.equals(2, first.count)
    assert.equals("verbatim", first.relation)
    assert.matches("%[1/2%] %a+%.txt:3:%d+ verbatim", first.message)
    local name1 = tail()
    assert.truthy(vim.api.nvim_get_current_line():find("We were lucky", 1, true))
    local col = vim.api.nvim_win_get_cursor(0)[2]
    assert.truthy(vim.api.nvim_get_current_line():sub(col + 1):find("^“We were lucky"))
    require("verbatim").jump()
    local name2 = tail()
    assert.are_not.equal(name1, name2)
    assert.truthy(vim.api.nvim_get_current_line():find("We were lucky", 1, true))
    require("verbatim").jump()
    assert.equals(name1, tail())
    vim.api.nvim_feedkeys(vim.api.nvim_replace_termcodes("<C-o>", true, false, true), "x", false)
    assert.equals(name2, tail())
    h.reset()
    copy = h.edit(dir .. "/copy.txt")
    h.cursor_on("We were lucky", 5)
    require("verbatim").jump()
    vim.api.nvim_feedkeys(vim.api.nvim_replace_termcodes("<C-o>", true, false, true), "x", false)
    assert.equals(copy, vim.api.nvim_get_current_buf())
    assert.equals(row, vim.api.nvim_win_get_cursor(0)[1])
    require("verbatim").jump()
    vim.api.nvim_feedkeys(vim.api.nvim_replace_termcodes("<Plug>(verbatim-jump-back)", true, false, true), "x", false)
    assert.equals(copy, vim.api.nvim_get_current_buf())
    assert.equals(row, vim.api.nvim_win_get_cursor(0)[1])
  end)

  it("says so when there is no counterpart or no quotation", function()
    local dir = h.story()
    local buf = h.edit(dir .. "/rewrite.txt")
    h.cursor_on("We will not let", 2)
    local msgs = {}
    local echo = vim.api.nvim_echo
    vim.api.nvim_echo = function(chunks, ...)
      msgs[#msgs + 1] = chunks[1][1]
      return echo(chunks, ...)
    end
    assert.is_nil(require("verbatim").jump())
    h.cursor_on("Dock workers ran")
    assert.is_nil(require("verbatim").jump())
    vim.api.nvim_echo = echo
    assert.equals(buf, vim.api.nvim_get_current_buf())
    assert.matches("no counterpart", msgs[1])
    assert.matches("no quotation under the cursor", msgs[2])
  end)

  it("fixes an altered quote in one undo step", function()
    local dir = h.story()
    local buf = h.edit(dir .. "/rewrite.txt")
    local before = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
    h.cursor_on("by Friday to see")
    assert.is_true(require("verbatim").fix())
    local line = vim.api.nvim_buf_get_lines(buf, 5, 6, false)[1]
    assert.truthy(line:find("“The minister has asked for every maintenance record since 2019 to be on her desk by Friday in order to see who signed off on this crane,” Daniel Osei", 1, true), line)
    assert.equals(#before, vim.api.nvim_buf_line_count(buf))
    vim.cmd("silent write")
    assert.is_false(vim.tbl_contains(diags(buf), "6:quote-altered"))
    vim.cmd("normal! u")
    assert.are.same(before, vim.api.nvim_buf_get_lines(buf, 0, -1, false))
  end)

  it("does not touch a quote that is not altered", function()
    local dir = h.story()
    local buf = h.edit(dir .. "/rewrite.txt")
    local tick = vim.api.nvim_buf_get_changedtick(buf)
    h.cursor_on("We were lucky")
    assert.is_false(require("verbatim").fix())
    h.cursor_on("Dock workers ran")
    assert.is_false(require("verbatim").fix())
    assert.equals(tick, vim.api.nvim_buf_get_changedtick(buf))
  end)

  it("lists related passages in the sidebar; <CR> jumps, p previews, q closes", function()
    local dir = h.story()
    local copy = h.edit(dir .. "/copy.txt")
    local src_win = vim.api.nvim_get_current_win()
    h.cursor_on("A gantry crane 60 metres")
    local sidebar = require("verbatim.sidebar")
    vim.cmd("Verbatim sidebar")
    local S = sidebar.state
    assert.is_true(sidebar.is_open())
    assert.equals(src_win, vim.api.nvim_get_current_win())
    assert.equals(48, vim.api.nvim_win_get_width(S.win))
    assert.is_true(vim.wo[S.win].winfixwidth)
    assert.equals("nofile", vim.bo[S.buf].buftype)
    assert.is_false(vim.bo[S.buf].modifiable)
    local lines = vim.api.nvim_buf_get_lines(S.buf, 0, -1, false)
    local text = table.concat(lines, "\n")
    assert.matches("verbatim %d+%% · rewritten %d+%% · new %d+%%", text)
    assert.matches("paragraph at line 3", text, 1, true)
    assert.matches("1%. %a+%.txt:2  0%.%d%d  %a+", text)
    -- differing words are highlighted
    local diffs = 0
    for _, m in ipairs(vim.api.nvim_buf_get_extmarks(S.buf, sidebar.ns, 0, -1, { details = true })) do
      if m[4].hl_group == "VerbatimSidebarDiff" then
        diffs = diffs + 1
      end
    end
    assert.is_true(diffs > 0)
    local target
    for i, l in ipairs(lines) do
      if l:find("original.txt:2", 1, true) then
        target = i
      end
    end
    assert.is_number(target)
    vim.api.nvim_set_current_win(S.win)
    vim.api.nvim_win_set_cursor(S.win, { target + 1, 0 })
    vim.api.nvim_feedkeys("p", "x", false)
    local preview
    for _, w in ipairs(vim.api.nvim_list_wins()) do
      if vim.wo[w].previewwindow then
        preview = w
      end
    end
    assert.is_number(preview)
    assert.equals("original.txt", tail(vim.api.nvim_win_get_buf(preview)))
    assert.equals(S.win, vim.api.nvim_get_current_win())
    vim.cmd("pclose")
    vim.api.nvim_win_set_cursor(S.win, { target, 0 })
    vim.api.nvim_feedkeys("\r", "x", false)
    assert.equals(src_win, vim.api.nvim_get_current_win())
    assert.equals("original.txt", tail())
    assert.equals(2, vim.api.nvim_win_get_cursor(0)[1])
    vim.api.nvim_feedkeys(vim.api.nvim_replace_termcodes("<C-o>", true, false, true), "x", false)
    assert.equals(copy, vim.api.nvim_get_current_buf())
    vim.api.nvim_set_current_win(S.win)
    vim.api.nvim_feedkeys("q", "x", false)
    assert.is_false(sidebar.is_open())
  end)

  it("follows the cursor and focuses the quotation under it", function()
    local dir = h.story()
    h.edit(dir .. "/copy.txt")
    h.cursor_on("A gantry crane 60 metres")
    local sidebar = require("verbatim.sidebar")
    sidebar.open()
    local S = sidebar.state
    local function text()
      return table.concat(vim.api.nvim_buf_get_lines(S.buf, 0, -1, false), "\n")
    end
    h.cursor_on("Osei said ships due")
    vim.cmd("doautocmd CursorMoved")
    assert.is_true(vim.wait(2000, function()
      return text():find("paragraph at line 29", 1, true) ~= nil
    end, 20))
    h.cursor_on("We were lucky", 3)
    vim.cmd("doautocmd CursorMoved")
    assert.is_true(vim.wait(2000, function()
      return text():find("quotation at line 5", 1, true) ~= nil
    end, 20))
    -- the timing figure used by the bench: a forced refresh
    local n = sidebar.refresh(true)
    assert.is_true(n >= 1)
  end)

  it("toggle removes highlights and diagnostics", function()
    local dir = h.story()
    local buf = h.edit(dir .. "/rewrite.txt")
    vim.cmd("silent write")
    assert.is_true(#vim.diagnostic.get(buf) > 0)
    vim.cmd("Verbatim toggle")
    assert.equals(0, #vim.diagnostic.get(buf))
    assert.are.same({}, groups_on_line(buf, "quotes", 6))
    vim.cmd("silent write")
    assert.equals(0, #vim.diagnostic.get(buf))
  end)

  it("sees unsaved changes of a source loaded in another buffer", function()
    local dir = h.story()
    local orig = h.edit(dir .. "/original.txt")
    vim.api.nvim_buf_set_lines(orig, 5, 6, false, { "Nothing quoted here any more." })
    local buf = h.edit(dir .. "/rewrite.txt")
    vim.cmd("Verbatim check")
    -- only copy.txt still has the quote: the altered quote now points there
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      if d.code == "quote-altered" then
        assert.matches("see copy%.txt:11:", d.message)
      end
    end
  end)
end)

describe("a source in Windows-1252", function()
  it("lands on the right column when the file is read as latin1", function()
    h.reset()
    local dir = h.story({ "copy.txt" })
    -- "Café Müller" in cp1252 bytes, then a quote
    h.write(dir .. "/wire.txt", "At Caf\233 M\252ller, \"We were lucky this morning, and luck is not a safety policy,\" she said.\n")
    h.edit(dir .. "/copy.txt")
    h.cursor_on("We were lucky", 3)
    local res = require("verbatim").jump()
    assert.is_table(res)
    assert.equals("wire.txt", vim.fn.fnamemodify(vim.api.nvim_buf_get_name(0), ":t"))
    local line = vim.api.nvim_get_current_line()
    local col = vim.api.nvim_win_get_cursor(0)[2]
    assert.equals('"We were lucky', line:sub(col + 1, col + 14))
  end)
end)
