-- verbatim.sources: which documents a buffer is checked against.
--
-- By default: the other loaded prose buffers and the files next to the
-- buffer with the same extension; plus configured globs and the globs of the
-- nearest `.verbatim` file (one glob a line, `!glob` excludes, `#` comments).
-- The `.verbatim` file is read as data: globs are matched here, in Lua, and
-- never passed to a shell or to Vim's expand().
local config = require("verbatim.config")

local M = {}

local uv = (vim.uv or vim.loop)
local MAX_DEPTH = 8
-- Most directory entries one glob may look at: "/**/*.md" in a .verbatim
-- file must not walk the whole disk while the editor waits.
local MAX_SCANNED = 20000

-- Per-buffer changes made with :Verbatim sources add/drop.
local added, dropped = {}, {}
-- Buffers whose folder had too many siblings to use (for :checkhealth).
M.too_many = {}

local function join(dir, name)
  if dir:sub(-1) == "/" then
    return dir .. name
  end
  return dir .. "/" .. name
end

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

local function file_type(path, t)
  if t and t ~= "link" then
    return t
  end
  local st = uv.fs_stat(path)
  return st and st.type
end

-- The body of a "[...]" class starting at seg[i] as a Lua class body, and
-- where the class closes; nil when it is not a class Lua can take ("[!]").
local function class_body(seg, i)
  local close = seg:find("]", i + 2, true)
  if not close then
    return nil
  end
  local body = seg:sub(i + 1, close - 1):gsub("^!", "^"):gsub("%%", "%%%%")
  if body == "^" then
    return nil
  end
  return body, close
end

-- A glob segment ("*.txt", "wire-?", "[ab]*") as a list of parts: STAR, or
-- an anchored Lua pattern for one byte ("^.$", "^%.$", "^[ab]$").
local STAR = {}
local function segment_pattern(seg)
  local out, i = {}, 1
  while i <= #seg do
    local ch = seg:sub(i, i)
    if ch == "*" then
      if out[#out] ~= STAR then
        out[#out + 1] = STAR
      end
    elseif ch == "?" then
      out[#out + 1] = "^.$"
    elseif ch == "[" and class_body(seg, i) then
      local body, close = class_body(seg, i)
      out[#out + 1] = "^[" .. body .. "]$"
      i = close
    elseif ch:match("%p") then
      out[#out + 1] = "^%" .. ch .. "$"
    else
      out[#out + 1] = "^" .. ch .. "$"
    end
    i = i + 1
  end
  return out
end

-- Does `name` match the parts of a segment? Backtracks only to the last
-- star, so "*a*a*a*b" costs O(#name * #parts), never exponential time.
local function segment_matches(parts, name)
  local i, j, n = 1, 1, #name
  local star_j, star_i
  while i <= n do
    local p = parts[j]
    if p == STAR then
      star_j, star_i = j, i
      j = j + 1
    elseif p and name:sub(i, i):find(p) then
      i, j = i + 1, j + 1
    elseif star_j then
      star_i = star_i + 1
      i, j = star_i, star_j + 1
    else
      return false
    end
  end
  while parts[j] == STAR do
    j = j + 1
  end
  return j > #parts
end

local function has_wildcard(seg)
  return seg:find("[%*%?%[]") ~= nil
end

local function scandir(dir)
  local entries = {}
  local handle = uv.fs_scandir(dir)
  if not handle then
    return entries
  end
  while true do
    local name, t = uv.fs_scandir_next(handle)
    if not name then
      break
    end
    entries[#entries + 1] = { name = name, type = t }
  end
  table.sort(entries, function(a, b)
    return a.name < b.name
  end)
  return entries
end

-- scandir, paid for from the glob's budget of entries.
local function scan(dir, budget)
  local entries = scandir(dir)
  budget.left = budget.left - 1 - #entries
  return entries
end

local function walk(dir, segs, i, depth, out, limit, budget)
  if #out >= limit or depth > MAX_DEPTH or budget.left <= 0 then
    return
  end
  local seg = segs[i]
  local last = i == #segs
  if seg == "**" then
    if last then
      segs[i + 1] = "*"
    end
    walk(dir, segs, i + 1, depth, out, limit, budget)
    for _, e in ipairs(scan(dir, budget)) do
      local path = join(dir, e.name)
      if e.name:sub(1, 1) ~= "." and file_type(path, e.type) == "directory" then
        walk(path, segs, i, depth + 1, out, limit, budget)
      end
    end
    return
  end
  if not has_wildcard(seg) then
    local path = join(dir, seg)
    local t = file_type(path)
    if last and t == "file" then
      out[#out + 1] = path
    elseif not last and t == "directory" then
      walk(path, segs, i + 1, depth + 1, out, limit, budget)
    end
    return
  end
  local pat = segment_pattern(seg)
  local dot_ok = seg:sub(1, 1) == "."
  for _, e in ipairs(scan(dir, budget)) do
    if (dot_ok or e.name:sub(1, 1) ~= ".") and segment_matches(pat, e.name) then
      local path = join(dir, e.name)
      local t = file_type(path, e.type)
      if last and t == "file" then
        out[#out + 1] = path
      elseif not last and t == "directory" then
        walk(path, segs, i + 1, depth + 1, out, limit, budget)
      end
      if #out >= limit then
        return
      end
    end
  end
end

-- Files matching `glob`, relative to `base`. Sorted, at most `limit`.
function M.glob(glob, base, limit)
  limit = limit or 1000
  if glob:find("%z") then -- no file name holds a NUL (and Lua patterns cannot)
    return {}
  end
  local abs = glob
  if abs:sub(1, 2) == "~/" then
    abs = (os.getenv("HOME") or "") .. abs:sub(2)
  elseif abs:sub(1, 1) ~= "/" then
    abs = join(base, abs)
  end
  -- Split into the literal directory prefix and the segments to match.
  local segs, prefix = {}, {}
  local wild = false
  for seg in abs:gmatch("[^/]+") do
    if wild or has_wildcard(seg) then
      wild = true
      segs[#segs + 1] = seg
    elseif seg == ".." then
      prefix[#prefix] = nil
    elseif seg ~= "." then
      prefix[#prefix + 1] = seg
    end
  end
  local root = "/" .. table.concat(prefix, "/")
  local out = {}
  if #segs == 0 then
    if file_type(root) == "file" then
      out[1] = root
    end
    return out
  end
  walk(root, segs, 1, 0, out, limit, { left = MAX_SCANNED })
  return out
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

  local excludes = {}
  local function add_glob(glob, base, origin)
    for _, p in ipairs(M.glob(glob, base, limit)) do
      if not excludes[p] then
        push(p, loaded[p], origin)
      end
    end
  end

  local pfile, pglobs = M.project_file(dir)
  if pfile then
    local pdir = vim.fn.fnamemodify(pfile, ":h")
    for _, g in ipairs(pglobs) do
      if g.exclude then
        for _, p in ipairs(M.glob(g.glob, pdir, 10 * limit)) do
          excludes[p] = true
        end
      end
    end
    for _, g in ipairs(pglobs) do
      if not g.exclude then
        add_glob(g.glob, pdir, "project")
      end
    end
  end
  for _, g in ipairs(opts.globs) do
    add_glob(g, dir, "glob")
  end
  if opts.siblings and self_path then
    local ext = vim.fn.fnamemodify(self_path, ":e")
    if ext ~= "" then
      -- A folder with more such files than max_files is not one story
      -- (a downloads folder, /tmp): take none rather than an arbitrary few.
      local siblings = M.glob("*." .. ext, dir, limit + 2)
      if #siblings <= limit + 1 then
        for _, p in ipairs(siblings) do
          if not excludes[p] then
            push(p, loaded[p], "sibling")
          end
        end
      else
        M.too_many[buf] = dir
      end
    end
  end
  for path in pairs(added[buf] or {}) do
    push(path, loaded[path], "added")
  end
  -- Remove excluded entries that came from buffers or siblings.
  if next(excludes) then
    local kept = {}
    for _, s in ipairs(result) do
      if not (s.path and excludes[s.path]) then
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
