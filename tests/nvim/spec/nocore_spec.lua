-- Without the C core (not built yet): one message saying how to build it,
-- the same advice in :checkhealth, and no errors anywhere else.
package.preload["verbatim.core"] = function()
  error("module 'verbatim.core' not found (simulated)")
end
local h = dofile((os.getenv("VB_ROOT") or ".") .. "/tests/nvim/helpers.lua")

describe("without the C core", function()
  it("says once how to build it and otherwise stays quiet", function()
    local dir = h.story()
    local notes = {}
    local orig = vim.notify
    vim.notify = function(msg, level)
      notes[#notes + 1] = { msg = msg, level = level }
    end
    vim.v.errmsg = ""
    local buf = h.edit(dir .. "/rewrite.txt")
    vim.cmd("silent write")
    vim.cmd("Verbatim check")
    vim.cmd("Verbatim jump")
    vim.cmd("Verbatim fix")
    vim.cmd("Verbatim sidebar")
    vim.cmd("Verbatim sidebar")
    h.edit(dir .. "/copy.txt")
    vim.cmd("silent write")
    vim.wait(300)
    vim.notify = orig
    assert.equals("", vim.v.errmsg)
    local warnings = {}
    for _, n in ipairs(notes) do
      if n.level and n.level >= vim.log.levels.WARN then
        warnings[#warnings + 1] = n.msg
      end
    end
    assert.equals(1, #warnings, table.concat(warnings, " | "))
    assert.matches("Run `make` in the plugin's folder", warnings[1], 1, true)
    assert.equals(0, #vim.diagnostic.get(buf))
  end)

  it("reports it in :checkhealth verbatim with the same advice", function()
    vim.cmd("checkhealth verbatim")
    local text = table.concat(vim.api.nvim_buf_get_lines(0, 0, -1, false), "\n")
    assert.matches("binding not loaded", text, 1, true)
    assert.matches("Run `make` in the plugin's folder", text, 1, true)
  end)
end)
