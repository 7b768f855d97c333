-- verbatim.command: the :Verbatim command, its subcommands and completion.
local M = {}

local say = require("verbatim.message").say

local function sources_cmd(args)
  local sources = require("verbatim.sources")
  local buf = vim.api.nvim_get_current_buf()
  local action, arg = args[1] or "list", table.concat(args, " ", 2)
  if action == "add" or action == "drop" then
    if arg == "" then
      say("verbatim: :Verbatim sources " .. action .. " {file}", vim.log.levels.WARN)
      return
    end
    local res, err = sources[action](buf, arg)
    if not res then
      say("verbatim: " .. err, vim.log.levels.WARN)
      return
    end
    local v = require("verbatim")
    if v.is_attached(buf) then
      pcall(v.refresh, buf)
    end
    if action == "add" then
      say(("verbatim: added %d source%s"):format(#res, #res == 1 and "" or "s"))
    else
      say("verbatim: dropped " .. vim.fn.fnamemodify(res, ":~:."))
    end
    return
  end
  if action ~= "list" then
    say("verbatim: :Verbatim sources [list|add {file}|drop {file}]", vim.log.levels.WARN)
    return
  end
  local list = sources.list(buf)
  if #list == 0 then
    say("verbatim: no sources for this buffer")
    return
  end
  local lines = { { "verbatim sources:\n", "Title" } }
  for _, s in ipairs(list) do
    local name = s.path and vim.fn.fnamemodify(s.path, ":~:.") or s.key
    lines[#lines + 1] = { ("  %s  (%s)\n"):format(name, s.origin) }
  end
  vim.api.nvim_echo(lines, false, {})
  return list
end

M.subcommands = {
  check = function()
    local v = require("verbatim")
    local items, reason = v.check()
    if not items then
      say("verbatim: not checked: " .. tostring(reason))
      return
    end
    say(("verbatim: %d finding%s"):format(#items, #items == 1 and "" or "s"))
  end,
  jump = function()
    require("verbatim").jump()
  end,
  ["jump-back"] = function()
    require("verbatim").jump_back()
  end,
  sidebar = function()
    require("verbatim").sidebar()
  end,
  sources = sources_cmd,
  fix = function()
    require("verbatim").fix()
  end,
  toggle = function()
    require("verbatim").toggle()
  end,
}

M.names = { "check", "jump", "jump-back", "sidebar", "sources", "fix", "toggle" }

function M.run(opts)
  local args = vim.split(opts.args or "", "%s+", { trimempty = true })
  local name = args[1] or "check"
  local fn = M.subcommands[name]
  if not fn then
    say("verbatim: unknown subcommand " .. name .. " (" .. table.concat(M.names, ", ") .. ")", vim.log.levels.ERROR)
    return
  end
  table.remove(args, 1)
  fn(args)
end

local function filter(list, lead)
  local out = {}
  for _, x in ipairs(list) do
    if x:sub(1, #lead) == lead then
      out[#out + 1] = x
    end
  end
  return out
end

function M.complete(arglead, cmdline)
  local words = vim.split(cmdline:gsub("^%s*%S+%s*", ""), "%s+", { trimempty = true })
  local n = #words + (arglead == "" and 1 or 0)
  if n <= 1 then
    return filter(M.names, arglead)
  end
  if words[1] == "sources" then
    if n == 2 then
      return filter({ "list", "add", "drop" }, arglead)
    end
    if words[2] == "add" then
      return vim.fn.getcompletion(arglead, "file")
    end
    if words[2] == "drop" then
      local names = {}
      for _, s in ipairs(require("verbatim.sources").list(vim.api.nvim_get_current_buf())) do
        names[#names + 1] = s.path and vim.fn.fnamemodify(s.path, ":~:.") or s.key
      end
      return filter(names, arglead)
    end
  end
  return {}
end

return M
