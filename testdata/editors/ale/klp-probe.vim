" SPDX-License-Identifier: GPL-2.0-only
" Vim 9 + ALE 3.3 drive the klp language server:
"   KLP_SERVER_CMD="java -jar klp-lsp.jar serve" vim -N -u NONE -i NONE -n -es -S klp-probe.vim livepatch.c
" Exit 0 when the ambiguous-symbol diagnostic arrives, the first quick fix is applied, the diagnostics clear
" and the file is saved. ALE never sends shutdown: the server exits on end of input.
set nocompatible
filetype off
for s:dir in ['/usr/share/vim/vimfiles/pack/dist-bundle/opt/ale', '/usr/share/vim-ale']
  if isdirectory(s:dir)
    let &runtimepath = s:dir . ',' . &runtimepath
    break
  endif
endfor
filetype plugin on
let g:ale_enabled = 1
let g:ale_lint_on_text_changed = 'always'
let g:ale_lint_delay = 0
let g:ale_set_loclist = 0
let g:ale_set_quickfix = 0
let g:ale_echo_cursor = 0
let g:ale_set_highlights = 0
let g:ale_set_signs = 0
runtime plugin/ale.vim
call ale#linter#Define('c', {
\   'name': 'klp',
\   'lsp': 'stdio',
\   'executable': 'sh',
\   'command': $KLP_SERVER_CMD,
\   'project_root': getcwd(),
\})
let g:ale_linters = {'c': ['klp']}
let g:ale_linters_explicit = 1
set filetype=c

function! s:Fail(code, message) abort
  call writefile(['ale probe: ' . a:message], '/dev/stderr', 'a')
  execute 'cquit ' . a:code
endfunction

function! s:Wait(seconds, condition) abort
  let l:deadline = reltimefloat(reltime()) + a:seconds
  while reltimefloat(reltime()) < l:deadline
    if eval(a:condition)
      return 1
    endif
    sleep 20m
  endwhile
  return eval(a:condition)
endfunction

function! s:Ambiguous() abort
  for l:item in ale#engine#GetLoclist(bufnr(''))
    if get(l:item, 'code', '') is# 'ambiguous-symbol'
      return l:item
    endif
  endfor
  return {}
endfunction

let s:actions = v:null
function! s:OnMenu(data, items) abort
  let s:data = a:data
  let s:actions = a:items
endfunction

call ale#Queue(0)
if !s:Wait(30, '!empty(s:Ambiguous())')
  call s:Fail(2, 'no ambiguous-symbol diagnostic; got ' . string(ale#engine#GetLoclist(bufnr(''))))
endif
let s:item = s:Ambiguous()
call cursor(s:item.lnum, s:item.col)
call ale#codefix#Execute(0, function('s:OnMenu'))
if !s:Wait(30, 's:actions isnot v:null')
  call s:Fail(3, 'no code actions')
endif
if empty(s:actions)
  call s:Fail(3, 'no code actions')
endif
let s:action = s:actions[0][1]
if s:action.title !~# '^sympos 1 '
  call s:Fail(4, 'unexpected first action ' . s:action.title)
endif
call ale#codefix#ApplyLSPCodeAction(s:data, s:action)
call ale#Queue(0)
if !s:Wait(30, 'empty(ale#engine#GetLoclist(bufnr("")))')
  call s:Fail(5, 'diagnostics did not clear: ' . string(ale#engine#GetLoclist(bufnr(''))))
endif
write
qall!
