vim9script
# verbatim#sidebar: the related-passages sidebar, a scratch split filled
# from the server's verbatim/related request for the paragraph under the
# cursor. <CR> opens the passage, q closes the sidebar.

import autoload 'verbatim/config.vim'
import autoload 'verbatim/lsp.vim'
import autoload 'verbatim/text.vim'
import autoload 'verbatim/buffer.vim'

const name = 'verbatim://related'
var targets: list<dict<any>> = []   # per sidebar line: {path, line, col}, or {}

def Window(): number
  for w in range(1, winnr('$'))
    if bufname(winbufnr(w)) == name
      return w
    endif
  endfor
  return 0
enddef

def Lines(result: dict<any>): list<string>
  var lines = ['Related passages (<CR> open, q close)', '']
  targets = [{}, {}]
  for p in get(result, 'passages', [])
    var src = fnamemodify(get(p, 'path', ''), ':t')
    add(lines, printf('%s:%d  %s %.2f', src, get(p, 'line', 0), get(p, 'relation', ''),
      get(p, 'score', 0.0)))
    add(targets, {path: get(p, 'path', ''), line: get(p, 'line', 1), col: get(p, 'col', 1)})
    var path = get(p, 'path', '')
    if filereadable(path)
      var first = readfile(path, '', get(p, 'line', 1))
      if !empty(first)
        add(lines, '  ' .. trim(first[-1])[: 120])
        add(targets, targets[-1])
      endif
    endif
    add(lines, '')
    add(targets, {})
  endfor
  if len(lines) == 2
    add(lines, 'No related passage in the sources.')
    add(targets, {})
  endif
  return lines
enddef

export def Open()
  var buf = bufnr()
  buffer.Flush(buf)
  var pos = text.ToLsp(buf, line('.'), col('.'), lsp.Encoding())
  var [result, err] = lsp.RequestSync('verbatim/related',
    {textDocument: {uri: buffer.Uri(buf)}, position: pos})
  if err != ''
    echoerr 'verbatim: ' .. err
    return
  endif
  var lines = Lines(type(result) == v:t_dict ? result : {})
  var opts = config.Get().sidebar
  var w = Window()
  if w > 0
    execute $':{w}wincmd w'
  else
    execute printf('%s :%dvnew', opts.position == 'left' ? 'topleft' : 'botright', opts.width)
    setlocal buftype=nofile bufhidden=wipe noswapfile nobuflisted nowrap nonumber
    execute 'file ' .. fnameescape(name)
    nnoremap <buffer> <silent> q <ScriptCmd>close<CR>
    nnoremap <buffer> <silent> <CR> <ScriptCmd>Follow()<CR>
  endif
  setlocal modifiable
  silent :%delete _
  setline(1, lines)
  setlocal nomodifiable
enddef

def Follow()
  var t = get(targets, line('.') - 1, {})
  if empty(t) || t.path == ''
    return
  endif
  wincmd p
  execute (&modified && !&hidden ? 'split ' : 'edit ') .. fnameescape(t.path)
  cursor(t.line, t.col)
enddef

export def Toggle()
  var w = Window()
  if w > 0
    execute $':{w}close'
    return
  endif
  Open()
enddef
