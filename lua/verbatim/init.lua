-- verbatim: check a news article against its sources while editing it.
--
-- Works without setup(); require("verbatim").setup(opts) configures it
-- (see :h verbatim-config). Heavy modules load on first use.
local config = require("verbatim.config")

local M = {}

local attached = {} -- bufnr -> { timer = uv timer }
local disabled = {} -- bufnr -> true after :Verbatim toggle
local group = vim.api.nvim_create_augroup("verbatim_buffers", { clear = true })

local function lazy(name)
  return setmetatable({}, {
    __index = function(_, k)
      return require(name)[k]
    end,
  })
end

local story = lazy("verbatim.story")
local highlight = lazy("verbatim.highlight")
local diagnostics = lazy("verbatim.diagnostics")

local highlights_defined = false
local function define_highlights()
  if not highlights_defined then
    highlights_defined = true
    highlight.define()
  end
end

-- The buffer number for nil or 0 (the current buffer) or `buf`.
local function bufnr(buf)
  return (buf == nil or buf == 0) and vim.api.nvim_get_current_buf() or buf
end

function M.is_attached(buf)
  return attached[bufnr(buf)] ~= nil
end

-- Redraw the inline highlights of `buf`. `light`: analyse the text but do
-- not re-run the checks (quotation statuses carry over from the last
-- check): what runs while the user types.
function M.refresh(buf, light)
  buf = bufnr(buf)
  if not attached[buf] or not vim.api.nvim_buf_is_valid(buf) then
    return nil
  end
  local state
  if light then
    state = story.sync(buf)
  else
    state = story.analyze(buf)
  end
  if not state then
    highlight.clear(buf)
    return nil
  end
  highlight.apply(buf, state)
  return state
end

-- Run the checks on `buf` and publish diagnostics and highlights. Returns
-- the list of vim.diagnostic items (nil when the buffer is skipped).
function M.check(buf)
  buf = bufnr(buf)
  if not vim.api.nvim_buf_is_valid(buf) then
    return nil
  end
  define_highlights()
  local state, reason = story.analyze(buf)
  if not state then
    diagnostics.clear(buf)
    highlight.clear(buf)
    return nil, reason
  end
  highlight.apply(buf, state)
  return diagnostics.publish(buf, state)
end

-- Report a failure once per buffer and message: a refresh runs after every
-- pause in typing and must not repeat itself.
local reported = {}
local function report(buf, err)
  local msg = "verbatim: " .. tostring(err)
  reported[buf] = reported[buf] or {}
  if not reported[buf][msg] then
    reported[buf][msg] = true
    vim.notify(msg, vim.log.levels.WARN)
  end
end

local function run_later(buf, key, delay, fn)
  local a = attached[buf]
  if not a then
    return
  end
  if not a[key] then
    a[key] = (vim.uv or vim.loop).new_timer()
  end
  a[key]:stop()
  a[key]:start(
    delay,
    0,
    vim.schedule_wrap(function()
      if attached[buf] then
        local ok, err = pcall(fn)
        if not ok then
          report(buf, err)
        end
      end
    end)
  )
end

-- After an edit: redraw soon from a fresh analysis, re-check once the user
-- pauses longer.
local function debounced_refresh(buf)
  local opts = config.get()
  run_later(buf, "timer", opts.debounce, function()
    M.refresh(buf, true)
  end)
  if opts.highlights.recheck then
    run_later(buf, "recheck_timer", math.max(opts.highlights.recheck, opts.debounce), function()
      M.refresh(buf)
    end)
  end
end

local function safe_check(buf)
  local ok, err = pcall(M.check, buf)
  if not ok then
    report(buf, err)
  end
end

-- Start watching `buf`: check on the configured events, refresh highlights
-- after edits, forget it when it goes away.
function M.attach(buf)
  buf = bufnr(buf)
  if attached[buf] or disabled[buf] or not vim.api.nvim_buf_is_valid(buf) or vim.bo[buf].buftype ~= "" then
    return false
  end
  attached[buf] = {}
  define_highlights()
  local events = config.get().check_on or {}
  if #events > 0 then
    vim.api.nvim_create_autocmd(events, {
      group = group,
      buffer = buf,
      callback = function()
        safe_check(buf)
      end,
    })
  end
  vim.api.nvim_create_autocmd({ "TextChanged", "TextChangedI" }, {
    group = group,
    buffer = buf,
    callback = function()
      debounced_refresh(buf)
      -- visible buffers that use this one as a source see the change too
      for other in pairs(attached) do
        if other ~= buf and vim.fn.bufwinid(other) ~= -1 and story.uses(other, buf) then
          debounced_refresh(other)
        end
      end
    end,
  })
  vim.api.nvim_create_autocmd({ "BufWipeout", "BufUnload" }, {
    group = group,
    buffer = buf,
    callback = function()
      M.detach(buf)
      require("verbatim.sources").forget(buf)
    end,
  })
  debounced_refresh(buf)
  return true
end

-- Stop watching `buf` and remove everything verbatim drew in it.
function M.detach(buf)
  buf = bufnr(buf)
  local a = attached[buf]
  if not a then
    return false
  end
  attached[buf] = nil
  reported[buf] = nil
  for _, key in ipairs({ "timer", "recheck_timer" }) do
    if a[key] then
      a[key]:stop()
      a[key]:close()
    end
  end
  pcall(vim.api.nvim_clear_autocmds, { group = group, buffer = buf })
  if package.loaded["verbatim.story"] then
    highlight.clear(buf)
    diagnostics.clear(buf)
    story.release(buf)
  end
  return true
end

-- :Verbatim toggle: turn verbatim off or on for the current buffer.
function M.toggle(buf)
  buf = bufnr(buf)
  if attached[buf] then
    M.detach(buf)
    disabled[buf] = true
    vim.api.nvim_echo({ { "verbatim: off in this buffer" } }, false, {})
    return false
  end
  disabled[buf] = nil
  M.attach(buf)
  safe_check(buf)
  vim.api.nvim_echo({ { "verbatim: on in this buffer" } }, false, {})
  return true
end

-- Attach to `buf` when its filetype is prose (the FileType autocmd).
function M.on_filetype(buf)
  if config.is_prose(vim.bo[buf].filetype) then
    M.attach(buf)
  end
end

local function set_keymaps(km)
  if not km then
    return
  end
  if km == true then
    km = config.default_keymaps
  end
  local plugs = { jump = "<Plug>(verbatim-jump)", jump_back = "<Plug>(verbatim-jump-back)", sidebar = "<Plug>(verbatim-sidebar)" }
  for name, lhs in pairs(km) do
    if plugs[name] and lhs then
      vim.keymap.set("n", lhs, plugs[name], { remap = true, desc = "verbatim: " .. name:gsub("_", " ") })
    end
  end
end

-- Configure verbatim (optional). Raises on a bad option.
function M.setup(opts)
  config.set(opts)
  local core_opts = config.get().core
  if next(core_opts) then
    -- check the core's options now, so a typo fails here and not later
    local core = require("verbatim.binding").get()
    if core then
      local c = core.new()
      for name, value in pairs(core_opts) do
        local ok, err = pcall(c.set_option, c, name, tostring(value))
        if not ok then
          c:free()
          config.set({})
          error("core: " .. tostring(err), 0)
        end
      end
      c:free()
    end
  end
  set_keymaps(config.get().keymaps)
  highlights_defined = false
  if package.loaded["verbatim.story"] then
    story.release_all()
  end
  -- Re-attach buffers so new events and filetypes take effect.
  for _, buf in ipairs(vim.api.nvim_list_bufs()) do
    if attached[buf] then
      M.detach(buf)
    end
    if vim.api.nvim_buf_is_loaded(buf) then
      M.on_filetype(buf)
    end
  end
end

-- Subcommands (also callable from Lua).
function M.jump()
  return require("verbatim.jump").jump()
end

function M.jump_back()
  return require("verbatim.jump").jump_back()
end

function M.sidebar()
  return require("verbatim.sidebar").toggle()
end

function M.fix()
  return require("verbatim.fix").fix()
end

return M
