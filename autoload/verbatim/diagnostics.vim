vim9script
# verbatim#diagnostics: what the server publishes, shown as signs (group
# "verbatim"), underlined ranges and virtual text after the line (text
# properties of verbatim's own types) and in the location list.

import autoload 'verbatim/config.vim'
import autoload 'verbatim/lsp.vim'
import autoload 'verbatim/text.vim'

const levels = ['Error', 'Warn', 'Info', 'Hint']
const sign_text = ['E', 'W', 'I', 'H']
const qf_type = ['E', 'W', 'I', 'N']

var published: dict<list<dict<any>>> = {}   # bufnr -> items (see Items())
var virtual_text_ok: any = v:null

export def Define()
  for i in range(len(levels))
    var l = levels[i]
    sign_define('VerbatimSign' .. l, {text: sign_text[i], texthl: 'VerbatimSign' .. l})
    for [kind, hl] in [['vt', 'VerbatimVirtualText' .. l], ['ul', 'VerbatimUnderline' .. l]]
      var name = printf('verbatim_diag_%s_%s', kind, tolower(l))
      if empty(prop_type_get(name))
        prop_type_add(name, {highlight: hl, priority: kind == 'ul' ? 20 : 30, combine: true})
      endif
    endfor
  endfor
enddef

# Whether this Vim shows virtual text after a line (text properties with
# "text" and "text_align"): a feature probe, done once.
export def HasVirtualText(): bool
  if virtual_text_ok == null
    virtual_text_ok = false
    if has('patch-9.0.0067')
      var buf = bufadd('')
      bufload(buf)
      setbufline(buf, 1, 'x')
      try
        prop_add(1, 0, {type: 'verbatim_diag_vt_info', bufnr: buf, text: 'x',
          text_align: 'after', text_padding_left: 1})
        virtual_text_ok = true
      catch
      endtry
      execute 'bwipeout! ' .. buf
    endif
  endif
  return virtual_text_ok
enddef

def Severity(d: dict<any>): number
  var s = get(d, 'severity', 1)
  return type(s) == v:t_number && s >= 1 && s <= 4 ? s : 1
enddef

def ShortName(uri: string): string
  return fnamemodify(text.Path(uri), ':t')
enddef

# One line, with the related places the message does not name yet.
def Message(d: dict<any>): string
  var msg = substitute(get(d, 'message', ''), '\s*\n\s*', ' ', 'g')
  if config.Get().diagnostics.related
    for r in get(d, 'relatedInformation', [])
      var loc = get(r, 'location', {})
      var name = ShortName(get(loc, 'uri', ''))
      var start = get(get(loc, 'range', {}), 'start', {})
      var line = get(start, 'line', 0) + 1
      if name != '' && stridx(msg, printf('%s:%d', name, line)) < 0
        msg ..= printf(' (see %s:%d:%d)', name, line, get(start, 'character', 0) + 1)
      endif
    endfor
  endif
  return msg
enddef

# The buffer's diagnostics as location-list style items.
export def Items(buf: number): list<dict<any>>
  return get(published, buf, [])
enddef

def Convert(buf: number, diags: list<any>): list<dict<any>>
  var enc = lsp.Encoding()
  var out = []
  for d in diags
    if type(d) != v:t_dict || !has_key(d, 'range')
      continue
    endif
    var [lnum, col] = text.ToVim(buf, d.range.start, enc)
    var [end_lnum, end_col] = text.ToVim(buf, d.range.end, enc)
    var sev = Severity(d)
    var code = get(d, 'code', '')
    out->add({
      bufnr: buf, lnum: lnum, col: col, end_lnum: end_lnum, end_col: end_col,
      severity: sev, type: qf_type[sev - 1], code: type(code) == v:t_string ? code : string(code),
      text: Message(d), lsp: d,
    })
  endfor
  return out->sort((a, b) => a.lnum != b.lnum ? a.lnum - b.lnum : a.col - b.col)
enddef

export def Clear(buf: number)
  if has_key(published, buf)
    remove(published, buf)
  endif
  if bufexists(buf)
    sign_unplace('verbatim', {buffer: buf})
    if bufloaded(buf)
      var types = []
      for l in levels
        types += ['verbatim_diag_vt_' .. tolower(l), 'verbatim_diag_ul_' .. tolower(l)]
      endfor
      prop_remove({types: types, bufnr: buf, all: true})
    endif
  endif
  UpdateLoclists(buf)
enddef

def Draw(buf: number, items: list<dict<any>>)
  var signs = []
  var vt_lines: dict<bool> = {}
  var vt = HasVirtualText()
  var last = getbufinfo(buf)[0].linecount
  # the most severe first, so each line's sign and text show the worst
  for it in items->copy()->sort((a, b) => a.severity - b.severity)
    var level = tolower(levels[it.severity - 1])
    signs->add({buffer: buf, group: 'verbatim', id: 0, lnum: it.lnum,
      name: 'VerbatimSign' .. levels[it.severity - 1], priority: 20 - it.severity})
    if it.lnum <= last
      var elnum = min([it.end_lnum, last])
      var ecol = it.end_lnum > last ? len(getbufline(buf, last)[0]) + 1 : it.end_col
      if elnum > it.lnum || ecol > it.col
        try
          prop_add(it.lnum, it.col, {type: 'verbatim_diag_ul_' .. level, bufnr: buf,
            end_lnum: elnum, end_col: ecol})
        catch
        endtry
      endif
      if vt && !has_key(vt_lines, it.end_lnum)
        vt_lines[it.end_lnum] = true
        prop_add(min([it.end_lnum, last]), 0, {type: 'verbatim_diag_vt_' .. level, bufnr: buf,
          text: '■ ' .. it.text, text_align: 'after', text_padding_left: 4})
      endif
    endif
  endfor
  sign_placelist(signs)
enddef

# The location list of each window showing `buf`, when it is empty or
# verbatim's own (another plugin's list is left alone).
def UpdateLoclists(buf: number)
  for win in win_findbuf(buf)
    var info = getloclist(win, {title: 0, size: 0})
    if info.size == 0 || info.title == 'verbatim'
      var items = get(published, buf, [])->mapnew((_, it) => ({
        bufnr: it.bufnr, lnum: it.lnum, col: it.col, end_lnum: it.end_lnum,
        end_col: it.end_col, type: it.type, text: it.text .. ' [' .. it.code .. ']'}))
      setloclist(win, [], info.size == 0 && info.title != 'verbatim' ? ' ' : 'r',
        {title: 'verbatim', items: items})
    endif
  endfor
enddef

export def Show(buf: number, diags: list<any>)
  Clear(buf)
  if !config.Get().diagnostics.enabled || !bufloaded(buf)
    return
  endif
  var items = Convert(buf, diags)
  published[buf] = items
  Draw(buf, items)
  UpdateLoclists(buf)
enddef

# textDocument/publishDiagnostics
export def OnPublish(params: dict<any>)
  var uri = get(params, 'uri', '')
  var buf = text.BufferOf(uri)
  var diags = get(params, 'diagnostics', [])
  if buf < 0 || !getbufvar(buf, 'verbatim_attached', false)
    return
  endif
  Show(buf, type(diags) == v:t_list ? diags : [])
  if exists('#User#VerbatimDiagnostics')
    doautocmd <nomodeline> User VerbatimDiagnostics
  endif
enddef

# The diagnostics of `buf` covering [lnum, col].
export def At(buf: number, lnum: number, col: number): list<dict<any>>
  return Items(buf)->copy()->filter((_, it) =>
    (it.lnum < lnum || (it.lnum == lnum && it.col <= col)) &&
    (it.end_lnum > lnum || (it.end_lnum == lnum && it.end_col >= col)))
enddef
