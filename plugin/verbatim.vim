" verbatim for Vim 9: the :Verbatim command, <Plug> mappings and the
" autocmds that attach to prose buffers. The work is done by `verbatim lsp`,
" started on first use (autoload/verbatim/). Neovim uses plugin/verbatim.lua.
if has('nvim') || !has('vim9script') || !has('job') || !has('channel') || !has('textprop')
  finish
endif
vim9script

if exists('g:loaded_verbatim')
  finish
endif
g:loaded_verbatim = 1

import autoload 'verbatim.vim'

command -nargs=* -complete=customlist,verbatim.Complete Verbatim verbatim.Run(<q-args>)

nnoremap <silent> <Plug>(verbatim-jump) <ScriptCmd>verbatim.Run('jump')<CR>
nnoremap <silent> <Plug>(verbatim-jump-back) <ScriptCmd>verbatim.Run('jump-back')<CR>
nnoremap <silent> <Plug>(verbatim-sidebar) <ScriptCmd>verbatim.Run('sidebar')<CR>

const default_filetypes = ['text', 'markdown', 'mail', 'rst', 'asciidoc', 'tex']

# Cheap on every FileType: the autoload part loads for prose buffers only.
def OnFileType(buf: number, ft: string)
  var opts = get(g:, 'verbatim', {})
  var fts = type(opts) == v:t_dict ? get(opts, 'filetypes', default_filetypes) : default_filetypes
  if type(fts) != v:t_list || index(fts, ft) >= 0
    verbatim.Attach(buf)
  endif
enddef

augroup verbatim
  autocmd!
  autocmd FileType * OnFileType(str2nr(expand('<abuf>')), expand('<amatch>'))
augroup END
