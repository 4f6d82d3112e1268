-- Preflight: deployment checks for Django settings, nginx and gunicorn configs.
-- Neovim 0.11+: with this folder on the runtimepath, `vim.lsp.enable("preflight")` starts
-- `preflight lsp` for Python and nginx buffers. Override any field with
-- `vim.lsp.config("preflight", { ... })`, e.g. `init_options = { ignore = { "DJ116" } }`.

local markers = { "manage.py", "preflight.toml", "pyproject.toml" }

---@type vim.lsp.Config
return {
  cmd = { "preflight", "lsp" },
  -- gunicorn configs are Python files; nginx files need the `nginx` filetype (this folder's
  -- ftdetect/preflight.lua adds project layouts such as deploy/*.conf and sites-available/*)
  filetypes = { "python", "nginx" },
  -- The nearest Django project or Preflight configuration, else the repository. A nested list
  -- (markers of equal priority) needs Neovim 0.11.3; before, a flat list finds the nearest of any.
  root_markers = vim.fn.has("nvim-0.11.3") == 1 and { markers, ".git" } or vim.list_extend(markers, { ".git" }),
}
