-- verbatim.binding: loads the C core (lua/verbatim/core.so) with pcall and,
-- when it is missing, says once how to build it.
local M = {}

M.build_hint = "verbatim: the C core is not built. Run `make` in the plugin's folder "
  .. "(lazy.nvim: build = \"make\"; packer: run = \"make\"; vim-plug: do = \"make\")."

local loaded, core, load_error
local warned = false

-- The core module, or nil (and the reason) when it cannot be loaded.
function M.get()
  if not loaded then
    loaded = true
    local ok, mod = pcall(require, "verbatim.core")
    if ok and type(mod) == "table" and mod.new then
      core = mod
    else
      load_error = tostring(mod)
    end
  end
  return core, load_error
end

-- Like get(), but tells the user once when the core is missing.
function M.require()
  local mod, err = M.get()
  if not mod and not warned then
    warned = true
    vim.schedule(function()
      vim.notify(M.build_hint, vim.log.levels.WARN)
    end)
  end
  return mod, err
end

return M
