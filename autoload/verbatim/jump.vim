vim9script
# verbatim#jump: from the quotation under the cursor to its counterparts
# (textDocument/definition for the best, textDocument/references for the
# rest); repeating on the landing place cycles; Back() returns. The relation
# is shown in a popup at the landing place.

import autoload 'verbatim/lsp.vim'
import autoload 'verbatim/text.vim'
import autoload 'verbatim/buffer.vim'

var last: dict<any> = {}          # {targets, index, hover, landing}
var origins: list<dict<any>> = [] # where jumps started
var popup = -1

def Say(msg: string)
  echo msg
enddef

def Locations(result: any): list<dict<any>>
  if type(result) == v:t_dict
    return has_key(result, 'uri') || has_key(result, 'targetUri') ? [Normalize(result)] : []
  endif
  if type(result) != v:t_list
    return []
  endif
  return result->copy()->filter((_, l) => type(l) == v:t_dict)->map((_, l) => Normalize(l))
enddef

def Normalize(l: dict<any>): dict<any>
  if has_key(l, 'targetUri')
    return {uri: l.targetUri, range: get(l, 'targetSelectionRange', get(l, 'targetRange', {}))}
  endif
  return l
enddef

def Same(a: dict<any>, b: dict<any>): bool
  return a.uri == b.uri && get(a, 'range', {}) == get(b, 'range', {})
enddef

# The hover text as lines (MarkupContent, MarkedString or a list of them).
export def HoverLines(result: any): list<string>
  if type(result) != v:t_dict || !has_key(result, 'contents')
    return []
  endif
  var c = result.contents
  var parts = type(c) == v:t_list ? c : [c]
  var lines = []
  for p in parts
    var s = type(p) == v:t_dict ? get(p, 'value', '') : type(p) == v:t_string ? p : ''
    lines += split(s, "\n")
  endfor
  # markdown fences and emphasis read as noise in a popup
  return lines->filter((_, l) => l !~ '^\s*```')->map((_, l) => substitute(l, '\*\*\|`', '', 'g'))
enddef

# The hover line that speaks of `target` (its file name and line).
def RelationOf(hover: list<string>, target: dict<any>): string
  var name = fnamemodify(text.Path(target.uri), ':t')
  var line = get(get(target.range, 'start', {}), 'line', 0) + 1
  for h in hover
    if stridx(h, printf('%s:%d', name, line)) >= 0
      return trim(substitute(h, '^\s*[-*]\s*', '', ''))
    endif
  endfor
  for h in hover
    if stridx(h, name) >= 0
      return trim(substitute(h, '^\s*[-*]\s*', '', ''))
    endif
  endfor
  return ''
enddef

def OpenTarget(uri: string): number
  var path = text.Path(uri)
  var buf = text.BufferOf(uri)
  if buf > 0 && buf == bufnr()
    return buf
  endif
  try
    if buf > 0
      execute 'buffer ' .. buf
    else
      execute 'edit ' .. fnameescape(path)
    endif
  catch /E37:\|E162:/
    if buf > 0
      execute 'sbuffer ' .. buf
    else
      execute 'split ' .. fnameescape(path)
    endif
  endtry
  return bufnr()
enddef

def AtLanding(l: dict<any>): bool
  if empty(l) || bufnr() != l.buf
    return false
  endif
  var [lnum, col] = [line('.'), col('.')]
  var after = lnum > l.lnum || (lnum == l.lnum && col >= l.col)
  var before = lnum < l.end_lnum || (lnum == l.end_lnum && col < l.end_col)
  return after && (before || (lnum == l.lnum && col == l.col))
enddef

export def ClosePopup()
  if popup > 0
    popup_close(popup)
    popup = -1
  endif
enddef

def Go(entry: dict<any>): dict<any>
  var t = entry.targets[entry.index]
  normal! m'
  var buf = OpenTarget(t.uri)
  var enc = lsp.Encoding()
  var [lnum, col] = text.ToVim(buf, t.range.start, enc)
  var [end_lnum, end_col] = text.ToVim(buf, get(t.range, 'end', t.range.start), enc)
  cursor(lnum, col)
  entry.landing = {buf: buf, lnum: lnum, col: col, end_lnum: end_lnum, end_col: end_col}
  var where = printf('%s:%d:%d', fnamemodify(bufname(buf), ':t'), lnum, col)
  var relation = RelationOf(entry.hover, t)
  var head = printf('[%d/%d] %s', entry.index + 1, len(entry.targets), where)
  var msg = 'verbatim: ' .. head .. (relation != '' ? '  ' .. relation : '')
  ClosePopup()
  var lines = [head] + (relation != '' ? [relation] : entry.hover[: 5])
  popup = popup_atcursor(lines, {moved: 'any', highlight: 'VerbatimPopup', padding: [0, 1, 0, 1],
    border: [], title: ' verbatim '})
  Say(msg)
  return {uri: t.uri, lnum: lnum, col: col, index: entry.index + 1, count: len(entry.targets),
    message: msg, relation: relation}
enddef

# :Verbatim jump. Returns what it did (for tests), {} when nothing.
export def Jump(): dict<any>
  if !empty(last) && AtLanding(last.landing) && len(last.targets) > 1
    last.index = (last.index + 1) % len(last.targets)
    return Go(last)
  endif
  var buf = bufnr()
  buffer.Flush(buf)
  var pos = text.ToLsp(buf, line('.'), col('.'), lsp.Encoding())
  var params = {textDocument: {uri: buffer.Uri(buf)}, position: pos}
  var [def, err] = lsp.RequestSync('textDocument/definition', params)
  if err != ''
    throw 'verbatim: ' .. err
  endif
  var targets = Locations(def)
  var [refs, _] = lsp.RequestSync('textDocument/references',
    extend({context: {includeDeclaration: false}}, params))
  for r in Locations(refs)
    if targets->copy()->filter((_, t) => Same(t, r))->empty()
      targets->add(r)
    endif
  endfor
  var self_uri = buffer.Uri(buf)
  targets->filter((_, t) => has_key(t, 'range') && t.uri != self_uri)
  if empty(targets)
    Say('verbatim: no counterpart for the quotation under the cursor')
    return {}
  endif
  var [hover, _] = lsp.RequestSync('textDocument/hover', params)
  origins->add({buf: buf, lnum: line('.'), col: col('.')})
  last = {targets: targets, index: 0, hover: HoverLines(hover), landing: {}}
  return Go(last)
enddef

# :Verbatim jump-back
export def Back(): dict<any>
  if empty(origins)
    Say('verbatim: no jump to return from')
    return {}
  endif
  var o = remove(origins, -1)
  last = {}
  ClosePopup()
  if !bufexists(o.buf)
    return Back()
  endif
  normal! m'
  if bufnr() != o.buf
    try
      execute 'buffer ' .. o.buf
    catch /E37:\|E162:/
      execute 'sbuffer ' .. o.buf
    endtry
  endif
  cursor(o.lnum, o.col)
  return o
enddef

export def Reset()
  last = {}
  origins = []
enddef
