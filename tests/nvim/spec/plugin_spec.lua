-- Commands, configuration, sources and health: what works before any
-- finding is made.
local h = dofile((os.getenv("VB_ROOT") or ".") .. "/tests/nvim/helpers.lua")

describe("plugin", function()
  before_each(h.reset)

  it("defines the command and <Plug> mappings without loading the core", function()
    assert.equals(2, vim.fn.exists(":Verbatim"))
    for _, lhs in ipairs({ "<Plug>(verbatim-jump)", "<Plug>(verbatim-jump-back)", "<Plug>(verbatim-sidebar)" }) do
      assert.is_true(vim.fn.maparg(lhs, "n") ~= "", lhs)
    end
    assert.is_nil(package.loaded["verbatim.core"])
    assert.is_nil(package.loaded["verbatim.story"])
  end)

  it("sets no keymaps of its own by default", function()
    for _, m in ipairs(vim.api.nvim_get_keymap("n")) do
      assert.is_nil(m.rhs and m.rhs:find("verbatim", 1, true) and not m.lhs:find("Plug", 1, true) and m.lhs or nil)
    end
  end)

  it("completes subcommands and sources actions", function()
    local c = vim.fn.getcompletion("Verbatim ", "cmdline")
    assert.are.same({ "check", "jump", "jump-back", "sidebar", "sources", "fix", "toggle" }, c)
    assert.are.same({ "sidebar", "sources" }, vim.fn.getcompletion("Verbatim s", "cmdline"))
    assert.are.same({ "add" }, vim.fn.getcompletion("Verbatim sources a", "cmdline"))
  end)

  it("attaches to prose buffers with no setup() call", function()
    local dir = h.story()
    local buf = h.edit(dir .. "/copy.txt")
    assert.equals("text", vim.bo[buf].filetype)
    assert.is_true(require("verbatim").is_attached(buf))
    local lua = h.edit(dir .. "/notes.lua")
    assert.is_false(require("verbatim").is_attached(lua))
  end)

  it("validates setup() options", function()
    local v = require("verbatim")
    assert.has_error(function()
      v.setup({ debounce = "soon" })
    end)
    assert.has_error(function()
      v.setup({ sidebar = { position = "top" } })
    end)
    assert.has_error(function()
      v.setup({ check_on = { "NoSuchEvent" } })
    end)
    local ok, err = pcall(v.setup, { core = { ["no.such.option"] = "1" } })
    assert.is_false(ok)
    assert.matches("no.such.option", err, 1, true)
    v.setup({ core = { ["rule.entity-unsupported"] = "off", ["limit.docs"] = 500 } })
    assert.are.same({ ["rule.entity-unsupported"] = "off", ["limit.docs"] = 500 }, require("verbatim.config").get().core)
    v.setup({ filetypes = { "markdown" }, check_on = { "BufWritePost", "InsertLeave" } })
    assert.are.same({ "markdown" }, require("verbatim.config").get().filetypes)
    v.setup({})
    assert.are.same(require("verbatim.config").defaults.filetypes, require("verbatim.config").get().filetypes)
  end)

  it("sets the default keymaps only when asked", function()
    require("verbatim").setup({ keymaps = true })
    assert.equals("<Plug>(verbatim-jump)", vim.fn.maparg("<leader>vj", "n"))
    vim.keymap.del("n", "<leader>vj")
    vim.keymap.del("n", "<leader>vk")
    vim.keymap.del("n", "<leader>vs")
    require("verbatim").setup({})
  end)

  it("toggles a buffer off and on", function()
    local dir = h.story()
    local buf = h.edit(dir .. "/copy.txt")
    vim.cmd("Verbatim toggle")
    assert.is_false(require("verbatim").is_attached(buf))
    vim.cmd("Verbatim toggle")
    assert.is_true(require("verbatim").is_attached(buf))
  end)
end)

describe("sources", function()
  local sources = require("verbatim.sources")
  before_each(h.reset)

  local function names(list)
    local out = {}
    for _, s in ipairs(list) do
      out[#out + 1] = vim.fn.fnamemodify(s.path, ":t") .. ":" .. s.origin
    end
    table.sort(out)
    return out
  end

  it("defaults to sibling files with the same extension", function()
    local dir = h.story()
    h.write(dir .. "/notes.md", "other extension\n")
    local buf = h.edit(dir .. "/rewrite.txt")
    assert.are.same({ "copy.txt:sibling", "original.txt:sibling" }, names(sources.list(buf)))
  end)

  it("includes other loaded prose buffers", function()
    local dir = h.story()
    local other = vim.fn.tempname() .. ".txt"
    h.write(other, "Elsewhere.\n")
    h.edit(other)
    local buf = h.edit(dir .. "/rewrite.txt")
    local got = names(sources.list(buf))
    assert.truthy(vim.tbl_contains(got, vim.fn.fnamemodify(other, ":t") .. ":buffer"))
  end)

  it("reads globs from a .verbatim file as data, with ! to exclude", function()
    local dir = h.story()
    vim.fn.mkdir(dir .. "/wire", "p")
    h.write(dir .. "/wire/agency.md", "From the wire.\n")
    h.write(dir .. "/.verbatim", "# sources of this story\nwire/*.md\n!copy.txt\n`touch " .. dir .. "/pwned`\n$HOME/*\n")
    local buf = h.edit(dir .. "/rewrite.txt")
    local got = names(sources.list(buf))
    assert.are.same({ "agency.md:project", "original.txt:sibling" }, got)
    assert.equals(0, vim.fn.filereadable(dir .. "/pwned"))
  end)

  it("adds and drops sources with :Verbatim sources", function()
    local dir = h.story()
    h.write(dir .. "/extra.md", "Extra.\n")
    local buf = h.edit(dir .. "/rewrite.txt")
    vim.cmd("Verbatim sources add extra.md")
    vim.cmd("Verbatim sources drop copy.txt")
    assert.are.same({ "extra.md:added", "original.txt:sibling" }, names(sources.list(buf)))
  end)

  it("matches globs with ** and character classes", function()
    local dir = h.story()
    vim.fn.mkdir(dir .. "/a/b", "p")
    h.write(dir .. "/a/b/deep.txt", "x\n")
    h.write(dir .. "/a/top1.txt", "x\n")
    local got = sources.glob("**/*.txt", dir)
    assert.equals(5, #got)
    assert.equals(1, #sources.glob("a/top[0-9].txt", dir))
  end)
end)

describe("health", function()
  it("runs :checkhealth verbatim without errors", function()
    h.reset()
    local dir = h.story()
    h.edit(dir .. "/copy.txt")
    vim.cmd("checkhealth verbatim")
    local text = table.concat(vim.api.nvim_buf_get_lines(0, 0, -1, false), "\n")
    assert.matches("binding loaded: verbatim %d", text)
    assert.matches("2 sources", text)
    assert.matches("Neovim 0%.", text)
    assert.is_nil(text:find("ERROR", 1, true))
  end)
end)

describe("documentation", function()
  it("has tags for every command, option, mapping and group; :helptags runs clean", function()
    local tmp = vim.fn.tempname()
    vim.fn.mkdir(tmp, "p")
    local src = h.root .. "/doc/verbatim.txt"
    h.write(tmp .. "/verbatim.txt", h.read(src))
    vim.v.errmsg = ""
    vim.cmd("helptags " .. tmp)
    assert.equals("", vim.v.errmsg)
    local tags = h.read(tmp .. "/tags")
    local function has(tag)
      assert.truthy(tags:find("\n" .. vim.pesc(tag) .. "\t", 1) or tags:find("^" .. vim.pesc(tag) .. "\t"), "missing tag " .. tag)
    end
    for _, sub in ipairs(require("verbatim.command").names) do
      has(":Verbatim-" .. sub)
    end
    for _, plug in ipairs({ "<Plug>(verbatim-jump)", "<Plug>(verbatim-jump-back)", "<Plug>(verbatim-sidebar)" }) do
      has(plug)
    end
    for group in pairs(require("verbatim.highlight").links) do
      has("hl-" .. group)
    end
    for key in pairs(require("verbatim.config").defaults) do
      has("verbatim-config-" .. key)
    end
  end)
end)

describe("crowded folders", function()
  it("take no siblings from a folder with more files than max_files", function()
    h.reset()
    local dir = vim.fn.tempname()
    vim.fn.mkdir(dir, "p")
    for i = 1, 60 do
      h.write(("%s/file%02d.txt"):format(dir, i), "Text " .. i .. "\n")
    end
    local buf = h.edit(dir .. "/file01.txt")
    assert.equals(0, #require("verbatim.sources").list(buf))
    vim.cmd("checkhealth verbatim")
    local text = table.concat(vim.api.nvim_buf_get_lines(0, 0, -1, false), "\n")
    assert.matches("siblings not used", text, 1, true)
  end)
end)
