-- Neovim's built-in LSP client (no plugins) against aorm-clangd, run headless by
-- nvim_test.py: open a lint-demo file, wait for the aorm findings, apply the preferred quick
-- fix through vim.lsp.buf.code_action() as a user would, save. The result goes to a JSON file
-- that nvim_test.py checks (Neovim 0.7 has no JSON-friendly exit path for assertions).
local server = os.getenv('AORM_CLANGD')
local file = os.getenv('AORM_FILE')
local result_path = os.getenv('AORM_RESULT')
local check = 'aorm-blocking-call-in-coroutine'
local result = {}

local function write_result()
  local out = io.open(result_path, 'w')
  out:write(vim.fn.json_encode(result))
  out:close()
end

local function findings(bufnr)
  local found = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    if d.code == check then
      table.insert(found, { line = d.lnum, col = d.col, message = d.message,
                            href = d.user_data and d.user_data.lsp.codeDescription
                                   and d.user_data.lsp.codeDescription.href })
    end
  end
  table.sort(found, function(a, b) return a.line < b.line end)
  return found
end

local function run()
  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  local bufnr = vim.api.nvim_get_current_buf()
  local client_id = vim.lsp.start_client({
    name = 'aorm-clangd',
    cmd = { server, '--background-index=false' },
    root_dir = vim.fn.fnamemodify(file, ':h'),
  })
  assert(client_id, 'the client did not start ' .. server)
  vim.lsp.buf_attach_client(bufnr, client_id)

  assert(vim.wait(90000, function() return #findings(bufnr) > 0 end, 50),
         'no ' .. check .. ' finding within 90 s')
  result.before = findings(bufnr)

  -- Cursor on the first finding, then the client's own code-action flow; the user's choice
  -- is the preferred quick fix of that finding.
  local target = result.before[1]
  vim.api.nvim_win_set_cursor(0, { target.line + 1, target.col })
  result.offered = {}
  vim.ui.select = function(items, _, on_choice)
    local chosen
    for _, item in ipairs(items) do
      local action = item[2]
      table.insert(result.offered, { title = action.title, kind = action.kind,
                                     preferred = action.isPreferred == true })
      if action.kind == 'quickfix' and action.isPreferred and not chosen then
        chosen = item
      end
    end
    on_choice(chosen)
  end
  local tick = vim.api.nvim_buf_get_changedtick(bufnr)
  vim.lsp.buf.code_action()
  assert(vim.wait(30000, function() return vim.api.nvim_buf_get_changedtick(bufnr) ~= tick end,
                  20), 'the quick fix did not change the buffer')
  result.fixed_line = vim.api.nvim_buf_get_lines(bufnr, target.line, target.line + 1, true)[1]

  -- The finding leaves once clangd has rebuilt the edited buffer.
  assert(vim.wait(30000, function()
    for _, f in ipairs(findings(bufnr)) do
      if f.line == target.line then return false end
    end
    return true
  end, 20), 'the fixed finding stayed')
  result.after = findings(bufnr)
  vim.cmd('write')
  vim.lsp.stop_client(client_id)
  vim.wait(10000, function() return vim.lsp.get_client_by_id(client_id) == nil end, 50)
end

local ok, err = pcall(run)
if not ok then result.error = tostring(err) end
write_result()
vim.cmd(ok and 'qall!' or 'cquit 1')
