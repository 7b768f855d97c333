-- fuzz_sources: a small mutation fuzzer for the `.verbatim` sources-file
-- reader (lua/verbatim/sources.lua), which libFuzzer cannot reach.
--
-- Runs in a headless Neovim (the reader uses vim.loop and vim.fn). Each input
-- is written as the .verbatim file of a scratch story folder; then the file is
-- read, its globs are resolved together, every path found must match its
-- glob as text (how `!` lines exclude), and the source list of a buffer in that
-- folder is built. Every call must return without an error, in bounded time,
-- with well-formed paths. Inputs start from tests/fuzz/seeds/sources/ and are
-- mutated with glob syntax, path tricks and random bytes.
--
-- Environment: VB_ROOT (checkout), FUZZ_SECONDS (default 60),
-- FUZZ_OUT (folder for failing inputs), FUZZ_SEED (random seed).
-- Prints libFuzzer-style "stat::" lines; exits 1 on a finding.
local root = os.getenv("VB_ROOT") or vim.fn.getcwd()
local seconds = tonumber(os.getenv("FUZZ_SECONDS") or "60")
local out_dir = os.getenv("FUZZ_OUT") or (root .. "/build-fuzz/crashes")
local uv = vim.loop
math.randomseed(tonumber(os.getenv("FUZZ_SEED") or "") or os.time())

local sources = require("verbatim.sources")
local glob = require("verbatim.glob")
local config = require("verbatim.config")
if config.set then
  pcall(config.set, {})
end

local function write(path, data)
  local f = assert(io.open(path, "wb"))
  f:write(data)
  f:close()
end

-- A scratch story folder: ordinary files, hidden files, names with glob
-- characters in them, and a deep chain of folders.
local tmp = vim.fn.tempname()
local story = tmp .. "/story"
local function mkdir(p)
  vim.fn.mkdir(p, "p")
end
mkdir(story .. "/wires/old")
mkdir(story .. "/.hidden")
local deep = story
for i = 1, 10 do
  deep = deep .. "/d" .. i
  mkdir(deep)
  write(deep .. "/level" .. i .. ".txt", "level")
end
for _, name in ipairs({ "draft.txt", "wire-a.txt", "wire-b.txt", "notes.md", "odd [1].txt",
  "star*.txt", "q?.txt", "pct%.txt", ".dot.txt", "wires/one.txt", "wires/old/two.txt",
  ".hidden/h.txt" }) do
  write(story .. "/" .. name, "text")
end

-- Seeds.
local seeds = {}
local seed_dir = root .. "/tests/fuzz/seeds/sources"
for _, name in ipairs(vim.fn.readdir(seed_dir) or {}) do
  local f = io.open(seed_dir .. "/" .. name, "rb")
  if f then
    seeds[#seeds + 1] = f:read("*a")
    f:close()
  end
end
if #seeds == 0 then
  seeds = { "*.txt\n" }
end

local tokens = { "*", "**", "?", "[", "]", "[!", "[^", "!", "/", "../", "./", "~/", "#", "\n",
  "\r\n", "%", ".", "{a,b}", "\0", " ", "\t", "**/", "*.txt", "wires", "d1/d2", "[a-z]",
  "]]", "[[", "%a", "(", ")", "$", "^", "+", "-", "\\", "/..", "//", "\255\254", "\226\128\156" }

local function rand_bytes(n)
  local t = {}
  for i = 1, n do
    t[i] = string.char(math.random(0, 255))
  end
  return table.concat(t)
end

local function mutate(s)
  for _ = 1, math.random(1, 6) do
    local op = math.random(1, 7)
    local i = math.random(0, #s)
    if op == 1 then
      s = s:sub(1, i) .. tokens[math.random(#tokens)] .. s:sub(i + 1)
    elseif op == 2 then
      s = s:sub(1, i) .. rand_bytes(math.random(1, 4)) .. s:sub(i + 1)
    elseif op == 3 and #s > 0 then
      local j = math.min(#s, i + math.random(1, 8))
      s = s:sub(1, i) .. s:sub(j + 1)
    elseif op == 4 and #s > 0 then
      local j = math.min(#s, i + math.random(1, 16))
      s = s:sub(1, j) .. s:sub(i + 1, j) .. s:sub(j + 1)
    elseif op == 5 then
      s = s .. "\n" .. seeds[math.random(#seeds)]
    elseif op == 6 then
      local n = math.random(1, 12)
      s = s:sub(1, i) .. string.rep(tokens[math.random(#tokens)], n) .. s:sub(i + 1)
    else
      s = s:sub(1, i) .. "\n" .. tokens[math.random(#tokens)] .. "/" .. tokens[math.random(#tokens)] .. s:sub(i + 1)
    end
  end
  if #s > 4096 then
    s = s:sub(1, 4096)
  end
  return s
end

local function check_paths(list, limit, what)
  if type(list) ~= "table" then
    return what .. " returned " .. type(list)
  end
  if #list > limit then
    return what .. " returned " .. #list .. " paths, over the limit " .. limit
  end
  for _, p in ipairs(list) do
    local path = type(p) == "table" and p.path or p
    if path ~= nil and (type(path) ~= "string" or path:sub(1, 1) ~= "/") then
      return what .. " returned a path that is not absolute: " .. tostring(path)
    end
  end
  return nil
end

local buf = vim.api.nvim_create_buf(true, false)
vim.api.nvim_buf_set_name(buf, story .. "/draft.txt")

-- One input: nil when fine, else what went wrong.
local function run_one(data)
  write(story .. "/.verbatim", data)
  local ok, path, globs = pcall(sources.project_file, story)
  if not ok then
    return "project_file raised: " .. tostring(path)
  end
  if path and type(globs) ~= "table" then
    return "project_file returned no glob list"
  end
  local list = {}
  for _, g in ipairs(globs or {}) do
    if type(g.glob) ~= "string" then
      return "a glob that is not a string"
    end
    list[#list + 1] = g.glob
  end
  -- All the file's globs in one walk, as the source list resolves them.
  local ok2, res = pcall(glob.resolve, list, story, 20)
  if not ok2 then
    return "resolve raised: " .. tostring(res)
  end
  if #res ~= #list then
    return ("resolve gave %d lists for %d globs"):format(#res, #list)
  end
  for k, g in ipairs(list) do
    local bad = check_paths(res[k], 20, "glob(" .. vim.inspect(g) .. ")")
    if bad then
      return bad
    end
    local c = glob.compile(g, story)
    for _, p in ipairs(res[k]) do
      if not glob.matches(c, p) then
        return "glob(" .. vim.inspect(g) .. ") found " .. p .. " but does not match it"
      end
    end
  end
  local ok3, list = pcall(sources.list, buf)
  if not ok3 then
    return "list raised: " .. tostring(list)
  end
  return check_paths(list, config.get().sources.max_files, "list")
end

local function now()
  return uv.hrtime() / 1e9
end

-- A hook stops an input that runs too long (a hang is a finding too), and
-- the input being run is kept on disk so that a crash of Neovim itself
-- leaves it behind.
local input_deadline = math.huge
debug.sethook(function()
  if uv.hrtime() / 1e9 > input_deadline then
    input_deadline = math.huge
    error("time limit: over 5 s on one input")
  end
end, "", 10000)
mkdir(out_dir)
local current = out_dir .. "/sources-current"

local corpus = {}
for _, s in ipairs(seeds) do
  corpus[#corpus + 1] = s
end
local start, execs, findings, slowest = now(), 0, 0, 0
local deadline = start + seconds
while now() < deadline do
  local input = execs < #seeds and seeds[execs + 1] or mutate(corpus[math.random(#corpus)])
  write(current, input)
  local t0, cpu0 = now(), os.clock()
  input_deadline = t0 + 5
  local problem = run_one(input)
  input_deadline = math.huge
  -- Slowness is judged on CPU time: a busy machine or a cold disk cache
  -- stretches the wall clock, not the work an input causes.
  local dt = os.clock() - cpu0
  if dt > slowest then
    slowest = dt
  end
  if not problem and dt > 1 then
    problem = ("took %.1f s of CPU time"):format(dt)
  end
  execs = execs + 1
  if problem then
    findings = findings + 1
    mkdir(out_dir)
    local name = ("%s/sources-%d-%d"):format(out_dir, os.time(), findings)
    write(name, input)
    io.stdout:write(("FINDING: %s\n  input: %s\n"):format(problem, name))
    if findings >= 5 then
      break
    end
  elseif #corpus < 500 and math.random() < 0.05 then
    corpus[#corpus + 1] = input -- keep some inputs to mutate further
  end
end
debug.sethook()
os.remove(current)
vim.fn.delete(tmp, "rf")
local elapsed = now() - start
io.stdout:write(("stat::number_of_executed_units: %d\n"):format(execs))
io.stdout:write(("stat::average_exec_per_sec:     %d\n"):format(math.floor(execs / math.max(elapsed, 1e-3))))
io.stdout:write(("stat::slowest_unit_time_sec:    %.3f\n"):format(slowest))
io.stdout:write(("stat::findings:                 %d\n"):format(findings))
io.stdout:flush()
vim.cmd(findings > 0 and "cquit 1" or "qall!")
