" Runs every Test_* function of $VB_SPEC and writes TAP to $VB_TAP. A spec
" may define SkipAll() returning a reason to skip it whole.
set nocompatible nomore noswapfile hidden
let &runtimepath = $VB_ROOT .. ',' .. &runtimepath
filetype on
runtime plugin/verbatim.vim

let s:out = []
let s:failed = 0
try
  execute 'source ' .. fnameescape($VB_SPEC)
catch
  call add(s:out, 'not ok 1 - ' .. fnamemodify($VB_SPEC, ':t') .. ' loads: ' .. v:exception)
  call add(s:out, '1..1')
  call writefile(s:out, $VB_TAP)
  cquit 1
endtry

let s:skip = exists('*SkipAll') ? SkipAll() : ''
if s:skip != ''
  call writefile(['1..0 # SKIP ' .. s:skip], $VB_TAP)
  qall!
endif

let s:tests = getcompletion('Test_', 'function')->map({_, f -> substitute(f, '()$', '', '')})
" in the order they are written
let s:lines = readfile($VB_SPEC)
call sort(s:tests, {a, b -> match(s:lines, '\<' .. a .. '(') - match(s:lines, '\<' .. b .. '(')})
let s:n = 0
for s:t in s:tests
  let s:n += 1
  let v:errors = []
  let s:name = substitute(s:t, '^Test_', '', '')->substitute('_', ' ', 'g')
  try
    call call(s:t, [])
  catch /^SKIP /
    call add(s:out, printf('ok %d - %s # SKIP %s', s:n, s:name, v:exception[5:]))
    continue
  catch
    call add(v:errors, 'exception: ' .. v:exception .. ' at ' .. v:throwpoint)
  endtry
  if empty(v:errors)
    call add(s:out, printf('ok %d - %s', s:n, s:name))
  else
    let s:failed += 1
    call add(s:out, printf('not ok %d - %s', s:n, s:name))
    call extend(s:out, map(copy(v:errors), {_, e -> '#   ' .. e}))
  endif
  if exists('*Cleanup')
    call Cleanup()
  endif
endfor
call add(s:out, '1..' .. s:n)
call writefile(s:out, $VB_TAP)
if s:failed
  cquit 1
endif
qall!
