-- Headless Neovim 0.7.2 check of the Breakwater language server (vim.lsp.start_client; no vim.lsp.start in 0.7).
-- Env: BW_SERVER (bin/breakwater-language-server.js), BW_ROOT (workspace root), BW_OUT (result JSON),
--      BW_TIMEOUT_MS (default 60000). The file to check is the buffer nvim was started with.
local server, root, out = vim.env.BW_SERVER, vim.env.BW_ROOT, vim.env.BW_OUT
local timeout = tonumber(vim.env.BW_TIMEOUT_MS or '60000')
local t0 = vim.loop.hrtime()
local ms = function() return math.floor((vim.loop.hrtime() - t0) / 1e6) end
local bufnr = vim.api.nvim_get_current_buf()
local client_id = vim.lsp.start_client({
  name = 'breakwater',
  cmd = { 'node', server, '--stdio' },
  root_dir = root,
  workspace_folders = { { uri = vim.uri_from_fname(root), name = vim.fn.fnamemodify(root, ':t') } },
})
local attached = client_id ~= nil and vim.lsp.buf_attach_client(bufnr, client_id)
local ok = vim.wait(timeout, function() return #vim.diagnostic.get(bufnr) > 0 end, 50)
local diag_ms = ms()
local diags = {}
for _, d in ipairs(vim.diagnostic.get(bufnr)) do
  table.insert(diags, { lnum = d.lnum + 1, col = d.col + 1, end_lnum = d.end_lnum + 1, end_col = d.end_col + 1, severity = d.severity,
    source = d.source, code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code), message = d.message })
end
-- Code actions at the first missing-timeout diagnostic (no edit is applied: the file stays as it is).
local actions = {}
local first
for _, d in ipairs(vim.diagnostic.get(bufnr)) do
  local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
  if code == 'missing-timeout' then first = d break end
end
if first then
  -- 0.7.2 keeps only part of the LSP diagnostic in user_data: rebuild what the server reads (source, code, range).
  local code = first.code or (first.user_data and first.user_data.lsp and first.user_data.lsp.code)
  local lsp_diag = { message = first.message, severity = first.severity, source = first.source, code = code,
    range = { start = { line = first.lnum, character = first.col }, ['end'] = { line = first.end_lnum, character = first.end_col } } }
  for k, v in pairs(first.user_data and first.user_data.lsp or {}) do if lsp_diag[k] == nil then lsp_diag[k] = v end end
  local params = {
    textDocument = vim.lsp.util.make_text_document_params(bufnr),
    range = { start = { line = first.lnum, character = first.col }, ['end'] = { line = first.lnum, character = first.col } },
    context = { diagnostics = { lsp_diag } },
  }
  for _, resp in pairs(vim.lsp.buf_request_sync(bufnr, 'textDocument/codeAction', params, 10000) or {}) do
    for _, a in ipairs(resp.result or {}) do table.insert(actions, { title = a.title, isPreferred = a.isPreferred or false }) end
  end
end
local client = vim.lsp.get_client_by_id(client_id)
local result = {
  pass = ok and attached and #diags > 0 and diags[1].source == 'breakwater',
  nvim = tostring(vim.version().major) .. '.' .. vim.version().minor .. '.' .. vim.version().patch,
  file = vim.api.nvim_buf_get_name(bufnr), attached = attached, 
  first_diagnostics_ms = diag_ms, diagnostics = diags, code_actions = actions,
}
local f = assert(io.open(out, 'w'))
f:write(vim.json.encode(result))
f:close()
if client then client.stop() end
vim.cmd('qa!')
