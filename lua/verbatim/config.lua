-- verbatim.config: defaults, validation and the current configuration.
-- Kept free of the binding so plugin/verbatim.lua can ask cheap questions
-- (is this filetype prose?) without loading the C core.
local M = {}

M.defaults = {
  -- Filetypes where verbatim attaches by itself.
  filetypes = { "text", "markdown", "mail", "rst", "asciidoc", "tex" },
  sources = {
    buffers = true, -- other loaded buffers of the same filetypes
    siblings = true, -- files next to the buffer with the same extension
    globs = {}, -- more globs, relative to the buffer's folder
    project_file = ".verbatim", -- per-folder file of globs (false: ignore)
    max_files = 50, -- most source files read for one buffer
  },
  -- Events that run the checks and publish diagnostics; {} or false: never
  -- (`:Verbatim check` still works).
  check_on = { "BufWritePost" },
  -- Milliseconds to wait after an edit before refreshing highlights.
  debounce = 200,
  highlights = {
    entities = true,
    quotes = true,
    speakers = false, -- speaker names as end-of-line virtual text
    -- Milliseconds without edits before quotation statuses are checked
    -- again (false: only on check_on events and :Verbatim check).
    recheck = 1000,
  },
  diagnostics = {
    enabled = true,
    related = true, -- list related locations in the message
  },
  sidebar = {
    width = 48,
    position = "right", -- "right" or "left"
    max_passages = 8,
  },
  -- Core options passed to the C library, e.g. ["rule.entity-unsupported"] = "off".
  core = {},
  names_file = nil, -- path of a names file (one name a line)
  max_filesize = 4 * 1024 * 1024, -- larger buffers are left alone (bytes)
  -- true: set the default mappings (see :h verbatim-mappings), or a table
  -- { jump = "...", jump_back = "...", sidebar = "..." }.
  keymaps = false,
}

M.default_keymaps = { jump = "<leader>vj", jump_back = "<leader>vk", sidebar = "<leader>vs" }

-- vim.validate with a spec table; Neovim 0.11 prefers one call per value.
local function check(spec)
  if vim.fn.has("nvim-0.11") == 1 then
    for name, v in pairs(spec) do
      if type(v[2]) == "function" then
        vim.validate(name, v[1], v[2], false, v[3])
      else
        vim.validate(name, v[1], v[2], v[3])
      end
    end
  else
    vim.validate(spec)
  end
end

local function copy(t)
  return vim.deepcopy(t)
end

M.options = copy(M.defaults)

local function is_list_of_strings(v)
  if type(v) ~= "table" then
    return false
  end
  for _, x in ipairs(v) do
    if type(x) ~= "string" then
      return false
    end
  end
  return true
end

local function validate(o)
  check({
    filetypes = { o.filetypes, is_list_of_strings, "list of filetypes" },
    sources = { o.sources, "table" },
    check_on = {
      o.check_on,
      function(v)
        return v == false or is_list_of_strings(v)
      end,
      "list of events or false",
    },
    debounce = { o.debounce, "number" },
    highlights = { o.highlights, "table" },
    diagnostics = { o.diagnostics, "table" },
    sidebar = { o.sidebar, "table" },
    core = { o.core, "table" },
    names_file = { o.names_file, "string", true },
    max_filesize = { o.max_filesize, "number" },
    keymaps = {
      o.keymaps,
      function(v)
        return type(v) == "boolean" or type(v) == "table"
      end,
      "boolean or table",
    },
  })
  local s = o.sources
  check({
    ["sources.buffers"] = { s.buffers, "boolean" },
    ["sources.siblings"] = { s.siblings, "boolean" },
    ["sources.globs"] = { s.globs, is_list_of_strings, "list of globs" },
    ["sources.project_file"] = {
      s.project_file,
      function(v)
        return v == false or type(v) == "string"
      end,
      "file name or false",
    },
    ["sources.max_files"] = { s.max_files, "number" },
    ["highlights.entities"] = { o.highlights.entities, "boolean" },
    ["highlights.quotes"] = { o.highlights.quotes, "boolean" },
    ["highlights.speakers"] = { o.highlights.speakers, "boolean" },
    ["highlights.recheck"] = {
      o.highlights.recheck,
      function(v)
        return v == false or type(v) == "number"
      end,
      "milliseconds or false",
    },
    ["diagnostics.enabled"] = { o.diagnostics.enabled, "boolean" },
    ["diagnostics.related"] = { o.diagnostics.related, "boolean" },
    ["sidebar.width"] = { o.sidebar.width, "number" },
    ["sidebar.position"] = {
      o.sidebar.position,
      function(v)
        return v == "left" or v == "right"
      end,
      '"left" or "right"',
    },
    ["sidebar.max_passages"] = { o.sidebar.max_passages, "number" },
  })
  for k, v in pairs(o.core) do
    if type(k) ~= "string" or (type(v) ~= "string" and type(v) ~= "number") then
      error("core: option names and values must be strings", 0)
    end
  end
  local known = {}
  for _, e in ipairs(o.check_on or {}) do
    known[e] = true
  end
  for e in pairs(known) do
    if vim.fn.exists("##" .. e) ~= 1 then
      error("check_on: unknown event " .. e, 0)
    end
  end
end

-- Merge user options over the defaults; raises on a bad value (the message
-- names the option).
function M.set(opts)
  check({ opts = { opts, "table", true } })
  local merged = vim.tbl_deep_extend("force", copy(M.defaults), opts or {})
  -- Lists replace, never merge by index.
  if opts then
    if opts.filetypes then
      merged.filetypes = copy(opts.filetypes)
    end
    if opts.check_on ~= nil then
      merged.check_on = opts.check_on and copy(opts.check_on) or false
    end
    if opts.sources and opts.sources.globs then
      merged.sources.globs = copy(opts.sources.globs)
    end
  end
  validate(merged)
  M.options = merged
  return merged
end

function M.get()
  return M.options
end

-- Whether verbatim attaches to buffers of this filetype.
function M.is_prose(ft)
  for _, f in ipairs(M.options.filetypes) do
    if f == ft then
      return true
    end
  end
  return false
end

return M
