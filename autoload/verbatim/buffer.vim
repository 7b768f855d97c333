vim9script
# verbatim#buffer: the buffers verbatim watches, kept in step with the
# server (didOpen, didChange with the whole text after a pause, didSave,
# didClose).

import autoload 'verbatim/config.vim'
import autoload 'verbatim/lsp.vim'
import autoload 'verbatim/text.vim'
import autoload 'verbatim/diagnostics.vim'

var docs: dict<dict<any>> = {}    # bufnr -> {uri, version, tick, timer}
var disabled: dict<bool> = {}     # bufnr -> true after :Verbatim toggle
var reported: dict<bool> = {}     # messages said once

def Say(msg: string)
  if !has_key(reported, msg)
    reported[msg] = true
    echohl WarningMsg
    echomsg 'verbatim: ' .. msg
    echohl None
  endif
enddef

export def IsAttached(buf: number): bool
  return has_key(docs, buf)
enddef

export def Uri(buf: number): string
  return has_key(docs, buf) ? docs[buf].uri : text.Uri(bufname(buf))
enddef

export def Attached(): list<number>
  return keys(docs)->map((_, k) => str2nr(k))
enddef

# Why `buf` cannot be checked, or '' when it can.
export def Unsuitable(buf: number): string
  if !bufloaded(buf)
    return 'buffer not loaded'
  endif
  if getbufvar(buf, '&buftype') != ''
    return 'not a file buffer'
  endif
  if bufname(buf) == ''
    return 'the buffer has no file name'
  endif
  var size = line2byte(getbufinfo(buf)[0].linecount + 1)
  if buf == bufnr() && size > config.Get().max_filesize
    return 'buffer larger than max_filesize'
  endif
  return ''
enddef

def SendChange(buf: number)
  if !has_key(docs, buf) || !bufloaded(buf)
    return
  endif
  var d = docs[buf]
  d.timer = -1
  var tick = getbufvar(buf, 'changedtick')
  if tick == d.tick
    return
  endif
  d.tick = tick
  d.version += 1
  lsp.Notify('textDocument/didChange', {
    textDocument: {uri: d.uri, version: d.version},
    contentChanges: [{text: text.BufText(buf)}],
  })
enddef

# Send what changed now (before a request that reads positions).
export def Flush(buf: number)
  if has_key(docs, buf)
    if docs[buf].timer >= 0
      timer_stop(docs[buf].timer)
    endif
    SendChange(buf)
  endif
enddef

def OnTextChanged(buf: number)
  var d = get(docs, buf, {})
  if empty(d)
    return
  endif
  if d.timer >= 0
    timer_stop(d.timer)
  endif
  d.timer = timer_start(config.Get().debounce, (_) => SendChange(buf))
enddef

# Ask the server for fresh diagnostics of `buf` (what a save does).
export def Check(buf: number)
  Flush(buf)
  if has_key(docs, buf)
    lsp.Notify('textDocument/didSave', {textDocument: {uri: docs[buf].uri}, text: text.BufText(buf)})
  endif
enddef

export def Attach(buf: number, explicit: bool = false): bool
  if has_key(docs, buf) || (has_key(disabled, buf) && !explicit)
    return has_key(docs, buf)
  endif
  var why = Unsuitable(buf)
  if why != ''
    if explicit
      Say(why)
    endif
    return false
  endif
  if !lsp.Start()
    Say(lsp.Failure())
    return false
  endif
  var uri = text.Uri(bufname(buf))
  docs[buf] = {uri: uri, version: 1, tick: getbufvar(buf, 'changedtick'), timer: -1}
  setbufvar(buf, 'verbatim_attached', true)
  lsp.Notify('textDocument/didOpen', {textDocument: {
    uri: uri, languageId: getbufvar(buf, '&filetype'), version: 1, text: text.BufText(buf)}})
  var group = 'verbatim_buffer_' .. buf
  execute 'augroup ' .. group
  autocmd!
  execute printf('autocmd TextChanged,TextChangedI <buffer=%d> OnTextChanged(%d)', buf, buf)
  execute printf('autocmd BufWritePost <buffer=%d> Saved(%d)', buf, buf)
  execute printf('autocmd BufWipeout,BufUnload <buffer=%d> Detach(%d)', buf, buf)
  execute printf('autocmd BufFilePost <buffer=%d> Rename(%d)', buf, buf)
  var events = config.Get().check_on
  var extra = type(events) == v:t_list ? events->copy()->filter((_, e) => e != 'BufWritePost') : []
  if !empty(extra)
    execute printf('autocmd %s <buffer=%d> Check(%d)', join(extra, ','), buf, buf)
  endif
  augroup END
  return true
enddef

def Saved(buf: number)
  Flush(buf)
  if has_key(docs, buf)
    lsp.Notify('textDocument/didSave', {textDocument: {uri: docs[buf].uri}, text: text.BufText(buf)})
  endif
enddef

def Rename(buf: number)
  Detach(buf)
  Attach(buf)
enddef

export def Detach(buf: number): bool
  if !has_key(docs, buf)
    return false
  endif
  var d = remove(docs, buf)
  if d.timer >= 0
    timer_stop(d.timer)
  endif
  setbufvar(buf, 'verbatim_attached', false)
  execute 'silent! autocmd! verbatim_buffer_' .. buf
  execute 'silent! augroup! verbatim_buffer_' .. buf
  lsp.Notify('textDocument/didClose', {textDocument: {uri: d.uri}})
  diagnostics.Clear(buf)
  return true
enddef

export def Toggle(buf: number): bool
  if has_key(docs, buf)
    Detach(buf)
    disabled[buf] = true
    echo 'verbatim: off in this buffer'
    return false
  endif
  if has_key(disabled, buf)
    remove(disabled, buf)
  endif
  lsp.Reset()
  if Attach(buf, true)
    Check(buf)
    echo 'verbatim: on in this buffer'
    return true
  endif
  return false
enddef

# The server went away: forget what it knew.
export def OnServerExit()
  for buf in Attached()
    if has_key(docs, buf) && docs[buf].timer >= 0
      timer_stop(docs[buf].timer)
    endif
    diagnostics.Clear(buf)
    setbufvar(buf, 'verbatim_attached', false)
    execute 'silent! autocmd! verbatim_buffer_' .. buf
  endfor
  docs = {}
enddef
