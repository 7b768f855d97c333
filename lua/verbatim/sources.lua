-- verbatim.sources: which documents a buffer is checked against.
--
-- By default: the other loaded prose buffers and the files next to the
-- buffer with the same extension; plus configured globs and the globs of the
-- nearest `.verbatim` file (one glob a line, `!glob` excludes, `#` comments).
-- The `.verbatim` file is read as data: its globs are matched in Lua
-- (verbatim.glob), all of them in one bounded walk, and never passed to a
-- shell or to Vim's expand().
local config = require("verbatim.config")
local glob = require("verbatim.glob")

local M = {}

local uv = (vim.uv or vim.loop)
-- Most globs read from one `.verbatim` file.
M.MAX_GLOBS = 256

-- Per-buffer changes made with :Verbatim sources add/drop.
local added, dropped = {}, {}
-- Buffers whose folder had too many siblings to use (for :checkhealth).
M.too_many = {}

local join, file_type = glob.join, glob.file_type

-- Normalise a path: absolute, no "." or ".." segments, no trailing "/".
function M.normalize(path, base)
  if path:sub(1, 2) == "~/" then
    path = (os.getenv("HOME") or "") .. path:sub(2)
  elseif path:sub(1, 1) ~= "/" then
    path = join(base or uv.cwd(), path)
  end
  local parts = {}
  for seg in path:gmatch("[^/]+") do
    if seg == ".." then
      parts[#parts] = nil
    elseif seg ~= "." then
      parts[#parts + 1] = seg
    end
  end
  return "/" .. table.concat(parts, "/")
end

-- Files matching `pattern`, relative to `base`; at most `limit`.
function M.glob(pattern, base, limit)
  return glob.glob(pattern, base, limit or 1000)
end

-- Nearest project file (.verbatim) at or above `dir`: its path and globs
-- (list of { glob = ..., exclude = bool }).
function M.project_file(dir)
  local name = config.get().sources.project_file
  if not name then
    return nil
  end
  local home = os.getenv("HOME")
  local d = dir
  for _ = 1, 20 do
    local path = join(d, name)
    if file_type(path) == "file" then
      local f = io.open(path, "rb")
      local globs = {}
      if f then
        local data = f:read(65536) or ""
        f:close()
        for line in data:gmatch("[^\r\n]+") do
          line = line:gsub("^%s+", ""):gsub("%s+$", "")
          if #globs >= M.MAX_GLOBS then
            break
          end
          if line ~= "" and line:sub(1, 1) ~= "#" then
            local exclude = line:sub(1, 1) == "!"
            globs[#globs + 1] = { glob = exclude and line:sub(2) or line, exclude = exclude }
          end
        end
      end
      return path, globs
    end
    if d == "/" or d == home then
      return nil
    end
    d = vim.fn.fnamemodify(d, ":h")
  end
  return nil
end

local function buffer_path(buf)
  local name = vim.api.nvim_buf_get_name(buf)
  if name == "" then
    return nil
  end
  return M.normalize(name)
end

-- Sources of `buf`: list of { key, path, bufnr (when loaded), origin }.
-- The buffer itself is never in the list.
function M.list(buf)
  local opts = config.get().sources
  local limit = opts.max_files
  local self_path = buffer_path(buf)
  local dir = self_path and vim.fn.fnamemodify(self_path, ":h") or uv.cwd()
  local result, seen = {}, {}
  local drop = dropped[buf] or {}
  M.too_many[buf] = nil

  local function push(path, bufnr, origin)
    local key = path or ("buffer:" .. bufnr)
    if seen[key] or key == self_path or drop[key] or #result >= limit then
      return
    end
    seen[key] = true
    result[#result + 1] = { key = key, path = path, bufnr = bufnr, origin = origin }
  end

  -- Loaded buffers first: their text may be newer than the file.
  local loaded = {}
  for _, b in ipairs(vim.api.nvim_list_bufs()) do
    if b ~= buf and vim.api.nvim_buf_is_loaded(b) and vim.bo[b].buftype == "" then
      local p = buffer_path(b)
      if p then
        loaded[p] = b
        if opts.buffers and config.is_prose(vim.bo[b].filetype) then
          push(p, b, "buffer")
        end
      end
    end
  end

  -- `!` lines are matched against the candidate paths as text: excluding
  -- never walks the disk. Past a budget of checks a candidate counts as
  -- excluded, so an excluded file is never read by mistake.
  local excludes, verdict, checks = {}, {}, glob.MAX_CHECKS
  local function excluded(p)
    if not p or #excludes == 0 then
      return false
    end
    if verdict[p] == nil then
      checks = checks - #excludes
      local out = checks < 0
      for _, c in ipairs(excludes) do
        if out then
          break
        end
        out = glob.matches(c, p)
      end
      verdict[p] = out
    end
    return verdict[p]
  end
  local function add_paths(paths, origin)
    for _, p in ipairs(paths) do
      if #result >= limit then
        return
      end
      if not seen[p] and not excluded(p) then
        push(p, loaded[p], origin)
      end
    end
  end

  local pfile, pglobs = M.project_file(dir)
  if pfile then
    local pdir = vim.fn.fnamemodify(pfile, ":h")
    local includes = {}
    for _, g in ipairs(pglobs) do
      if g.exclude then
        excludes[#excludes + 1] = glob.compile(g.glob, pdir)
      else
        includes[#includes + 1] = g.glob
      end
    end
    -- One walk for all the file's globs: one budget per file, not per line.
    for _, paths in ipairs(glob.resolve(includes, pdir, limit)) do
      add_paths(paths, "project")
    end
  end
  for _, paths in ipairs(glob.resolve(opts.globs, dir, limit)) do
    add_paths(paths, "glob")
  end
  if opts.siblings and self_path then
    local ext = vim.fn.fnamemodify(self_path, ":e")
    if ext ~= "" then
      -- A folder with more such files than max_files is not one story
      -- (a downloads folder, /tmp): take none rather than an arbitrary few.
      local siblings = M.glob("*." .. ext, dir, limit + 2)
      if #siblings <= limit + 1 then
        add_paths(siblings, "sibling")
      else
        M.too_many[buf] = dir
      end
    end
  end
  for path in pairs(added[buf] or {}) do
    push(path, loaded[path], "added")
  end
  -- Remove excluded entries that came from buffers or were added.
  if #excludes > 0 then
    local kept = {}
    for _, s in ipairs(result) do
      if not excluded(s.path) then
        kept[#kept + 1] = s
      end
    end
    result = kept
  end
  return result
end

-- :Verbatim sources add {path}
function M.add(buf, path)
  local dir = buffer_path(buf) and vim.fn.fnamemodify(buffer_path(buf), ":h") or uv.cwd()
  local files = M.glob(path, dir, config.get().sources.max_files)
  if #files == 0 then
    return nil, "no file matches " .. path
  end
  added[buf] = added[buf] or {}
  dropped[buf] = dropped[buf] or {}
  for _, p in ipairs(files) do
    added[buf][p] = true
    dropped[buf][p] = nil
  end
  return files
end

-- :Verbatim sources drop {path}
function M.drop(buf, path)
  local dir = buffer_path(buf) and vim.fn.fnamemodify(buffer_path(buf), ":h") or uv.cwd()
  local target = M.normalize(path, dir)
  local found = false
  for _, s in ipairs(M.list(buf)) do
    if s.key == target or s.key == path then
      found = true
      target = s.key
    end
  end
  if not found then
    return nil, "not a source: " .. path
  end
  dropped[buf] = dropped[buf] or {}
  dropped[buf][target] = true
  if added[buf] then
    added[buf][target] = nil
  end
  return target
end

function M.forget(buf)
  added[buf], dropped[buf] = nil, nil
end

return M
