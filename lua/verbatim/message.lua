-- verbatim.message: how verbatim talks to the user. Plain answers to a
-- command are echoed (no history noise, no prompt); problems go through
-- vim.notify with a level so other plugins can route them.
local M = {}

function M.say(msg, level)
  if level then
    vim.notify(msg, level)
  else
    vim.api.nvim_echo({ { msg } }, false, {})
  end
end

return M
