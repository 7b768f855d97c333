-- Editor timings from a headless Neovim, as TSV rows: metric, value, unit.
--   save_to_diagnostics_*  time from :w to diagnostics published
--   sidebar_refresh        one sidebar redraw for the paragraph under the cursor
--   highlight_refresh_*    re-analysis and redraw of highlights after an edit
--   recheck_*              the same plus the checks (after a longer pause)
-- Run by bench/nvim_bench.sh (which sets up a private Neovim).
--
-- VB_BENCH_TEXTS is not used here, on purpose: a buffer is checked against
-- at most `sources.max_files` (50) documents, so a folder of thousands of
-- articles would time the same 50-source check on text that changes from
-- one machine to the next. These timings use the example story (and
-- variants of it made here) so that they stay comparable between runs; how
-- checking scales with the number and kind of sources is bench_check's
-- measure, which does read VB_BENCH_TEXTS.
local root = os.getenv("VB_ROOT") or vim.fn.getcwd()
local runs = tonumber(os.getenv("VB_BENCH_RUNS") or "30")

local function read(path)
  local f = assert(io.open(path, "rb"))
  local d = f:read("*a")
  f:close()
  return d
end

local function write(path, data)
  local f = assert(io.open(path, "wb"))
  f:write(data)
  f:close()
end

local function row(metric, value, unit)
  io.write(("%s\t%s\t%s\n"):format(metric, value, unit))
  io.stdout:flush()
end

local function ms(t)
  return ("%.2f"):format(t / 1e6)
end

local function median(xs)
  table.sort(xs)
  return xs[math.floor((#xs + 1) / 2)]
end

local function p95(xs)
  table.sort(xs)
  return xs[math.max(1, math.ceil(#xs * 0.95))]
end

local function timed(fn)
  local t = vim.loop.hrtime()
  fn()
  return vim.loop.hrtime() - t
end

local story = root .. "/examples/story"
local names = { "original.txt", "copy.txt", "rewrite.txt" }

-- A folder holding the example story, plus `extra` variants of the
-- original made by deterministic edits (sentences dropped, words swapped).
local function make_story(extra)
  local dir = vim.fn.tempname()
  vim.fn.mkdir(dir, "p")
  for _, n in ipairs(names) do
    write(dir .. "/" .. n, read(story .. "/" .. n))
  end
  local base = read(story .. "/original.txt")
  local swaps = { { "said", "told reporters" }, { "crane", "gantry" }, { "Tuesday", "Tuesday morning" }, { "port", "harbour" } }
  for i = 1, extra do
    local lines = vim.split(base, "\n", { plain = true })
    local out = {}
    for j, l in ipairs(lines) do
      if (j + i) % 5 ~= 0 then
        local s = swaps[(i + j) % #swaps + 1]
        out[#out + 1] = l:gsub(s[1], s[2], 1)
      end
    end
    write(("%s/variant%02d.txt"):format(dir, i), table.concat(out, "\n"))
  end
  return dir
end

local function close_all()
  vim.cmd("silent! only")
  vim.cmd("silent! %bwipeout!")
end

local function bench_save(label, dir, file)
  close_all()
  local t0 = vim.loop.hrtime()
  vim.cmd("silent edit " .. vim.fn.fnameescape(dir .. "/" .. file))
  local buf = vim.api.nvim_get_current_buf()
  vim.cmd("silent write")
  local cold = vim.loop.hrtime() - t0
  local count = #vim.diagnostic.get(buf)
  local times = {}
  for i = 1, runs do
    -- an edit, as a user would make before saving
    vim.api.nvim_buf_set_lines(buf, 0, 1, false, { (i % 2 == 0) and "Headline one" or "Headline two" })
    times[#times + 1] = timed(function()
      vim.cmd("silent write")
    end)
    assert(#vim.diagnostic.get(buf) >= 0)
  end
  local docs = require("verbatim.story").peek(buf).corpus:count()
  row("save_to_diagnostics_" .. label .. "_median", ms(median(times)), "ms")
  row("save_to_diagnostics_" .. label .. "_p95", ms(p95(times)), "ms")
  row("open_and_first_save_" .. label, ms(cold), "ms")
  row("documents_" .. label, docs, "docs")
  row("diagnostics_" .. label, count, "diagnostics")
  return buf
end

local function bench_sidebar(dir, file)
  close_all()
  vim.cmd("silent edit " .. vim.fn.fnameescape(dir .. "/" .. file))
  local buf = vim.api.nvim_get_current_buf()
  local sidebar = require("verbatim.sidebar")
  sidebar.open()
  local n = vim.api.nvim_buf_line_count(buf)
  local times = {}
  for i = 1, runs do
    local line = (i % n) + 1
    vim.api.nvim_win_set_cursor(sidebar.state.src_win, { line, 0 })
    times[#times + 1] = timed(function()
      sidebar.refresh(true)
    end)
  end
  sidebar.close()
  row("sidebar_refresh_median", ms(median(times)), "ms")
  row("sidebar_refresh_p95", ms(p95(times)), "ms")
end

local function bench_highlights(dir)
  close_all()
  -- about 5,000 words: the copy repeated
  local copy = read(story .. "/copy.txt")
  local text, words = {}, 0
  while words < 5000 do
    text[#text + 1] = copy
    for _ in copy:gmatch("%S+") do
      words = words + 1
    end
  end
  write(dir .. "/long.txt", table.concat(text, "\n"))
  vim.cmd("silent edit " .. vim.fn.fnameescape(dir .. "/long.txt"))
  local buf = vim.api.nvim_get_current_buf()
  local v = require("verbatim")
  v.refresh(buf)
  local light, full = {}, {}
  for i = 1, runs do
    vim.api.nvim_buf_set_lines(buf, 0, 1, false, { "Edit " .. i })
    light[#light + 1] = timed(function()
      v.refresh(buf, true)
    end)
    full[#full + 1] = timed(function()
      v.refresh(buf)
    end)
  end
  -- what runs after a pause in typing: analysis and redraw
  row("highlight_refresh_5000_words_median", ms(median(light)), "ms")
  row("highlight_refresh_5000_words_p95", ms(p95(light)), "ms")
  -- what runs after a longer pause: the checks too
  row("recheck_5000_words_median", ms(median(full)), "ms")
  row("recheck_5000_words_p95", ms(p95(full)), "ms")
  row("words_in_long_buffer", words, "words")
end

local ok, err = pcall(function()
  local dir3 = make_story(0)
  bench_save("example_story", dir3, "rewrite.txt")
  local dir20 = make_story(17)
  bench_save("20_documents", dir20, "rewrite.txt")
  bench_sidebar(dir3, "copy.txt")
  bench_highlights(dir3)
end)
if not ok then
  io.stderr:write("nvim_bench: " .. tostring(err) .. "\n")
  os.exit(1)
end
vim.cmd("qa!")
