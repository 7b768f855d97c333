-- verbatim: commands, <Plug> mappings and the autocmds that attach to prose
-- buffers. Everything else loads on first use.
if vim.g.loaded_verbatim or vim.fn.has("nvim-0.7") == 0 then
  return
end
vim.g.loaded_verbatim = true

vim.api.nvim_create_user_command("Verbatim", function(opts)
  require("verbatim.command").run(opts)
end, {
  nargs = "*",
  desc = "verbatim: check | jump | jump-back | sidebar | sources | fix | toggle",
  complete = function(arglead, cmdline)
    return require("verbatim.command").complete(arglead, cmdline)
  end,
})

vim.keymap.set("n", "<Plug>(verbatim-jump)", function()
  require("verbatim").jump()
end, { desc = "verbatim: jump to the matching quotation" })
vim.keymap.set("n", "<Plug>(verbatim-jump-back)", function()
  require("verbatim").jump_back()
end, { desc = "verbatim: return from the last jump" })
vim.keymap.set("n", "<Plug>(verbatim-sidebar)", function()
  require("verbatim").sidebar()
end, { desc = "verbatim: toggle the related-passages sidebar" })

local group = vim.api.nvim_create_augroup("verbatim", { clear = true })
vim.api.nvim_create_autocmd("FileType", {
  group = group,
  callback = function(ev)
    if require("verbatim.config").is_prose(ev.match) then
      require("verbatim").attach(ev.buf)
    end
  end,
})
vim.api.nvim_create_autocmd("ColorScheme", {
  group = group,
  callback = function()
    if package.loaded["verbatim.highlight"] then
      require("verbatim.highlight").define()
    end
  end,
})
