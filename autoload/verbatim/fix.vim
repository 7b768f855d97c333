vim9script
# verbatim#fix: "Use the source's wording", the server's code action on an
# altered quotation, applied to the buffer. The only part of verbatim that
# edits a buffer, and only when asked; the change is one undo step.

import autoload 'verbatim/lsp.vim'
import autoload 'verbatim/text.vim'
import autoload 'verbatim/buffer.vim'
import autoload 'verbatim/diagnostics.vim'

export const title = "Use the source's wording"

# Replace [start, end) (LSP range) of `buf` (the current buffer) with
# `new_text`, in lines.
def Replace(buf: number, range: dict<any>, new_text: string)
  var enc = lsp.Encoding()
  var [slnum, scol] = text.ToVim(buf, range.start, enc)
  var [elnum, ecol] = text.ToVim(buf, range.end, enc)
  var head = strpart(getline(slnum), 0, scol - 1)
  var tail = strpart(getline(elnum), ecol - 1)
  var lines = split(head .. new_text .. tail, "\n", true)
  var old = elnum - slnum + 1
  setline(slnum, lines[: old - 1])
  if len(lines) > old
    append(slnum + old - 1, lines[old :])
  elseif len(lines) < old
    deletebufline(buf, slnum + len(lines), elnum)
  endif
enddef

# The edits of a WorkspaceEdit for `uri`, last first (so earlier ranges
# stay valid while later ones are replaced).
export def EditsFor(edit: dict<any>, uri: string): list<dict<any>>
  var edits = []
  for [u, list] in items(get(edit, 'changes', {}))
    if u == uri
      edits += list
    endif
  endfor
  for dc in get(edit, 'documentChanges', [])
    if type(dc) == v:t_dict && get(get(dc, 'textDocument', {}), 'uri', '') == uri
      edits += get(dc, 'edits', [])
    endif
  endfor
  return edits->sort((a, b) => a.range.start.line != b.range.start.line
    ? b.range.start.line - a.range.start.line
    : b.range.start.character - a.range.start.character)
enddef

# :Verbatim fix. Returns true when the buffer was changed.
export def Fix(): bool
  var buf = bufnr()
  if !&modifiable
    echohl WarningMsg | echomsg 'verbatim: buffer is not modifiable' | echohl None
    return false
  endif
  buffer.Flush(buf)
  var uri = buffer.Uri(buf)
  var enc = lsp.Encoding()
  var pos = text.ToLsp(buf, line('.'), col('.'), enc)
  var here = diagnostics.At(buf, line('.'), col('.'))->mapnew((_, it) => it.lsp)
  var [actions, err] = lsp.RequestSync('textDocument/codeAction', {
    textDocument: {uri: uri}, range: {start: pos, end: pos},
    context: {diagnostics: here, only: ['quickfix']},
  })
  if err != ''
    throw 'verbatim: ' .. err
  endif
  var chosen = {}
  for a in type(actions) == v:t_list ? actions : []
    if type(a) == v:t_dict && get(a, 'title', '') =~? '^Use the source' && has_key(a, 'edit')
      chosen = a
      break
    endif
  endfor
  if empty(chosen)
    echo 'verbatim: nothing to fix here (no altered quotation under the cursor)'
    return false
  endif
  var edits = EditsFor(chosen.edit, uri)
  if empty(edits)
    echo 'verbatim: the fix changes no text here'
    return false
  endif
  for e in edits
    Replace(buf, e.range, e.newText)
  endfor
  echo 'verbatim: ' .. chosen.title
  return true
enddef
