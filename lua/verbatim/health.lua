-- verbatim.health: :checkhealth verbatim. Uses vim.health (Neovim 0.8+) or
-- the older require("health") reporters (0.7).
local M = {}

local function reporter()
  local h = vim.health
  if h and h.start then
    return h
  end
  -- Neovim 0.7 to 0.9: report_* functions
  local old = (h and h.report_start) and h or require("health")
  return {
    start = old.report_start,
    ok = old.report_ok,
    warn = old.report_warn,
    error = old.report_error,
    info = old.report_info,
  }
end

function M.check()
  local r = reporter()
  local binding = require("verbatim.binding")
  local config = require("verbatim.config")

  r.start("verbatim: Neovim")
  local v = vim.version()
  local version = ("%d.%d.%d"):format(v.major, v.minor, v.patch)
  if vim.fn.has("nvim-0.7.2") == 1 then
    r.ok("Neovim " .. version)
  else
    r.error("Neovim " .. version .. ": verbatim needs 0.7.2 or newer")
  end

  r.start("verbatim: C core")
  local core, err = binding.get()
  if core then
    r.ok("binding loaded: verbatim " .. core.version())
  else
    r.error("binding not loaded: " .. tostring(err), { binding.build_hint })
  end

  r.start("verbatim: current buffer")
  -- :checkhealth runs in its own buffer; report on the one the user was in.
  local buf = vim.api.nvim_get_current_buf()
  if vim.bo[buf].buftype ~= "" or vim.bo[buf].filetype == "checkhealth" then
    local alt = vim.fn.bufnr("#")
    if alt > 0 and vim.api.nvim_buf_is_loaded(alt) then
      buf = alt
    end
  end
  local ft = vim.bo[buf].filetype
  if config.is_prose(ft) then
    r.ok(("filetype %q is checked"):format(ft))
  else
    r.info(("filetype %q is not in `filetypes`; verbatim is not active here"):format(ft))
  end
  local ok, list = pcall(require("verbatim.sources").list, buf)
  if not ok then
    r.warn("could not list sources: " .. tostring(list))
  elseif #list == 0 then
    r.warn("no sources found: open the other versions of the story, put them next to this file, or list them in a .verbatim file")
  else
    local names = {}
    for _, s in ipairs(list) do
      names[#names + 1] = (s.path and vim.fn.fnamemodify(s.path, ":~:.") or s.key) .. " (" .. s.origin .. ")"
    end
    r.ok(("%d source%s: %s"):format(#list, #list == 1 and "" or "s", table.concat(names, ", ")))
  end
  local crowded = require("verbatim.sources").too_many[buf]
  if crowded then
    r.warn(("%s holds more files like this one than sources.max_files: siblings not used"):format(crowded), {
      "list the story's files in a .verbatim file, or raise sources.max_files",
    })
  end
  local reason = require("verbatim.story").skip_reason(buf)
  if reason then
    r.info("this buffer is skipped: " .. reason)
  end
end

return M
