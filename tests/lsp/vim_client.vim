" Vim 9's client of verbatim lsp (autoload/verbatim/lsp.vim) on a copy of
" the example story: diagnostics, jump, fix. Run by tests/lsp/06-vim.t;
" writes TAP lines to $VB_OUT.
set nocompatible
let &rtp = $VB_ROOT .. ',' .. &rtp
let g:verbatim = {'cmd': [$VERBATIM, 'lsp']}
filetype on
runtime plugin/verbatim.vim
let s:lines = []
func s:ok(cond, name)
  call add(s:lines, (a:cond ? 'ok - ' : 'not ok - ') .. a:name)
endfunc
execute 'edit ' .. $VB_STORY .. '/rewrite.txt'
Verbatim check
let s:n = 0
while s:n < 300 && empty(getloclist(0))
  sleep 50m
  let s:n += 1
endwhile
let s:ll = getloclist(0)
call s:ok(len(s:ll) >= 8, 'diagnostics in the location list (' .. len(s:ll) .. ')')
call s:ok(!empty(filter(copy(s:ll), 'v:val.lnum == 6 && v:val.text =~ "quote-altered"')), 'quote-altered on line 6')
6
normal! 0l
try
  let s:r = verbatim#jump#Jump()
  call s:ok(get(s:r, 'count', 0) == 2 && s:r.uri =~ '\(copy\|original\)\.txt$', ':Verbatim jump lands on a counterpart')
  call s:ok(get(s:r, 'relation', '') =~ 'altered', 'the relation is shown: ' .. get(s:r, 'relation', ''))
catch
  call s:ok(0, 'jump: ' .. v:exception)
endtry
call verbatim#jump#Back()
6
let s:before = getline(6)
try
  call s:ok(verbatim#fix#Fix(), ':Verbatim fix changes the buffer')
  call s:ok(getline(6) =~ 'in order to see' && getline(6) != s:before, 'with the source''s words')
catch
  call s:ok(0, 'fix: ' .. v:exception)
endtry
2
try
  Verbatim sidebar
  call s:ok(bufname() ==# 'verbatim://related', ':Verbatim sidebar opens the scratch split')
  call s:ok(search('original\.txt:\d\+\|copy\.txt:\d\+', 'w') > 0, 'it lists a related passage of a source')
  execute "normal \<CR>"
  call s:ok(expand('%:t') =~# '\(copy\|original\)\.txt', '<CR> opens the passage')
catch
  call s:ok(0, 'sidebar: ' .. v:exception)
endtry
call writefile(s:lines, $VB_OUT)
qa!
