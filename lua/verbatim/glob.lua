-- verbatim.glob: file globs matched in Lua, never by a shell or expand().
--
-- Globs know `*`, `?`, `[abc]`, `[!abc]` and `**` (any number of folders).
-- Several globs are resolved together in one walk: each folder is read at
-- most once and every glob is matched against each of its entries, so the
-- work a `.verbatim` file can cause is bounded per file, not per line.
local M = {}

local uv = (vim.uv or vim.loop)

-- Deepest folder a walk enters below a glob's literal folder.
M.MAX_DEPTH = 8
-- Most directory entries one walk reads from disk: "/**/*.md" must not walk
-- the whole disk while the editor waits.
M.MAX_LISTED = 20000
-- Most (entry, glob) comparisons one walk makes, so that many globs over
-- the same folders stay as cheap as a few.
M.MAX_CHECKS = 100000

local function join(dir, name)
  if dir:sub(-1) == "/" then
    return dir .. name
  end
  return dir .. "/" .. name
end
M.join = join

local function file_type(path, t)
  if t and t ~= "link" then
    return t
  end
  local st = uv.fs_stat(path)
  return st and st.type
end
M.file_type = file_type

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
-- a Lua pattern item for one byte (".", "%.", "[ab]").
local STAR = {}
local function segment_parts(seg)
  local out, i = {}, 1
  while i <= #seg do
    local ch = seg:sub(i, i)
    if ch == "*" then
      if out[#out] ~= STAR then
        out[#out + 1] = STAR
      end
    elseif ch == "?" then
      out[#out + 1] = "."
    elseif ch == "[" and class_body(seg, i) then
      local body, close = class_body(seg, i)
      out[#out + 1] = "[" .. body .. "]"
      i = close
    elseif ch:match("%p") then
      out[#out + 1] = "%" .. ch
    else
      out[#out + 1] = ch
    end
    i = i + 1
  end
  return out
end

-- Does `name` match the parts of a segment? Backtracks only to the last
-- star, so "*a*a*a*b" costs O(#name * #parts), never exponential time.
local function parts_match(parts, name)
  local i, j, n = 1, 1, #name
  local star_j, star_i
  while i <= n do
    local p = parts[j]
    if p == STAR then
      star_j, star_i = j, i
      j = j + 1
    elseif p and name:sub(i, i):find("^" .. p .. "$") then
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

-- A matcher for one wildcard segment. With at most one star a whole Lua
-- pattern is safe (no nested backtracking) and much faster.
local function segment_matcher(seg)
  local parts = segment_parts(seg)
  local stars = 0
  for _, p in ipairs(parts) do
    if p == STAR then
      stars = stars + 1
    end
  end
  local dot_ok = seg:sub(1, 1) == "."
  if stars <= 1 then
    local items = {}
    for k, p in ipairs(parts) do
      items[k] = p == STAR and ".*" or p
    end
    local pat = "^" .. table.concat(items) .. "$"
    return function(name)
      return (dot_ok or name:sub(1, 1) ~= ".") and name:find(pat) ~= nil
    end
  end
  return function(name)
    return (dot_ok or name:sub(1, 1) ~= ".") and parts_match(parts, name)
  end
end

-- A glob as { root = literal absolute folder, segs = segments to match,
-- match = { [k] = matcher of wildcard segment k } }; nil when it can match
-- nothing (a NUL byte: no file name holds one, and Lua patterns cannot).
function M.compile(glob, base)
  if glob:find("%z") then
    return nil
  end
  local abs = glob
  if abs:sub(1, 2) == "~/" then
    abs = (os.getenv("HOME") or "") .. abs:sub(2)
  elseif abs:sub(1, 1) ~= "/" then
    abs = join(base or uv.cwd(), abs)
  end
  local segs, prefix = {}, {}
  for seg in abs:gmatch("[^/]+") do
    if #segs > 0 or has_wildcard(seg) then
      -- "**/**" is "**"; a trailing "**" means the files below it.
      if not (seg == "**" and segs[#segs] == "**") then
        segs[#segs + 1] = seg
      end
    elseif seg == ".." then
      prefix[#prefix] = nil
    elseif seg ~= "." then
      prefix[#prefix + 1] = seg
    end
  end
  if segs[#segs] == "**" then
    segs[#segs + 1] = "*"
  end
  local match = {}
  for k, seg in ipairs(segs) do
    if seg ~= "**" and has_wildcard(seg) then
      match[k] = segment_matcher(seg)
    end
  end
  return { root = "/" .. table.concat(prefix, "/"), segs = segs, match = match }
end

-- A walk: the folders read so far and what is left of the budgets. One
-- walk serves every glob of a `.verbatim` file.
function M.new_walk()
  return { listed = M.MAX_LISTED, checks = M.MAX_CHECKS, dirs = {} }
end

-- The entries of `dir`, sorted by name, read from disk once per walk.
local function listing(walk, dir)
  local entries = walk.dirs[dir]
  if entries then
    return entries
  end
  entries = {}
  -- fs_opendir, not fs_scandir: the luv of older Neovims never frees a
  -- synchronous fs_scandir request, which adds up over many walks.
  local handle = uv.fs_opendir and uv.fs_opendir(dir, nil, 256)
  if handle then
    while true do
      local batch = uv.fs_readdir(handle)
      if not batch then
        break
      end
      for _, e in ipairs(batch) do
        entries[#entries + 1] = { name = e.name, type = e.type }
      end
    end
    uv.fs_closedir(handle)
  elseif not uv.fs_opendir then
    local scan = uv.fs_scandir(dir)
    while scan do
      local name, t = uv.fs_scandir_next(scan)
      if not name then
        break
      end
      entries[#entries + 1] = { name = name, type = t }
    end
  end
  table.sort(entries, function(a, b)
    return a.name < b.name
  end)
  walk.dirs[dir] = entries
  walk.listed = walk.listed - 1 - #entries
  return entries
end

local function entry_type(dir, e)
  if e.kind == nil then
    e.kind = file_type(join(dir, e.name), e.type) or false
  end
  return e.kind
end

-- Visit `dir` with `states` (lists of { glob number, segment number }),
-- appending matches to out[glob number] up to `limit` each.
local function visit(walk, globs, out, limit, dir, states, depth)
  if depth > M.MAX_DEPTH or walk.listed <= 0 or walk.checks <= 0 then
    return
  end
  -- Live states; "**" also stands for the segment after it (zero folders).
  local live, seen = {}, {}
  local function add(list, mark, g, i)
    local key = g * 65536 + i
    if not mark[key] then
      mark[key] = true
      list[#list + 1] = { g, i }
    end
  end
  for _, st in ipairs(states) do
    local g, i = st[1], st[2]
    if #out[g] < limit then
      add(live, seen, g, i)
      if globs[g].segs[i] == "**" then
        add(live, seen, g, i + 1)
      end
    end
  end
  if #live == 0 then
    return
  end
  local children, child_names = {}, {}
  local function add_child(name, g, i)
    local c = children[name]
    if not c then
      c = { states = {}, mark = {} }
      children[name] = c
      child_names[#child_names + 1] = name
    end
    add(c.states, c.mark, g, i)
  end
  local scanning = {}
  for _, st in ipairs(live) do
    local g, i = st[1], st[2]
    local seg = globs[g].segs[i]
    if seg == "**" or globs[g].match[i] then
      scanning[#scanning + 1] = st
    else
      local path = join(dir, seg)
      local t = file_type(path)
      if i == #globs[g].segs then
        if t == "file" and #out[g] < limit then
          out[g][#out[g] + 1] = path
        end
      elseif t == "directory" then
        add_child(seg, g, i + 1)
      end
    end
  end
  if #scanning > 0 then
    local entries = listing(walk, dir)
    walk.checks = walk.checks - #entries * #scanning
    for _, e in ipairs(entries) do
      local name = e.name
      for _, st in ipairs(scanning) do
        local g, i = st[1], st[2]
        local glob = globs[g]
        if glob.segs[i] == "**" then
          if name:sub(1, 1) ~= "." and entry_type(dir, e) == "directory" then
            add_child(name, g, i)
          end
        elseif glob.match[i](name) then
          local t = entry_type(dir, e)
          if i == #glob.segs then
            if t == "file" and #out[g] < limit then
              out[g][#out[g] + 1] = join(dir, name)
            end
          elseif t == "directory" then
            add_child(name, g, i + 1)
          end
        end
      end
    end
  end
  table.sort(child_names)
  for _, name in ipairs(child_names) do
    visit(walk, globs, out, limit, join(dir, name), children[name].states, depth + 1)
  end
end

-- Files matching each of `list` (globs relative to `base`): a list of path
-- lists in the same order, each in walk order and at most `limit` long.
-- Globs with the same literal folder are walked together; `walk` (from
-- new_walk) may be shared with other calls to share its budgets.
function M.resolve(list, base, limit, walk)
  limit = limit or 1000
  walk = walk or M.new_walk()
  local results, globs, by_key, roots, root_states = {}, {}, {}, {}, {}
  for n, text in ipairs(list) do
    local c = M.compile(text, base)
    if not c then
      results[n] = {}
    elseif #c.segs == 0 then
      results[n] = file_type(c.root) == "file" and { c.root } or {}
    else
      local key = c.root .. "\0" .. table.concat(c.segs, "\0")
      if not by_key[key] then
        globs[#globs + 1] = c
        by_key[key] = #globs
        if not root_states[c.root] then
          roots[#roots + 1] = c.root
          root_states[c.root] = {}
        end
        table.insert(root_states[c.root], { #globs, 1 })
      end
      results[n] = by_key[key]
    end
  end
  local out = {}
  for g = 1, #globs do
    out[g] = {}
  end
  -- Deepest folders first: a "/**" line must not use up the budgets
  -- before "wire/*.txt" next to the `.verbatim` file is looked at.
  local order = {}
  for k, root in ipairs(roots) do
    order[k] = { root = root, k = k, depth = select(2, root:gsub("[^/]+", "")) }
  end
  table.sort(order, function(a, b)
    if a.depth ~= b.depth then
      return a.depth > b.depth
    end
    return a.k < b.k
  end)
  for _, o in ipairs(order) do
    local root = o.root
    if file_type(root) == "directory" then
      visit(walk, globs, out, limit, root, root_states[root], 0)
    end
  end
  for n = 1, #list do
    if type(results[n]) == "number" then
      results[n] = out[results[n]]
    end
  end
  return results
end

-- Files matching one glob, relative to `base`; at most `limit`.
function M.glob(glob, base, limit, walk)
  return M.resolve({ glob }, base, limit, walk)[1]
end

-- Does the normalised absolute `path` match the compiled glob `c`? Matched
-- as text, without reading the disk: this is how `!` lines exclude.
function M.matches(c, path)
  if not c then
    return false
  end
  if #c.segs == 0 then
    return path == c.root
  end
  local rest
  if c.root == "/" then
    rest = path:sub(2)
  elseif path:sub(1, #c.root + 1) == c.root .. "/" then
    rest = path:sub(#c.root + 2)
  else
    return false
  end
  local names = {}
  for name in rest:gmatch("[^/]+") do
    names[#names + 1] = name
  end
  local segs, needed = c.segs, 0
  for _, seg in ipairs(segs) do
    if seg ~= "**" then
      needed = needed + 1
    end
  end
  if needed > #names then
    return false
  end
  -- Memoised over (segment, name): linear in their product, whatever the
  -- number of "**".
  local memo, width = {}, #names + 2
  local function from(i, j)
    local key = i * width + j
    local r = memo[key]
    if r ~= nil then
      return r
    end
    local seg = segs[i]
    if not seg then
      r = j > #names
    elseif seg == "**" then
      r = from(i + 1, j) or (j < #names and names[j]:sub(1, 1) ~= "." and from(i, j + 1))
    elseif j > #names then
      r = false
    elseif c.match[i] then
      r = c.match[i](names[j]) and from(i + 1, j + 1)
    else
      r = seg == names[j] and from(i + 1, j + 1)
    end
    memo[key] = r
    return r
  end
  return from(1, 1)
end

return M
