-- Neovim's built-in LSP client on `verbatim lsp` (run by tests/lsp/05-nvim.t):
-- the configuration the README gives (vim.lsp.start on 0.10+, start_client
-- on older versions), diagnostics of the example story, a definition.
local out = assert(os.getenv("VB_OUT"))
local verbatim = assert(os.getenv("VERBATIM"))
local story = assert(os.getenv("VB_ROOT")) .. "/examples/story"
local lines = {}
local function ok(cond, name)
  lines[#lines + 1] = (cond and "ok - " or "not ok - ") .. name
end

vim.cmd("edit " .. story .. "/rewrite.txt")
local buf = vim.api.nvim_get_current_buf()
local id
if vim.lsp.start then
  id = vim.lsp.start({
    name = "verbatim",
    cmd = { verbatim, "lsp" },
    root_dir = story,
    init_options = { core = { ["rule.entity-unsupported"] = "off" } },
  })
else
  id = vim.lsp.start_client({
    name = "verbatim",
    cmd = { verbatim, "lsp" },
    root_dir = story,
    init_options = { core = { ["rule.entity-unsupported"] = "off" } },
  })
  vim.lsp.buf_attach_client(buf, id)
end
ok(id ~= nil, "the client starts verbatim lsp")
vim.wait(15000, function()
  return #vim.diagnostic.get(buf) > 0
end, 50)
local diags = vim.diagnostic.get(buf)
local codes = {}
for _, d in ipairs(diags) do
  codes[d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code) or "?"] = d.lnum + 1
end
ok(codes["quote-altered"] == 6, "quote-altered on line 6")
ok(codes["name-variant"] == 12, "name-variant on line 12")
ok(codes["entity-unsupported"] == nil, "init_options: entity-unsupported is off")
ok(#diags > 0 and diags[1].source == "verbatim", "source is verbatim")
-- definition from the altered quotation
local params = { textDocument = { uri = vim.uri_from_bufnr(buf) }, position = { line = 5, character = 3 } }
local res = vim.lsp.buf_request_sync(buf, "textDocument/definition", params, 10000) or {}
local loc
for _, r in pairs(res) do
  loc = r.result
end
ok(type(loc) == "table" and loc.uri and loc.uri:match("%.txt$") and not loc.uri:match("rewrite"),
  "definition lands in another version of the story")
local client = vim.lsp.get_client_by_id(id)
if client then
  client.stop()
end
vim.wait(3000, function()
  return vim.lsp.get_client_by_id(id) == nil or vim.lsp.get_client_by_id(id).is_stopped()
end, 50)
vim.fn.writefile(lines, out)
vim.cmd("qa!")
