-- nginx files as Preflight finds them (server/preflight_core/src/nginx/detect.rs), for the
-- project layouts Neovim's own detection misses: `*.conf` under a nginx/, sites-available/,
-- sites-enabled/, conf.d/ or deploy/ folder, any file directly in sites-available/ or
-- sites-enabled/, and any other `*.conf` whose first statements are nginx's. A file starting
-- with an INI section ([program:app]: supervisor, systemd) is never nginx.
-- The patterns have a negative priority, so Neovim's own rules (and a file's extension) win:
-- /etc/httpd/conf.d/*.conf stays apache, sites-available/app.py stays python.

local nginx_dirs = { nginx = true, ["sites-available"] = true, ["sites-enabled"] = true, ["conf.d"] = true, deploy = true }

--- The first lines of the buffer (or of the file, when matching a name alone).
local function head(path, bufnr)
  if bufnr and vim.api.nvim_buf_is_loaded(bufnr) then
    return vim.api.nvim_buf_get_lines(bufnr, 0, 100, false)
  end
  local lines = {}
  local ok, iter = pcall(io.lines, path)
  if ok then
    for line in iter do
      lines[#lines + 1] = line
      if #lines == 100 then
        break
      end
    end
  end
  return lines
end

local function statements(lines, comment)
  local out = {}
  for _, line in ipairs(lines) do
    local s = vim.trim(line)
    if s ~= "" and not comment(s) then
      out[#out + 1] = s
    end
  end
  return out
end

--- No nginx statement starts with `[`; INI and TOML files start with a section.
local function is_ini(lines)
  local first = statements(lines, function(s)
    return s:sub(1, 1) == "#" or s:sub(1, 1) == ";"
  end)[1]
  return first ~= nil and first:sub(1, 1) == "["
end

local function opens_block(line)
  local word = line:match("^[^%s{]*")
  local rest = vim.trim(line:sub(#word + 1))
  if word == "server" or word == "http" or word == "events" then
    return rest == "" or rest:sub(1, 1) == "{"
  elseif word == "upstream" or word == "location" then
    return rest ~= "" and not rest:sub(1, 1):match("[=:{;]")
  end
  return false
end

local function looks_like_nginx(lines)
  local stmts = statements(lines, function(s)
    return s:sub(1, 1) == "#"
  end)
  for i = 1, math.min(#stmts, 10) do
    if opens_block(stmts[i]) then
      return true
    end
  end
  return false
end

local function under_nginx_dir(path)
  local dir = vim.fs.dirname(path)
  while dir and dir ~= "" do
    if nginx_dirs[vim.fs.basename(dir)] then
      return true
    end
    local parent = vim.fs.dirname(dir)
    if parent == dir then
      break
    end
    dir = parent
  end
  return false
end

local function conf_file(path, bufnr)
  local lines = head(path, bufnr)
  if is_ini(lines) then
    return nil
  end
  if under_nginx_dir(path) or looks_like_nginx(lines) then
    return "nginx"
  end
end

local function site_file(path, bufnr)
  if vim.fs.basename(path):sub(1, 1) == "." or is_ini(head(path, bufnr)) then
    return nil
  end
  return "nginx"
end

vim.filetype.add({
  pattern = {
    [".*%.conf"] = { conf_file, { priority = -1 } },
    [".*/sites%-available/[^/]+"] = { site_file, { priority = -1 } },
    [".*/sites%-enabled/[^/]+"] = { site_file, { priority = -1 } },
  },
})
