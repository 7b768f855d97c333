vim9script
# verbatim#lsp: the `verbatim lsp` job, spoken to through Vim's own LSP
# channel mode. One server for the Vim session; it is verbatim's own job and
# never registered with another LSP client plugin.

import autoload 'verbatim/config.vim'
import autoload 'verbatim/text.vim'

var job: any = v:null
var chan: any = v:null
var encoding = 'utf-16'
var capabilities: dict<any> = {}
var failed = ''           # why the server could not start (said once)
var handlers: dict<func> = {}   # notification method -> handler
var stderr_lines: list<string> = []

# Handlers for notifications from the server (publishDiagnostics, ...).
export def On(method: string, Handler: func)
  handlers[method] = Handler
enddef

export def Encoding(): string
  return encoding
enddef

export def Capabilities(): dict<any>
  return capabilities
enddef

export def Running(): bool
  return chan != null && ch_status(chan) == 'open'
enddef

export def Failure(): string
  return failed
enddef

export def StderrTail(): list<string>
  return stderr_lines[-20 :]
enddef

# The command that starts the server: g:verbatim.cmd, else the CLI built in
# this checkout, else `verbatim` from $PATH.
export def Command(): list<string>
  var opts = config.Get()
  if opts.cmd != null
    return opts.cmd
  endif
  var root = fnamemodify(resolve(expand('<script>:p')), ':h:h:h')
  var built = root .. '/build/verbatim'
  if executable(built)
    return [built, 'lsp']
  endif
  return ['verbatim', 'lsp']
enddef

def OnMessage(ch: channel, msg: any)
  if type(msg) != v:t_dict
    return
  endif
  if has_key(msg, 'method') && has_key(msg, 'id')
    # a request from the server: answer what we can, refuse the rest
    var reply: dict<any> = {id: msg.id}
    if msg.method == 'workspace/configuration'
      var items = get(get(msg, 'params', {}), 'items', [])
      reply.result = items->mapnew((_, _) => ServerOptions())
    elseif msg.method == 'window/workDoneProgress/create' || msg.method == 'client/registerCapability'
      reply.result = v:null
    elseif msg.method == 'workspace/applyEdit'
      reply.result = {applied: false, failureReason: 'verbatim applies edits only on :Verbatim fix'}
    else
      reply.error = {code: -32601, message: 'method not handled: ' .. msg.method}
    endif
    ch_sendexpr(ch, reply)
    return
  endif
  if has_key(msg, 'method') && has_key(handlers, msg.method)
    try
      handlers[msg.method](get(msg, 'params', {}))
    catch
      echomsg 'verbatim: ' .. v:exception
    endtry
  endif
enddef

def OnStderr(ch: channel, line: string)
  stderr_lines->add(line)
  if len(stderr_lines) > 200
    stderr_lines = stderr_lines[-100 :]
  endif
enddef

def OnExit(j: job, status: number)
  if j == job
    job = v:null
    chan = v:null
    if status != 0 && failed == ''
      failed = printf('verbatim lsp exited with status %d', status)
    endif
    if has_key(handlers, 'verbatim/exit')
      handlers['verbatim/exit']({status: status})
    endif
  endif
enddef

# The options the server reads, with the names of setup(); Vim-only keys
# stay here.
export def ServerOptions(): dict<any>
  var o = deepcopy(config.Get())
  for k in ['cmd', 'keymaps', 'filetypes', 'debounce', 'check_on']
    remove(o, k)
  endfor
  if o.names_file == null
    remove(o, 'names_file')
  endif
  return o
enddef

# Start the server if it is not running. Returns false (and the reason in
# Failure()) when it cannot be started.
export def Start(): bool
  if Running()
    return true
  endif
  if failed != ''
    return false
  endif
  var cmd = Command()
  if !executable(cmd[0])
    failed = printf('%s not found: build it with `make` in the plugin folder, or set g:verbatim.cmd', cmd[0])
    return false
  endif
  var j = job_start(cmd, {
    in_mode: 'lsp', out_mode: 'lsp', err_mode: 'nl',
    out_cb: OnMessage, err_cb: OnStderr, exit_cb: OnExit,
    noblock: true, stoponexit: 'term',
  })
  if job_status(j) != 'run'
    failed = 'cannot start ' .. join(cmd)
    return false
  endif
  job = j
  chan = job_getchannel(j)
  var resp = ch_evalexpr(chan, {
    method: 'initialize',
    params: {
      processId: getpid(),
      clientInfo: {name: 'verbatim.vim', version: v:versionlong->string()},
      rootUri: text.Uri(getcwd()),
      capabilities: {
        general: {positionEncodings: ['utf-8', 'utf-32', 'utf-16']},
        textDocument: {
          synchronization: {didSave: true, dynamicRegistration: false},
          publishDiagnostics: {relatedInformation: true, codeDescriptionSupport: true},
          definition: {linkSupport: false},
          codeAction: {codeActionLiteralSupport: {codeActionKind: {valueSet: ['quickfix', 'refactor', 'source']}}},
          hover: {contentFormat: ['plaintext', 'markdown']},
        },
        workspace: {configuration: true, applyEdit: false},
      },
      initializationOptions: ServerOptions(),
    },
  }, {timeout: 5000})
  if type(resp) != v:t_dict || !has_key(resp, 'result') || type(resp.result) != v:t_dict
    failed = 'verbatim lsp did not answer initialize' ..
      (type(resp) == v:t_dict && has_key(resp, 'error') ? ': ' .. get(resp.error, 'message', '') : '')
    job_stop(j)
    job = v:null
    chan = v:null
    return false
  endif
  capabilities = get(resp.result, 'capabilities', {})
  encoding = get(capabilities, 'positionEncoding', 'utf-16')
  ch_sendexpr(chan, {method: 'initialized', params: {}})
  return true
enddef

# Stop the server politely (shutdown, exit), then for good.
export def Stop()
  if !Running()
    return
  endif
  var j = job
  ch_evalexpr(chan, {method: 'shutdown'}, {timeout: 1000})
  if Running()
    ch_sendexpr(chan, {method: 'exit'})
  endif
  job = v:null
  chan = v:null
  timer_start(500, (_) => job_status(j) == 'run' ? job_stop(j) : 0)
enddef

# Forget a failure (after g:verbatim.cmd changed, :Verbatim toggle).
export def Reset()
  failed = ''
enddef

export def Notify(method: string, params: any)
  if Running()
    ch_sendexpr(chan, {method: method, params: params})
  endif
enddef

# A request answered later: Callback gets the result (v:null on error).
export def Request(method: string, params: any, Callback: func(any))
  if !Running()
    return
  endif
  ch_sendexpr(chan, {method: method, params: params}, {
    callback: (_, resp) => Callback(type(resp) == v:t_dict ? get(resp, 'result', v:null) : v:null)})
enddef

# A request waited for (commands the user ran); returns [result, error].
export def RequestSync(method: string, params: any, timeout: number = 3000): list<any>
  if !Running()
    return [v:null, 'the server is not running']
  endif
  var resp = ch_evalexpr(chan, {method: method, params: params}, {timeout: timeout})
  if type(resp) != v:t_dict || empty(resp)
    return [v:null, method .. ': no answer from the server']
  endif
  if has_key(resp, 'error')
    return [v:null, get(resp.error, 'message', string(resp.error))]
  endif
  return [get(resp, 'result', v:null), '']
enddef
