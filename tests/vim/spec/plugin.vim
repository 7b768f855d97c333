" The Vim 9 plugin without the server: command, completion, mappings,
" option validation.

func Test_the_Verbatim_command_and_the_Plug_mappings_exist()
  call assert_equal(2, exists(':Verbatim'))
  for name in ['jump', 'jump-back', 'sidebar']
    call assert_notequal('', maparg('<Plug>(verbatim-' .. name .. ')', 'n'), name)
  endfor
endfunc

func Test_completion_lists_the_subcommands()
  call assert_equal(['check', 'jump', 'jump-back', 'sidebar', 'sources', 'fix', 'toggle'],
        \ getcompletion('Verbatim ', 'cmdline'))
  call assert_equal(['jump', 'jump-back'], getcompletion('Verbatim ju', 'cmdline'))
  call assert_equal(['list', 'add', 'drop'], getcompletion('Verbatim sources ', 'cmdline'))
  call assert_equal([], getcompletion('Verbatim check ', 'cmdline'))
endfunc

func s:ConfigError(opts)
  let g:verbatim = a:opts
  try
    call verbatim#config#Get()
    return ''
  catch
    return v:exception
  finally
    unlet g:verbatim
  endtry
endfunc

func Test_g_verbatim_is_validated_with_messages_that_name_the_option()
  call assert_equal('', s:ConfigError({}))
  call assert_equal('', s:ConfigError({'sidebar': {'width': 30}, 'check_on': v:false, 'keymaps': v:true}))
  call assert_match('g:verbatim.sidebar.width: expected columns (number), got string', s:ConfigError({'sidebar': {'width': 'wide'}}))
  call assert_match('g:verbatim.sidebar.position: expected "left" or "right"', s:ConfigError({'sidebar': {'position': 'top'}}))
  call assert_match('g:verbatim.colour: unknown option', s:ConfigError({'colour': 1}))
  call assert_match('g:verbatim.sources.glob: unknown option', s:ConfigError({'sources': {'glob': []}}))
  call assert_match('g:verbatim.check_on: unknown event NoSuchEvent', s:ConfigError({'check_on': ['NoSuchEvent']}))
  call assert_match('g:verbatim.filetypes: expected list of filetypes', s:ConfigError({'filetypes': 'text'}))
  call assert_match('g:verbatim.core.rule.quote-altered: expected string or number', s:ConfigError({'core': {'rule.quote-altered': []}}))
  call assert_match('g:verbatim must be a dictionary', s:ConfigError('yes'))
endfunc

func Test_a_bad_option_is_reported_by_the_command_not_raised()
  let g:verbatim = {'debounce': 'soon'}
  redir => out
  silent Verbatim toggle
  redir END
  call assert_match('g:verbatim.debounce: expected milliseconds', out)
  unlet g:verbatim
endfunc

func Test_defaults_match_the_Neovim_plugin()
  let d = verbatim#config#Get()
  call assert_equal(['text', 'markdown', 'mail', 'rst', 'asciidoc', 'tex'], d.filetypes)
  call assert_equal(['BufWritePost'], d.check_on)
  call assert_equal(48, d.sidebar.width)
  call assert_equal('.verbatim', d.sources.project_file)
endfunc

func Test_positions_convert_between_encodings()
  let line = "\u201cWe said \U0001F600 no\u201d"
  " the emoji is 4 bytes, 1 UTF-32 unit, 2 UTF-16 units
  let col = stridx(line, 'no')
  call assert_equal(col, verbatim#text#ByteCol(line, col, 'utf-8'))
  call assert_equal(col, verbatim#text#ByteCol(line, 11, 'utf-32'))
  call assert_equal(col, verbatim#text#ByteCol(line, 12, 'utf-16'))
  call assert_equal(12, verbatim#text#Character(line, col, 'utf-16'))
  call assert_equal(11, verbatim#text#Character(line, col, 'utf-32'))
  call assert_equal(len(line), verbatim#text#ByteCol(line, 999, 'utf-16'))
endfunc

func Test_file_uris_round_trip()
  let p = '/tmp/caf' .. "\u00e9" .. ' story #1.txt'
  let u = verbatim#text#Uri(p)
  call assert_equal('file:///tmp/caf%C3%A9%20story%20%231.txt', u)
  call assert_equal(p, verbatim#text#Path(u))
endfunc

func Test_without_a_server_the_command_says_why()
  let g:verbatim = {'cmd': ['/nonexistent/verbatim', 'lsp']}
  call verbatim#lsp#Reset()
  new
  file /tmp/draft.txt
  let v:warningmsg = ''
  redir => out
  silent Verbatim check
  redir END
  call assert_match('/nonexistent/verbatim not found', out)
  bwipeout!
  unlet g:verbatim
  call verbatim#lsp#Reset()
endfunc
