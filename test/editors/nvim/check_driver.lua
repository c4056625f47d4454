-- Check on save in Neovim (0.7 and 0.12), after the README's configuration was loaded as the init file:
-- opens a module file with a type error, saves it (:write), waits for the kernel compiler's verdict
-- (source rustc), fixes the error, saves again and reads the verdict once that check has ended. Writes to
-- $RFL_EDITOR_RESULT: check.shown (the rustc diagnostics after the first save), check.after_fix.
local result_file = assert(os.getenv('RFL_EDITOR_RESULT'), 'RFL_EDITOR_RESULT is not set')
local limit = tonumber(os.getenv('RFL_EDITOR_WAIT_MS') or '20000')
local result = { editor = vim.fn.execute('version'):match('NVIM v[%w%.%-]+'), snapshots = {}, check = {} }
local started = vim.loop.hrtime()

local function from_rustc(buf)
  local list = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if d.source == 'rustc' then
      local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code) or ''
      table.insert(list, { line = d.lnum, column = d.col, code = tostring(code), severity = d.severity, message = d.message })
    end
  end
  return list
end

-- Editing the wrong line already drops its diagnostic (the server drops verdicts on edited lines), so
-- an empty list after the fix proves nothing until the check of the saved fix has published. The server
-- logs "check NAME: N errors, ..." (window/logMessage) after publishing a check; only the fixed text
-- checks with 0 errors, so counting those cannot mistake a late check of the old text for it.
local clean_checks = 0
local log_message = vim.lsp.handlers['window/logMessage']
vim.lsp.handlers['window/logMessage'] = function(err, params, ctx, config)
  if params and type(params.message) == 'string' and params.message:match('^check [^ ]+: 0 errors, ') then
    clean_checks = clean_checks + 1
  end
  return log_message(err, params, ctx, config)
end

local function wait_for(what, condition)
  if not vim.wait(limit, condition, 50) then error('timed out after ' .. limit .. ' ms waiting for ' .. what) end
end

local function run()
  vim.cmd('edit ' .. vim.fn.fnameescape(os.getenv('RFL_EDITOR_CHECK_FILE')))
  local buf = vim.api.nvim_get_current_buf()
  -- vim.lsp.get_clients is 0.10+, buf_get_clients the 0.7 way.
  local function attached()
    local clients = vim.lsp.get_clients and vim.lsp.get_clients({ bufnr = buf }) or vim.lsp.buf_get_clients(buf)
    return next(clients) ~= nil
  end
  wait_for('the language server to attach', attached)
  vim.cmd('write')
  wait_for('rustc diagnostics after the save', function() return #from_rustc(buf) > 0 end)
  result.check.shown = from_rustc(buf)
  result.check.shown_after_ms = math.floor((vim.loop.hrtime() - started) / 1e6)
  -- The fix: the wrong string literal becomes a number.
  local line = tonumber(os.getenv('RFL_EDITOR_CHECK_LINE'))
  local text = vim.api.nvim_buf_get_lines(buf, line, line + 1, false)[1]
  vim.api.nvim_buf_set_lines(buf, line, line + 1, false, { (text:gsub('"three"', '3')) })
  local clean = clean_checks
  vim.cmd('write')
  wait_for('a check with 0 errors after the saved fix', function() return clean_checks > clean end)
  -- Its diagnostics came before the log line; a little grace, then what is shown is the verdict.
  vim.wait(5000, function() return #from_rustc(buf) == 0 end, 50)
  result.check.after_fix = from_rustc(buf)
end

local ok, err = xpcall(run, debug.traceback)
if not ok then result.error = tostring(err) end
vim.fn.writefile({ vim.fn.json_encode(result) }, result_file)
vim.cmd(ok and 'qall!' or 'cquit!')
