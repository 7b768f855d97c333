vim9script
# verbatim#config: defaults of g:verbatim (the names of the Neovim plugin's
# setup()), merged with the user's dictionary and validated. A wrong value
# raises an error that names the option.

export const defaults = {
  filetypes: ['text', 'markdown', 'mail', 'rst', 'asciidoc', 'tex'],
  sources: {
    buffers: true,
    siblings: true,
    globs: [],
    project_file: '.verbatim',
    max_files: 50,
  },
  check_on: ['BufWritePost'],
  debounce: 200,
  highlights: {entities: true, quotes: true, speakers: false, recheck: 1000},
  diagnostics: {enabled: true, related: true},
  sidebar: {width: 48, position: 'right', max_passages: 8},
  core: {},
  names_file: v:null,
  max_filesize: 4 * 1024 * 1024,
  keymaps: false,
  # Vim only: the language server to start.
  cmd: v:null,
}

export const default_keymaps = {jump: '<leader>vj', jump_back: '<leader>vk', sidebar: '<leader>vs'}

const type_names = {
  [v:t_number]: 'number', [v:t_string]: 'string', [v:t_func]: 'funcref',
  [v:t_list]: 'list', [v:t_dict]: 'dictionary', [v:t_float]: 'float',
  [v:t_bool]: 'boolean', [v:t_none]: 'null', [v:t_job]: 'job',
  [v:t_channel]: 'channel', [v:t_blob]: 'blob',
}

def Fail(name: string, expected: string, value: any)
  throw printf('verbatim: g:verbatim.%s: expected %s, got %s', name, expected,
    get(type_names, type(value), 'a value') .. ' ' .. string(value))
enddef

def IsBool(v: any): bool
  return type(v) == v:t_bool || (type(v) == v:t_number && (v == 0 || v == 1))
enddef

def IsStrings(v: any): bool
  return type(v) == v:t_list && v->copy()->filter((_, x) => type(x) != v:t_string)->empty()
enddef

def Expect(name: string, v: any, what: string, Ok: func(any): bool)
  if !Ok(v)
    Fail(name, what, v)
  endif
enddef

def IsNumber(v: any): bool
  return type(v) == v:t_number && v >= 0
enddef

# Deep merge of `user` over `base` (dictionaries merge, everything else
# replaces: lists are never merged by index).
def Merge(base: dict<any>, user: dict<any>, prefix: string): dict<any>
  var out = deepcopy(base)
  for [k, v] in items(user)
    if !has_key(base, k)
      throw printf('verbatim: g:verbatim.%s%s: unknown option (known: %s)', prefix, k,
        base->keys()->sort()->join(', '))
    endif
    if type(base[k]) == v:t_dict && k != 'core'
      if type(v) != v:t_dict
        Fail(prefix .. k, 'dictionary', v)
      endif
      out[k] = Merge(base[k], v, prefix .. k .. '.')
    else
      out[k] = deepcopy(v)
    endif
  endfor
  return out
enddef

def Validate(o: dict<any>)
  Expect('filetypes', o.filetypes, 'list of filetypes', IsStrings)
  Expect('check_on', o.check_on, 'list of events or false',
    (v) => (IsBool(v) && !v) || IsStrings(v))
  if type(o.check_on) == v:t_list
    for e in o.check_on
      if !exists('##' .. e)
        throw 'verbatim: g:verbatim.check_on: unknown event ' .. e
      endif
    endfor
  endif
  Expect('debounce', o.debounce, 'milliseconds (number)', IsNumber)
  Expect('max_filesize', o.max_filesize, 'bytes (number)', IsNumber)
  Expect('names_file', o.names_file, 'file name or v:null',
    (v) => v == null || type(v) == v:t_string)
  Expect('keymaps', o.keymaps, 'boolean or dictionary',
    (v) => IsBool(v) || type(v) == v:t_dict)
  if type(o.keymaps) == v:t_dict
    for [k, v] in items(o.keymaps)
      if !has_key(default_keymaps, k)
        throw printf('verbatim: g:verbatim.keymaps.%s: unknown mapping (known: %s)', k,
          default_keymaps->keys()->sort()->join(', '))
      endif
      Expect('keymaps.' .. k, v, 'key sequence (string) or false',
        (x) => type(x) == v:t_string || (IsBool(x) && !x))
    endfor
  endif
  Expect('cmd', o.cmd, 'list of strings (the server command) or v:null',
    (v) => v == null || (IsStrings(v) && !empty(v)))
  var s = o.sources
  for k in ['buffers', 'siblings']
    Expect('sources.' .. k, s[k], 'boolean', IsBool)
  endfor
  Expect('sources.globs', s.globs, 'list of globs', IsStrings)
  Expect('sources.project_file', s.project_file, 'file name or false',
    (v) => type(v) == v:t_string || (IsBool(v) && !v))
  Expect('sources.max_files', s.max_files, 'number', IsNumber)
  for k in ['entities', 'quotes', 'speakers']
    Expect('highlights.' .. k, o.highlights[k], 'boolean', IsBool)
  endfor
  Expect('highlights.recheck', o.highlights.recheck, 'milliseconds or false',
    (v) => (IsBool(v) && !v) || IsNumber(v))
  for k in ['enabled', 'related']
    Expect('diagnostics.' .. k, o.diagnostics[k], 'boolean', IsBool)
  endfor
  Expect('sidebar.width', o.sidebar.width, 'columns (number)', (v) => type(v) == v:t_number && v > 0)
  Expect('sidebar.position', o.sidebar.position, '"left" or "right"',
    (v) => type(v) == v:t_string && (v == 'left' || v == 'right'))
  Expect('sidebar.max_passages', o.sidebar.max_passages, 'number', (v) => type(v) == v:t_number && v > 0)
  Expect('core', o.core, 'dictionary of option names and values', (v) => type(v) == v:t_dict)
  for [k, v] in items(o.core)
    Expect('core.' .. k, v, 'string or number', (x) => type(x) == v:t_string || type(x) == v:t_number)
  endfor
enddef

var cache_key: string = ''
var cache: dict<any> = {}

# The current options: g:verbatim over the defaults. Throws on a bad value.
export def Get(): dict<any>
  var user = get(g:, 'verbatim', {})
  if type(user) != v:t_dict
    throw 'verbatim: g:verbatim must be a dictionary, got ' .. string(user)
  endif
  var key = string(user)
  if key == cache_key
    return cache
  endif
  var merged = Merge(defaults, user, '')
  Validate(merged)
  cache = merged
  cache_key = key
  return merged
enddef

export def IsProse(ft: string): bool
  return index(Get().filetypes, ft) >= 0
enddef
