-- :PreflightChecklist [PATH]: the deployment checklist of the current buffer's project (or of
-- PATH, a file or folder), from the running Preflight language server, in a Markdown scratch
-- buffer. Unsaved edits count: the server checks what the editor holds.
if vim.g.loaded_preflight then
  return
end
vim.g.loaded_preflight = true

local function show(markdown)
  vim.cmd("botright new")
  local buf = vim.api.nvim_get_current_buf()
  vim.bo[buf].buftype = "nofile"
  vim.bo[buf].bufhidden = "wipe"
  vim.bo[buf].swapfile = false
  vim.api.nvim_buf_set_lines(buf, 0, -1, false, vim.split(markdown, "\n", { plain = true }))
  vim.bo[buf].modifiable = false
  vim.bo[buf].filetype = "markdown"
  pcall(vim.api.nvim_buf_set_name, buf, "preflight://checklist")
end

vim.api.nvim_create_user_command("PreflightChecklist", function(opts)
  local buf = vim.api.nvim_get_current_buf()
  local client = vim.lsp.get_clients({ name = "preflight", bufnr = buf })[1]
    or vim.lsp.get_clients({ name = "preflight" })[1]
  if not client then
    vim.notify("Preflight is not running: open a Python or nginx file first", vim.log.levels.ERROR)
    return
  end
  local target
  if opts.args ~= "" then
    target = vim.uri_from_fname(vim.fn.fnamemodify(opts.args, ":p"))
  elseif vim.api.nvim_buf_get_name(buf) ~= "" then
    target = vim.uri_from_bufnr(buf)
  elseif client.root_dir then
    target = vim.uri_from_fname(client.root_dir)
  end
  local params = { command = "preflight.checklist", arguments = { target } }
  client:request("workspace/executeCommand", params, function(err, result)
    if err then
      vim.notify("Preflight checklist: " .. err.message, vim.log.levels.ERROR)
    elseif type(result) ~= "string" then
      vim.notify("Preflight checklist: no checklist for " .. tostring(target), vim.log.levels.WARN)
    else
      show(result)
    end
  end, buf)
end, { nargs = "?", complete = "file", desc = "Preflight: the project's deployment checklist" })
