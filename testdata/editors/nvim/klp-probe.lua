-- SPDX-License-Identifier: GPL-2.0-only
-- Neovim 0.7.2 (no vim.lsp.start, no nvim -l): run as
--   KLP_SERVER_CMD="java -jar klp-lsp.jar serve" nvim --headless --clean -n -i NONE -c 'luafile klp-probe.lua' livepatch.c
-- Exit 0 when: ambiguous-symbol diagnostic arrives, a quick fix is applied, the diagnostics clear, the file is saved.
local klp = dofile(vim.fn.fnamemodify(debug.getinfo(1, 'S').source:sub(2), ':h') .. '/klp-client.lua')
local function fail(code, message)
  klp.fail('nvim probe', code, message)
end

local bufnr, client_id = klp.start('nvim probe', { klp = { annotationStyle = 'v7' } })

local function ambiguous()
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    if d.code == 'ambiguous-symbol' and d.source == 'klp' then
      return d
    end
  end
  return nil
end

if not vim.wait(30000, function() return ambiguous() ~= nil end, 20) then
  fail(2, 'no ambiguous-symbol diagnostic; got ' .. vim.inspect(vim.diagnostic.get(bufnr)))
end
local d = ambiguous()
local params = {
  textDocument = vim.lsp.util.make_text_document_params(bufnr),
  range = {
    start = { line = d.lnum, character = d.col },
    ['end'] = { line = d.end_lnum or d.lnum, character = d.end_col or d.col },
  },
  context = { diagnostics = vim.lsp.diagnostic.get_line_diagnostics(bufnr, d.lnum) },
}
local response = vim.lsp.buf_request_sync(bufnr, 'textDocument/codeAction', params, 10000)
local result = response and response[client_id] and response[client_id].result
if not result or #result == 0 then
  fail(3, 'no code actions: ' .. vim.inspect(response))
end
local action = result[1]
if not action.title:match('^sympos 1 ') then
  fail(4, 'unexpected first action ' .. action.title)
end
print('applying: ' .. action.title)
local client = vim.lsp.get_client_by_id(client_id)
vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding)
if not vim.wait(30000, function() return #vim.diagnostic.get(bufnr) == 0 end, 20) then
  fail(5, 'diagnostics did not clear: ' .. vim.inspect(vim.diagnostic.get(bufnr)))
end
vim.cmd('write')
vim.cmd('qall!')
