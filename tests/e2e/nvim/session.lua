-- Drives a real Neovim through one Preflight editing session and writes what Neovim saw as
-- JSON; tests/e2e/nvim_e2e.rs compares it with `preflight check --format json`.
-- Usage: nvim --clean --headless -u INIT -l session.lua PLAN.json, where INIT is the setup of
-- editors/nvim/README.md (editors/nvim on the runtimepath, vim.lsp.enable("preflight")).
-- The plan (all optional except report): bin, encoding, file, lsp = { init_options, settings },
-- action = { code, lnum, col, title } (0-based, byte columns), edit = { row, col, text }
-- (nvim_buf_set_text), checklist = true, filetypes = { paths }, report = path.
-- Only `cmd` (the built binary) and the offered position encoding override the shipped
-- editors/nvim/lsp/preflight.lua.

-- the LSP traffic, in the test's own state folder: shown when a session fails
vim.lsp.log.set_level("debug")
local plan = vim.json.decode(table.concat(vim.fn.readfile(arg[1]), "\n"))
local report = { steps = {} }
local TIMEOUT = 20000 -- debug builds on a loaded 2-core machine
local QUIET = 600 -- ms without a diagnostics change before a state counts as settled

local function write_report()
  vim.fn.writefile({ vim.json.encode(report) }, plan.report)
end

local function fail(message)
  report.error = message
  write_report()
  os.exit(1)
end

local function step(name)
  report.steps[#report.steps + 1] = name
end

-- Filetype detection only (the shipped ftdetect): one buffer per file.
if plan.filetypes then
  report.filetypes = {}
  for _, path in ipairs(plan.filetypes) do
    vim.cmd.edit(vim.fn.fnameescape(path))
    report.filetypes[path] = vim.bo.filetype
  end
  write_report()
  os.exit(0)
end

-- every diagnostics change, per buffer, to wait for a new settled state
local changes, last_change = 0, vim.uv.now()
vim.api.nvim_create_autocmd("DiagnosticChanged", {
  callback = function()
    changes = changes + 1
    last_change = vim.uv.now()
  end,
})

local function settle(since, what)
  local ok = vim.wait(TIMEOUT, function()
    return changes > since and vim.uv.now() - last_change >= QUIET
  end, 50)
  if not ok then
    fail("no diagnostics " .. what .. " within " .. TIMEOUT .. " ms")
  end
end

local function diagnostics(buf)
  local out = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    local lsp = d.user_data and d.user_data.lsp or {}
    out[#out + 1] = {
      code = d.code,
      source = d.source,
      severity = d.severity,
      message = d.message,
      lnum = d.lnum,
      col = d.col,
      end_lnum = d.end_lnum,
      end_col = d.end_col,
      href = lsp.codeDescription and lsp.codeDescription.href or vim.NIL,
      lsp_range = lsp.range or vim.NIL,
    }
  end
  table.sort(out, function(a, b)
    if a.lnum ~= b.lnum then
      return a.lnum < b.lnum
    end
    if a.col ~= b.col then
      return a.col < b.col
    end
    return a.code < b.code
  end)
  return out
end

local function state(buf)
  return { lines = vim.api.nvim_buf_get_lines(buf, 0, -1, false), diagnostics = diagnostics(buf) }
end

-- `lsp`: what a user adds with vim.lsp.config (init_options, settings)
vim.lsp.config(
  "preflight",
  vim.tbl_extend("force", {
    cmd = { plan.bin, "lsp" },
    capabilities = { general = { positionEncodings = { plan.encoding } } },
  }, plan.lsp or {})
)

local since = changes
vim.cmd.edit(vim.fn.fnameescape(plan.file))
local buf = vim.api.nvim_get_current_buf()
report.filetype = vim.bo[buf].filetype
report.fileformat = vim.bo[buf].fileformat
step("opened")

local client
if
  not vim.wait(TIMEOUT, function()
    client = vim.lsp.get_clients({ bufnr = buf, name = "preflight" })[1]
    return client ~= nil and client.initialized
  end, 20)
then
  fail("preflight did not attach (filetype " .. report.filetype .. ")")
end
report.client = {
  offset_encoding = client.offset_encoding,
  root_dir = client.root_dir or vim.NIL,
  cmd = client.config.cmd,
  filetypes = client.config.filetypes,
  server_encoding = client.server_capabilities.positionEncoding or vim.NIL,
}
settle(since, "after opening")
report.initial = state(buf)
step("initial diagnostics")

if plan.action then
  local target
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if d.code == plan.action.code and d.lnum == plan.action.lnum and d.col == plan.action.col then
      target = d
    end
  end
  if not target then
    fail("no " .. plan.action.code .. " diagnostic at " .. plan.action.lnum .. ":" .. plan.action.col)
  end
  local lsp = target.user_data.lsp
  local params = {
    textDocument = vim.lsp.util.make_text_document_params(buf),
    range = lsp.range,
    context = { diagnostics = { lsp }, only = { "quickfix" } },
  }
  local response = client:request_sync("textDocument/codeAction", params, TIMEOUT, buf)
  if not response or response.err then
    fail("codeAction failed: " .. vim.inspect(response))
  end
  report.actions = {}
  local chosen
  for _, action in ipairs(response.result or {}) do
    report.actions[#report.actions + 1] = { title = action.title, kind = action.kind or vim.NIL }
    if action.title == plan.action.title then
      chosen = action
    end
  end
  if not chosen or not chosen.edit then
    write_report()
    fail("no code action titled " .. plan.action.title)
  end
  since = changes
  vim.lsp.util.apply_workspace_edit(chosen.edit, client.offset_encoding)
  settle(since, "after the code action")
  report.after_action = state(buf)
  step("code action applied")
end

if plan.edit then
  since = changes
  local e = plan.edit
  vim.api.nvim_buf_set_text(buf, e.row, e.col, e.row, e.col, vim.split(e.text, "\n", { plain = true }))
  settle(since, "after the edit")
  report.after_edit = state(buf)
  step("edited")
end

if plan.checklist then
  vim.cmd("PreflightChecklist")
  local ok = vim.wait(TIMEOUT, function()
    return vim.bo.filetype == "markdown"
  end, 20)
  if not ok then
    fail(":PreflightChecklist showed no buffer")
  end
  report.checklist = {
    name = vim.api.nvim_buf_get_name(0),
    buftype = vim.bo.buftype,
    lines = vim.api.nvim_buf_get_lines(0, 0, -1, false),
  }
  step("checklist")
end

write_report()
os.exit(0)
