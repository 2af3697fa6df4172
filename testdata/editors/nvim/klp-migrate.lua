-- SPDX-License-Identifier: GPL-2.0-only
-- Neovim 0.7.2: converts the run-time lookups of a livepatch with the server's refactor.rewrite code action. Run as
--   KLP_SERVER_CMD="java -jar klp-lsp.jar serve" nvim --headless --clean -n -i NONE -c 'luafile klp-migrate.lua' livepatch.c
-- Exit 0 when: the runtime-lookup diagnostics arrive, the cursor on the lookup table gets exactly one
-- refactor.rewrite action, applying its WorkspaceEdit clears the diagnostics, and the file is saved.
local klp = dofile(vim.fn.fnamemodify(debug.getinfo(1, 'S').source:sub(2), ':h') .. '/klp-client.lua')
local function fail(code, message)
  klp.fail('nvim migrate probe', code, message)
end

local bufnr, client_id = klp.start('nvim migrate probe', nil)

local function lookups()
  local count = 0
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    if d.code == 'runtime-lookup' and d.source == 'klp' then
      count = count + 1
    end
  end
  return count
end

if not vim.wait(30000, function() return lookups() == 3 end, 20) then
  fail(2, 'expected 3 runtime-lookup diagnostics; got ' .. vim.inspect(vim.diagnostic.get(bufnr)))
end
local line = vim.fn.search('klp_funcs\\[\\]') - 1
local params = {
  textDocument = vim.lsp.util.make_text_document_params(bufnr),
  range = { start = { line = line, character = 0 }, ['end'] = { line = line, character = 0 } },
  context = { diagnostics = {}, only = { 'refactor.rewrite' } },
}
local response = vim.lsp.buf_request_sync(bufnr, 'textDocument/codeAction', params, 10000)
local result = response and response[client_id] and response[client_id].result
if not result or #result ~= 1 then
  fail(3, 'expected one refactor.rewrite action: ' .. vim.inspect(response))
end
local action = result[1]
if action.kind ~= 'refactor.rewrite' or action.title ~= 'Convert run-time lookups to KLP relocations' then
  fail(4, 'unexpected action ' .. vim.inspect(action))
end
print('applying: ' .. action.title)
local client = vim.lsp.get_client_by_id(client_id)
vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding)
if not vim.wait(30000, function() return #vim.diagnostic.get(bufnr) == 0 end, 20) then
  fail(5, 'diagnostics did not clear: ' .. vim.inspect(vim.diagnostic.get(bufnr)))
end
vim.cmd('write')
vim.cmd('qall!')
