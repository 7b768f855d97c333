-- Neovim init for the tests: this checkout on 'runtimepath', nothing else.
local root = os.getenv("VB_ROOT") or vim.fn.getcwd()
vim.opt.runtimepath:prepend(root)
vim.opt.packpath = {}
vim.opt.swapfile = false
vim.opt.shadafile = "NONE"
vim.opt.hidden = true
vim.cmd("filetype on")
