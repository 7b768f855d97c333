-- verbatim.text: buffer text as the bytes the core sees, and conversions
-- between the core's 0-based byte offsets and Neovim's (row, col).
local M = {}

-- Bytes of a buffer: its lines joined by "\n", with a final "\n" when the
-- buffer has text (what :w writes for 'eol' files).
function M.buffer_bytes(buf)
  local lines = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
  if #lines == 0 or (#lines == 1 and lines[1] == "") then
    return ""
  end
  return table.concat(lines, "\n") .. "\n"
end

-- Start offsets of every line of `bytes` (a list, 1-based index = row + 1).
function M.line_starts(bytes)
  local starts, n, pos = { 0 }, 1, 1
  while true do
    local nl = bytes:find("\n", pos, true)
    if not nl then
      break
    end
    n = n + 1
    starts[n] = nl -- offset of the byte after "\n" (0-based)
    pos = nl + 1
  end
  return starts
end

-- 0-based (row, col) of a 0-based byte offset, given a line_starts() table.
function M.offset_to_pos(starts, offset)
  local lo, hi = 1, #starts
  while lo < hi do
    local mid = math.floor((lo + hi + 1) / 2)
    if starts[mid] <= offset then
      lo = mid
    else
      hi = mid - 1
    end
  end
  return lo - 1, offset - starts[lo]
end

-- 0-based byte offset of a 0-based (row, col).
function M.pos_to_offset(starts, row, col)
  local s = starts[row + 1]
  if not s then
    s = starts[#starts]
  end
  return s + col
end

-- Clamp a (row, col) to the lines of a buffer, so extmarks and cursors never
-- land outside (the buffer may have changed since the analysis).
function M.clamp(buf, row, col)
  local count = vim.api.nvim_buf_line_count(buf)
  if row >= count then
    row = count - 1
    col = #(vim.api.nvim_buf_get_lines(buf, row, row + 1, false)[1] or "")
    return row, col
  end
  local line = vim.api.nvim_buf_get_lines(buf, row, row + 1, false)[1] or ""
  if col > #line then
    col = #line
  end
  return row, col
end

-- Byte index in UTF-8 `line` of character index `idx` (clamped).
function M.char_to_byte(line, idx)
  local ok, b
  if vim.fn.has("nvim-0.11") == 1 then
    ok, b = pcall(vim.str_byteindex, line, "utf-32", idx, false)
  else
    ok, b = pcall(vim.str_byteindex, line, idx)
  end
  if ok and b then
    return b
  end
  return math.min(idx, #line)
end

-- Text of a byte range, whitespace squeezed, cut to `max` bytes with "…".
function M.excerpt(bytes, start, stop, max)
  local s = bytes:sub(start + 1, stop):gsub("%s+", " "):gsub("^ ", ""):gsub(" $", "")
  if max and #s > max then
    local cut = max
    -- do not split a UTF-8 sequence
    while cut > 0 and s:byte(cut + 1) and s:byte(cut + 1) >= 0x80 and s:byte(cut + 1) < 0xC0 do
      cut = cut - 1
    end
    s = s:sub(1, cut) .. "…"
  end
  return s
end

return M
