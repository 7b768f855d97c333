-- Runs one busted spec inside Neovim (its LuaJIT), TAP on stdout, then
-- exits Neovim with busted's status. Used by tests/nvim/run.sh.
local spec = assert(os.getenv("VB_SPEC"), "VB_SPEC not set")
local lua_dir = os.getenv("VB_LUA51_DIR") or "/usr/share/lua/5.1"
local lib_dir = os.getenv("VB_LUA51_LIB") or "/usr/lib/x86_64-linux-gnu/lua/5.1"
package.path = table.concat({ lua_dir .. "/?.lua", lua_dir .. "/?/init.lua", package.path }, ";")
package.cpath = lib_dir .. "/?.so;" .. package.cpath

_G.arg = { [0] = "busted", "--output=TAP", spec }
local ok, err = pcall(function()
  require("busted.runner")({ standalone = false, output = "TAP" })
end)
io.stdout:flush()
if not ok then
  if err then
    io.stderr:write("busted: " .. tostring(err) .. "\n")
  end
  os.exit(1)
end
vim.cmd("qa!")
