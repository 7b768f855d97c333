vim9script
# verbatim#text: file URIs, buffer text and LSP positions (in the encoding
# the server chose) to and from Vim's byte columns.

export def Uri(path: string): string
  var p = fnamemodify(path, ':p')
  var out = ''
  for i in range(len(p))
    var c = strpart(p, i, 1)
    out ..= c =~ '^[A-Za-z0-9/._~-]$' ? c : printf('%%%02X', char2nr(c) % 256)
  endfor
  return 'file://' .. out
enddef

export def Path(uri: string): string
  if uri !~ '^file://'
    return uri
  endif
  # percent escapes are bytes: decode them as a "\x.." string literal
  var p = escape(uri[7 :], '\"')->substitute('%\(\x\x\)', '\\x\1', 'g')
  return eval('"' .. p .. '"')
enddef

export def BufferOf(uri: string): number
  var path = Path(uri)
  var n = bufnr('^' .. escape(path, '\^$.*[]~') .. '$')
  if n > 0
    return n
  endif
  for b in getbufinfo()
    if b.name != '' && fnamemodify(b.name, ':p') == path
      return b.bufnr
    endif
  endfor
  return -1
enddef

export def BufText(buf: number): string
  var lines = getbufline(buf, 1, '$')
  var eol = getbufvar(buf, '&eol') || getbufvar(buf, '&fixeol')
  return join(lines, "\n") .. (eol && !empty(lines) ? "\n" : '')
enddef

# UTF-16 code units of the first `bytes` bytes of `line`.
def Utf16Units(s: string): number
  var n = 0
  for cp in str2list(s)
    n += cp > 0xFFFF ? 2 : 1
  endfor
  return n
enddef

# LSP character offset on `line` -> 0-based byte column.
export def ByteCol(line: string, character: number, enc: string): number
  if character <= 0
    return 0
  endif
  if enc == 'utf-8'
    return min([character, len(line)])
  endif
  if enc == 'utf-32'
    var b = byteidxcomp(line, character)
    return b < 0 ? len(line) : b
  endif
  var units = 0
  var i = 0
  for c in split(line, '\zs')
    if units >= character
      return i
    endif
    for cp in str2list(c)
      units += cp > 0xFFFF ? 2 : 1
    endfor
    i += len(c)
  endfor
  return len(line)
enddef

# 0-based byte column on `line` -> LSP character offset.
export def Character(line: string, col: number, enc: string): number
  var head = strpart(line, 0, col)
  if enc == 'utf-8'
    return len(head)
  endif
  if enc == 'utf-32'
    return strchars(head, true)
  endif
  return Utf16Units(head)
enddef

def LineOf(buf: number, lnum: number): string
  var l = getbufline(buf, lnum)
  return empty(l) ? '' : l[0]
enddef

# LSP position in `buf` -> [lnum (1-based), col (1-based byte)].
export def ToVim(buf: number, pos: dict<any>, enc: string): list<number>
  var lnum = get(pos, 'line', 0) + 1
  var last = buf > 0 && bufloaded(buf) ? getbufinfo(buf)[0].linecount : lnum
  if lnum > last
    lnum = last
    return [lnum, len(LineOf(buf, lnum)) + 1]
  endif
  var line = buf > 0 && bufloaded(buf) ? LineOf(buf, lnum) : ''
  return [lnum, ByteCol(line, get(pos, 'character', 0), enc) + 1]
enddef

# [lnum, col] (1-based, byte) in `buf` -> LSP position.
export def ToLsp(buf: number, lnum: number, col: number, enc: string): dict<number>
  return {line: lnum - 1, character: Character(LineOf(buf, lnum), col - 1, enc)}
enddef
