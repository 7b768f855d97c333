-- verbatim.story: the corpus behind one buffer (the buffer plus its
-- sources), kept in step with the buffer and the source files, and the
-- latest check of it.
local binding = require("verbatim.binding")
local config = require("verbatim.config")
local sources = require("verbatim.sources")
local text = require("verbatim.text")

local M = {}

local uv = (vim.uv or vim.loop)
local states = {} -- bufnr -> state

local function short_name(path, dir)
  if not path then
    return nil
  end
  if dir and path:sub(1, #dir + 1) == dir .. "/" then
    return path:sub(#dir + 2)
  end
  return vim.fn.fnamemodify(path, ":~:.")
end

local function buffer_size(buf)
  local ok, size = pcall(vim.api.nvim_buf_get_offset, buf, vim.api.nvim_buf_line_count(buf))
  return ok and size or 0
end

local function read_file(path, max)
  local st = uv.fs_stat(path)
  if not st or st.type ~= "file" then
    return nil
  end
  local version = st.mtime.sec .. "." .. (st.mtime.nsec or 0) .. ":" .. st.size
  if st.size > max then
    return nil
  end
  return version, function()
    local f = io.open(path, "rb")
    if not f then
      return nil
    end
    local data = f:read("*a")
    f:close()
    return data
  end
end

local function new_state(buf, core)
  local ok, corpus = pcall(core.new)
  if not ok then
    return nil, corpus
  end
  local opts = config.get()
  for name, value in pairs(opts.core) do
    local set_ok, err = pcall(corpus.set_option, corpus, name, tostring(value))
    if not set_ok then
      vim.notify(err, vim.log.levels.WARN)
    end
  end
  if opts.names_file then
    local f = io.open(vim.fn.fnamemodify(opts.names_file, ":p"), "rb")
    if f then
      local data = f:read("*a")
      f:close()
      pcall(corpus.load_names, corpus, data)
    end
  end
  return {
    buf = buf,
    corpus = corpus,
    docs = {}, -- key -> doc info
    by_id = {}, -- doc id -> doc info
    self = nil, -- doc info of the buffer itself
    report = nil,
    report_tick = nil,
  }
end

-- Put `bytes` into the corpus under `key`; returns the doc info.
local function put(state, key, info, version, bytes, flags)
  local c = state.corpus
  local d = state.docs[key]
  if d and d.version == version then
    return d
  end
  if type(bytes) == "function" then
    bytes = bytes()
    if not bytes then
      return nil
    end
  end
  if d then
    local ok, err = pcall(c.replace, c, d.id, bytes)
    if not ok then
      return nil, err
    end
  else
    local ok, id = pcall(c.add, c, info.name, bytes, flags)
    if not ok then
      return nil, id
    end
    d = { id = id }
    state.docs[key] = d
    state.by_id[id] = d
  end
  d.key, d.name, d.path, d.bufnr = key, info.name, info.path, info.bufnr
  d.version, d.bytes, d.starts = version, bytes, nil
  state.report = nil
  return d
end

local function drop(state, key)
  local d = state.docs[key]
  if d then
    pcall(state.corpus.remove, state.corpus, d.id)
    state.docs[key] = nil
    state.by_id[d.id] = nil
    state.report = nil
  end
end

-- Why verbatim leaves this buffer alone, or nil.
function M.skip_reason(buf)
  if not vim.api.nvim_buf_is_valid(buf) or not vim.api.nvim_buf_is_loaded(buf) then
    return "buffer not loaded"
  end
  if buffer_size(buf) > config.get().max_filesize then
    return "larger than max_filesize"
  end
  return nil
end

-- The state of `buf`, synchronised with the buffer and its sources.
-- Returns nil and a reason when the buffer is skipped or the core missing.
function M.sync(buf)
  local reason = M.skip_reason(buf)
  if reason then
    return nil, reason, "skip"
  end
  local core = binding.require()
  if not core then
    return nil, "the C core is not built", "skip"
  end
  local state = states[buf]
  if not state then
    local err
    state, err = new_state(buf, core)
    if not state then
      return nil, err
    end
    states[buf] = state
  end
  local max = config.get().max_filesize
  local path = vim.api.nvim_buf_get_name(buf)
  local dir = path ~= "" and vim.fn.fnamemodify(path, ":p:h") or uv.cwd()
  state.dir = dir

  -- The buffer itself.
  local tick = vim.api.nvim_buf_get_changedtick(buf)
  local self_name = path ~= "" and short_name(vim.fn.fnamemodify(path, ":p"), dir) or "[No Name]"
  local d, err = put(state, "self", { name = self_name, bufnr = buf, path = path ~= "" and path or nil }, tick, function()
    return text.buffer_bytes(buf)
  end, 0)
  if not d then
    return nil, err
  end
  state.self = d

  -- Its sources.
  local wanted = { self = true }
  for _, s in ipairs(sources.list(buf)) do
    local info = { name = short_name(s.path, dir) or ("buffer " .. s.bufnr), path = s.path, bufnr = s.bufnr }
    local version, bytes
    if s.bufnr and vim.api.nvim_buf_is_loaded(s.bufnr) then
      if buffer_size(s.bufnr) <= max then
        version = "b" .. vim.api.nvim_buf_get_changedtick(s.bufnr)
        local b = s.bufnr
        bytes = function()
          return text.buffer_bytes(b)
        end
      end
    elseif s.path then
      version, bytes = read_file(s.path, max)
    end
    if version then
      local prev = state.docs[s.key]
      -- A file that became a loaded buffer (or back) gets a new version.
      if put(state, s.key, info, version, bytes, binding.get().SOURCE or 1) then
        wanted[s.key] = true
      elseif prev then
        wanted[s.key] = true
      end
    end
  end
  for key in pairs(state.docs) do
    if not wanted[key] then
      drop(state, key)
    end
  end
  return state
end

-- Synchronise and check `buf`; the state (with state.report) or nil, reason.
function M.analyze(buf)
  local state, reason, kind = M.sync(buf)
  if not state then
    return nil, reason, kind
  end
  if state.report then
    return state
  end
  local ok, report = pcall(state.corpus.check, state.corpus, state.self.id)
  if not ok then
    return nil, report
  end
  state.report = report
  return state
end

-- The state of `buf` as it was last analysed (no work), or nil.
function M.peek(buf)
  return states[buf]
end

function M.release(buf)
  local state = states[buf]
  states[buf] = nil
  if state then
    pcall(state.corpus.free, state.corpus)
  end
end

function M.release_all()
  for buf in pairs(states) do
    M.release(buf)
  end
end

-- 0-based (row, col) in document `id` of a byte offset.
function M.pos(state, id, offset)
  local d = state.by_id[id]
  if not d then
    return 0, 0
  end
  if not d.starts then
    d.starts = text.line_starts(d.bytes)
  end
  return text.offset_to_pos(d.starts, offset)
end

-- Byte offset in the buffer's own document of a 0-based (row, col).
function M.offset(state, row, col)
  local d = state.self
  if not d.starts then
    d.starts = text.line_starts(d.bytes)
  end
  return text.pos_to_offset(d.starts, row, col)
end

-- Whether the story of `buf` has buffer `source` among its documents.
function M.uses(buf, source)
  local state = states[buf]
  if not state then
    return false
  end
  for key, d in pairs(state.docs) do
    if key ~= "self" and d.bufnr == source then
      return true
    end
  end
  return false
end

-- Doc info of a document id.
function M.doc(state, id)
  return state.by_id[id]
end

return M
