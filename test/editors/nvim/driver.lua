-- Drives Neovim (0.7 and 0.12) through the editor tier's steps, after the README's configuration was
-- loaded as the init file, and writes what the editor shows to $RFL_EDITOR_RESULT as JSON:
--   snapshots  our diagnostics after every change (DiagnosticChanged), per file
--   safety     the SAFETY fixture: first diagnostics, quick fixes offered and applied, text after them
--   module     the module! fixture's diagnostics
-- Every wait polls the editor's own state (vim.wait) up to $RFL_EDITOR_WAIT_MS; the test asserts.
local result_file = assert(os.getenv('RFL_EDITOR_RESULT'), 'RFL_EDITOR_RESULT is not set')
local limit = tonumber(os.getenv('RFL_EDITOR_WAIT_MS') or '20000')
local SOURCE = 'rust-for-linux'
local SAFETY_FIX = 'Add a `// SAFETY:` comment'
local result = { editor = vim.fn.execute('version'):match('NVIM v[%w%.%-]+'), snapshots = {}, timings = {} }
local started = vim.loop.hrtime()
local function mark(step) result.timings[step] = math.floor((vim.loop.hrtime() - started) / 1e6) end

local function ours(buf)
  local list = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if d.source == SOURCE then
      table.insert(list, { line = d.lnum, column = d.col, code = d.code, severity = d.severity, message = d.message })
    end
  end
  table.sort(list, function(a, b) return a.line < b.line or (a.line == b.line and a.column < b.column) end)
  return list
end

local function count(buf, code)
  local n = 0
  for _, d in ipairs(ours(buf)) do if d.code == code then n = n + 1 end end
  return n
end

local function wait_for(what, condition)
  if not vim.wait(limit, condition, 20) then error('timed out after ' .. limit .. ' ms waiting for ' .. what) end
end

vim.api.nvim_create_autocmd('DiagnosticChanged', {
  callback = function(event)
    local file = vim.fn.fnamemodify(vim.api.nvim_buf_get_name(event.buf), ':t')
    table.insert(result.snapshots, { file = file, diagnostics = ours(event.buf) })
  end,
})

-- The user's choice in the code-action menu: the SAFETY fix (vim.ui.select is the menu in 0.7 and 0.12).
local offered = {}
local menu_without_fix = false
vim.ui.select = function(items, opts, on_choice)
  local chosen
  for _, item in ipairs(items) do
    local title = opts.format_item and opts.format_item(item) or tostring(item)
    table.insert(offered, title)
    if title == SAFETY_FIX and not chosen then chosen = item end
  end
  menu_without_fix = chosen == nil
  on_choice(chosen)
end
-- What Neovim tells the user ("No code actions available"): a reason to stop waiting.
local notices = {}
vim.notify = function(message) table.insert(notices, tostring(message)) end

local function quick_fix(buf, diagnostic)
  local tick = vim.api.nvim_buf_get_changedtick(buf)
  local before = count(buf, 'undocumented_unsafe_blocks')
  local told = #notices
  menu_without_fix = false
  vim.api.nvim_win_set_cursor(0, { diagnostic.line + 1, diagnostic.column })
  vim.lsp.buf.code_action()
  wait_for('the quick fix to change the buffer', function()
    return vim.api.nvim_buf_get_changedtick(buf) ~= tick or #notices > told or menu_without_fix
  end)
  if vim.api.nvim_buf_get_changedtick(buf) == tick then
    error(string.format('no quick fix applied at %d:%d (%s): %s', diagnostic.line, diagnostic.column,
      menu_without_fix and 'the menu had no SAFETY fix' or 'Neovim said', table.concat(notices, '; ', told + 1)))
  end
  wait_for('diagnostics of the fixed text', function() return count(buf, 'undocumented_unsafe_blocks') < before end)
end

local function run()
  -- Both files open at once, before the server has started: the first diagnostics of each must
  -- already follow the configured settings.
  vim.cmd('edit ' .. vim.fn.fnameescape(os.getenv('RFL_EDITOR_MODULE_FILE')))
  local module_buf = vim.api.nvim_get_current_buf()
  vim.cmd('split ' .. vim.fn.fnameescape(os.getenv('RFL_EDITOR_SAFETY_FILE')))
  local buf = vim.api.nvim_get_current_buf()
  wait_for('diagnostics of the SAFETY fixture', function() return #ours(buf) > 0 end)
  wait_for('diagnostics of the module! fixture', function() return #ours(module_buf) > 0 end)
  mark('diagnostics')
  result.module = { diagnostics = ours(module_buf) }
  result.safety = { initial = ours(buf), offered = offered }
  -- Bottom-up, so that each fix leaves the lines of the ones above it where they were.
  local blocks = {}
  for _, d in ipairs(ours(buf)) do
    if d.code == 'undocumented_unsafe_blocks' then table.insert(blocks, 1, d) end
  end
  -- A fix that fails is recorded, not fatal: the other steps still report what the editor shows.
  for _, d in ipairs(blocks) do
    local fixed, err = pcall(quick_fix, buf, d)
    if not fixed then result.safety.fix_error = tostring(err) break end
  end
  result.safety.text = table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), '\n') .. '\n'
  result.safety.final = ours(buf)
  mark('fixed')
end

local ok, err = xpcall(run, debug.traceback)
if not ok then result.error = tostring(err) end
vim.fn.writefile({ vim.fn.json_encode(result) }, result_file)
vim.cmd(ok and 'qall!' or 'cquit!')
