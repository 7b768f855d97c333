vim9script
# verbatim for Vim 9: the :Verbatim command and its completion, attaching
# to buffers, highlight groups. See :help verbatim-vim.

import autoload 'verbatim/config.vim'
import autoload 'verbatim/lsp.vim'
import autoload 'verbatim/buffer.vim'
import autoload 'verbatim/diagnostics.vim'
import autoload 'verbatim/jump.vim'
import autoload 'verbatim/sidebar.vim'
import autoload 'verbatim/fix.vim'
import autoload 'verbatim/sources.vim'

export const subcommands = ['check', 'jump', 'jump-back', 'sidebar', 'sources', 'fix', 'toggle']

var initialized = false

export def Say(msg: string, level: string = '')
  if level != ''
    execute 'echohl ' .. (level == 'error' ? 'ErrorMsg' : 'WarningMsg')
    echomsg msg
    echohl None
  else
    echo msg
  endif
enddef

const links = {
  VerbatimPerson: 'Identifier', VerbatimOrg: 'Type', VerbatimPlace: 'Constant',
  VerbatimTitle: 'Statement', VerbatimDate: 'Number', VerbatimNumber: 'Number',
  VerbatimMoney: 'Number', VerbatimPercent: 'Number', VerbatimEvent: 'Special',
  VerbatimMisc: 'Special',
  VerbatimQuoteVerbatim: 'String', VerbatimQuoteAltered: 'WarningMsg',
  VerbatimQuoteParaphrase: 'VerbatimQuoteAltered', VerbatimQuoteUnsourced: 'ErrorMsg',
  VerbatimQuoteTerm: 'Comment', VerbatimSpeaker: 'Comment',
  VerbatimSidebarHeader: 'Title', VerbatimSidebarDoc: 'Directory',
  VerbatimSidebarScore: 'Number', VerbatimSidebarRelation: 'Type', VerbatimSidebarDiff: 'DiffText',
  VerbatimSignError: 'ErrorMsg', VerbatimSignWarn: 'WarningMsg', VerbatimSignInfo: 'Question',
  VerbatimSignHint: 'Comment',
  VerbatimVirtualTextError: 'ErrorMsg', VerbatimVirtualTextWarn: 'WarningMsg',
  VerbatimVirtualTextInfo: 'Question', VerbatimVirtualTextHint: 'Comment',
  VerbatimUnderlineError: 'SpellBad', VerbatimUnderlineWarn: 'SpellCap',
  VerbatimUnderlineInfo: 'SpellRare', VerbatimUnderlineHint: 'SpellLocal',
  VerbatimPopup: 'Pmenu',
}

export def DefineHighlights()
  for [group, target] in items(links)
    execute printf('highlight default link %s %s', group, target)
  endfor
enddef

def SetKeymaps()
  var km = config.Get().keymaps
  if type(km) != v:t_dict && !km
    return
  endif
  var maps = type(km) == v:t_dict ? extend(copy(config.default_keymaps), km) : config.default_keymaps
  var plugs = {jump: '<Plug>(verbatim-jump)', jump_back: '<Plug>(verbatim-jump-back)',
    sidebar: '<Plug>(verbatim-sidebar)'}
  for [name, lhs] in items(maps)
    if type(lhs) == v:t_string && lhs != ''
      execute printf('nmap %s %s', lhs, plugs[name])
    endif
  endfor
enddef

# Once, on first use: highlight groups, signs, handlers, mappings.
def Init(): bool
  if initialized
    return true
  endif
  try
    config.Get()
  catch /^verbatim:/
    Say(v:exception, 'error')
    return false
  endtry
  initialized = true
  DefineHighlights()
  diagnostics.Define()
  lsp.On('textDocument/publishDiagnostics', diagnostics.OnPublish)
  lsp.On('verbatim/exit', (_) => buffer.OnServerExit())
  SetKeymaps()
  augroup verbatim_session
    autocmd!
    autocmd ColorScheme * DefineHighlights()
    autocmd VimLeavePre * lsp.Stop()
  augroup END
  return true
enddef

# The FileType autocmd: attach to prose buffers.
export def Attach(buf: number)
  if !Init()
    return
  endif
  try
    if config.IsProse(getbufvar(buf, '&filetype'))
      buffer.Attach(buf)
    endif
  catch /^verbatim:/
    Say(v:exception, 'error')
  endtry
enddef

# The current buffer, attached (also when its filetype is not prose, as
# :Verbatim check does in Neovim). Returns false with a message if it
# cannot be.
def Current(): bool
  var buf = bufnr()
  if buffer.IsAttached(buf)
    return true
  endif
  return buffer.Attach(buf, true)
enddef

def Check()
  if !Current()
    return
  endif
  buffer.Check(bufnr())
  Say('verbatim: checking against the sources')
enddef

export def Run(cmdline: string)
  if !Init()
    return
  endif
  var args = split(cmdline)
  var name = empty(args) ? 'check' : args[0]
  var rest = args[1 :]
  try
    if name == 'check'
      Check()
    elseif name == 'toggle'
      buffer.Toggle(bufnr())
    elseif name == 'jump-back'
      jump.Back()
    elseif name == 'sources'
      sources.Run(rest)
    elseif name == 'sidebar'
      sidebar.Toggle()
    elseif name == 'jump' || name == 'fix'
      if Current()
        if name == 'jump'
          jump.Jump()
        else
          fix.Fix()
        endif
      endif
    else
      Say(printf('verbatim: unknown subcommand %s (%s)', name, join(subcommands, ', ')), 'error')
    endif
  catch /^verbatim:/
    Say(v:exception, 'error')
  endtry
enddef

def Filter(list: list<string>, lead: string): list<string>
  return list->copy()->filter((_, x) => strpart(x, 0, len(lead)) == lead)
enddef

export def Complete(arglead: string, cmdline: string, cursorpos: number): list<string>
  var words = split(substitute(strpart(cmdline, 0, cursorpos), '^\s*\S\+\s*', '', ''))
  var n = len(words) + (arglead == '' ? 1 : 0)
  if n <= 1
    return Filter(subcommands, arglead)
  endif
  if words[0] == 'sources'
    if n == 2
      return Filter(['list', 'add', 'drop'], arglead)
    endif
    if words[1] == 'add'
      return getcompletion(arglead, 'file')
    endif
    if words[1] == 'drop'
      return Filter(sources.Names(bufnr()), arglead)
    endif
  endif
  return []
enddef
