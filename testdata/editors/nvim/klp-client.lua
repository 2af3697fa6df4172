-- SPDX-License-Identifier: GPL-2.0-only
-- What the Neovim 0.7.2 probes share: failing with an exit status, and starting the klp server
-- ($KLP_SERVER_CMD) for the current buffer with debounced changes off. Loaded with dofile() by each probe.
local M = {}

function M.fail(probe, code, message)
  io.stderr:write(probe .. ': ' .. message .. '\n')
  vim.cmd('cquit ' .. code)
end

-- Returns the buffer and the client id; exits with status 9 when the server does not start.
function M.start(probe, init_options)
  local bufnr = vim.api.nvim_get_current_buf()
  local client_id = vim.lsp.start_client({
    name = 'klp',
    cmd = vim.split(os.getenv('KLP_SERVER_CMD'), ' ', { trimempty = true }),
    root_dir = vim.fn.getcwd(),
    init_options = init_options,
    flags = { debounce_text_changes = 0 },
  })
  if not client_id then
    M.fail(probe, 9, 'server did not start')
  end
  vim.lsp.buf_attach_client(bufnr, client_id)
  return bufnr, client_id
end

return M
