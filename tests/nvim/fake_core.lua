-- A stand-in for lua/verbatim/core.so with the same interface and simple,
-- predictable rules, so the editor layer (jump, fix, sidebar, highlights,
-- diagnostics) is tested on its own: quotations are text between double
-- quotation marks on one line; a quotation matches another with the same
-- words (verbatim), a part of its words (fragment) or most of its words
-- (altered); a paragraph is a line; passages relate by shared words.
local M = { SOURCE = 1 }

function M.version()
  return "0.0.0-fake"
end

local Corpus = {}
Corpus.__index = Corpus

function M.new()
  return setmetatable({ _docs = {}, order = {}, next_id = 0 }, Corpus)
end

local function words(s)
  local out = {}
  for w in s:gmatch("[%w\128-\255']+") do
    out[#out + 1] = w:lower()
  end
  return out
end

local function doc(self, id)
  local d = self._docs[id]
  if not d then
    error("verbatim: no document " .. tostring(id), 2)
  end
  return d
end

function Corpus:add(name, bytes, flags)
  local id = self.next_id
  self.next_id = id + 1
  self._docs[id] = { name = name, bytes = bytes, flags = (flags == true and 1) or tonumber(flags) or 0 }
  self.order[#self.order + 1] = id
  return id
end

function Corpus:replace(id, bytes)
  doc(self, id).bytes = bytes
end

function Corpus:remove(id)
  doc(self, id)
  self._docs[id] = nil
  for i, x in ipairs(self.order) do
    if x == id then
      table.remove(self.order, i)
      break
    end
  end
end

function Corpus:set_flags(id, flags)
  doc(self, id).flags = (flags == true and 1) or tonumber(flags) or 0
end
function Corpus:set_option() end
function Corpus:load_names() end
function Corpus:free() end
function Corpus:count()
  return #self.order
end
function Corpus:docs()
  return vim.deepcopy(self.order)
end
function Corpus:name(id)
  return self._docs[id] and self._docs[id].name
end
function Corpus:bytes(id)
  return self._docs[id] and self._docs[id].bytes
end
function Corpus:flags(id)
  return self._docs[id] and self._docs[id].flags or 0
end

function Corpus:paragraph(id, offset)
  local b = doc(self, id).bytes
  local s = offset
  while s > 0 and b:sub(s, s) ~= "\n" do
    s = s - 1
  end
  local e = b:find("\n", offset + 1, true)
  return s, e and e - 1 or #b
end

local OPEN, CLOSE = { ['"'] = '"', ["“"] = "”" }, nil

function Corpus:quotes(id)
  local b = doc(self, id).bytes
  local out = {}
  local pos = 1
  while pos <= #b do
    local s = b:find('["\226]', pos)
    if not s then
      break
    end
    local open
    if b:sub(s, s) == '"' then
      open = '"'
    elseif b:sub(s, s + 2) == "“" then
      open = "“"
    end
    if not open then
      pos = s + 1
    else
      local line_end = b:find("\n", s, true) or #b + 1
      local close = OPEN[open]
      local e = b:find(close, s + #open, true)
      if open == "“" then
        local e2 = b:find('"', s + #open, true)
        if e2 and (not e or e2 < e) then
          e, close = e2, '"'
        end
      end
      if e and e < line_end then
        local inner = b:sub(s + #open, e - 1)
        local ws = words(inner)
        local term = #ws <= 3
        for w in inner:gmatch("%S+") do
          if not w:match("^%u") then
            term = false
          end
        end
        local speaker = b:sub(e + #close, line_end - 1):match("^,? said (%u%a+ %u%a+)")
          or b:sub(e + #close, line_end - 1):match("^,? (%u%a+) said")
        out[#out + 1] = {
          start = s - 1,
          stop = e - 1 + #close,
          inner_start = s - 1 + #open,
          inner_stop = e - 1,
          kind = term and "term" or "direct",
          text = inner,
          speaker = speaker,
          unclosed = false,
          continued = false,
          nested = false,
        }
        pos = e + #close
      else
        pos = line_end
      end
    end
  end
  return out
end

function Corpus:entities(id)
  local b = doc(self, id).bytes
  local out = {}
  local pos = 1
  while true do
    local s, e = b:find("%u%l+ %u%l+", pos)
    if not s then
      break
    end
    out[#out + 1] = { start = s - 1, stop = e, type = "PERSON", text = b:sub(s, e), canonical = b:sub(s, e) }
    pos = e + 1
  end
  pos = 1
  while true do
    local s, e = b:find("%d+", pos)
    if not s then
      break
    end
    out[#out + 1] = { start = s - 1, stop = e, type = "NUMBER", text = b:sub(s, e), canonical = b:sub(s, e) }
    pos = e + 1
  end
  table.sort(out, function(x, y)
    return x.start < y.start
  end)
  return out
end

local function joined(ws)
  return " " .. table.concat(ws, " ") .. " "
end

-- relation, score and diff of quotation words `a` against source words `b`
local function compare(a, b)
  local ja, jb = joined(a), joined(b)
  if ja == jb then
    return "verbatim", 1.0
  end
  if jb:find(ja, 1, true) then
    return "fragment", #a / #b
  end
  local set = {}
  for _, w in ipairs(b) do
    set[w] = true
  end
  local common = 0
  local missing = {}
  for _, w in ipairs(a) do
    if set[w] then
      common = common + 1
    end
  end
  local aset = {}
  for _, w in ipairs(a) do
    aset[w] = true
  end
  for _, w in ipairs(b) do
    if not aset[w] then
      missing[#missing + 1] = w
    end
  end
  local score = common / math.max(#a, #b)
  if score >= 0.6 then
    return "altered", score, ("'%s' dropped"):format(table.concat(missing, " "))
  end
  return nil
end

function Corpus:check(id)
  local report = { diagnostics = {}, quotes = {} }
  local ids = id and { id } or {}
  if not id then
    for _, x in ipairs(self.order) do
      if self._docs[x].flags == 0 then
        ids[#ids + 1] = x
      end
    end
  end
  for _, target in ipairs(ids) do
    doc(self, target)
    for _, q in ipairs(self:quotes(target)) do
      local matches = {}
      local qw = words(q.text)
      for _, other in ipairs(self.order) do
        if other ~= target then
          for _, oq in ipairs(self:quotes(other)) do
            local rel, score, diff = compare(qw, words(oq.text))
            if rel then
              matches[#matches + 1] =
                { doc = other, start = oq.start, stop = oq.stop, relation = rel, score = score, diff = diff, speaker = oq.speaker }
            end
          end
        end
      end
      table.sort(matches, function(x, y)
        if x.score ~= y.score then
          return x.score > y.score
        end
        return x.doc < y.doc
      end)
      report.quotes[#report.quotes + 1] = { doc = target, start = q.start, stop = q.stop, matches = matches }
      if q.kind ~= "term" then
        local best = matches[1]
        if not best then
          report.diagnostics[#report.diagnostics + 1] = {
            doc = target, start = q.start, stop = q.stop, severity = "warning",
            rule = "quote-unsourced", message = "quotation found in no source", related = {},
          }
        elseif best.relation == "altered" then
          report.diagnostics[#report.diagnostics + 1] = {
            doc = target, start = q.start, stop = q.stop, severity = "warning", rule = "quote-altered",
            message = "quotation differs from " .. self._docs[best.doc].name .. ": " .. best.diff,
            related = { { doc = best.doc, start = best.start, stop = best.stop } },
          }
        end
      end
    end
  end
  table.sort(report.diagnostics, function(x, y)
    return x.start < y.start
  end)
  return report
end

local function lines_of(b)
  local out = {}
  local pos = 1
  while pos <= #b do
    local e = b:find("\n", pos, true) or #b + 1
    if e > pos then
      out[#out + 1] = { start = pos - 1, stop = e - 1, text = b:sub(pos, e - 1) }
    end
    pos = e + 1
  end
  return out
end

local function similarity(a, b)
  local sa, sb = {}, {}
  for _, w in ipairs(a) do
    sa[w] = true
  end
  local inter, union = 0, 0
  for _, w in ipairs(b) do
    if not sb[w] then
      sb[w] = true
      if sa[w] then
        inter = inter + 1
      end
    end
  end
  for _ in pairs(sa) do
    union = union + 1
  end
  for w in pairs(sb) do
    if not sa[w] then
      union = union + 1
    end
  end
  return union > 0 and inter / union or 0
end

function Corpus:related(id, start, stop, max)
  local query = words(doc(self, id).bytes:sub(start + 1, stop))
  local out = {}
  for _, other in ipairs(self.order) do
    if other ~= id then
      for _, p in ipairs(lines_of(self._docs[other].bytes)) do
        local score = similarity(query, words(p.text))
        if score >= 0.2 then
          local rel = score >= 0.9 and "verbatim" or score >= 0.4 and "rewrite" or "related"
          out[#out + 1] = { doc = other, start = p.start, stop = p.stop, score = score, relation = rel, aligned = {} }
        end
      end
    end
  end
  table.sort(out, function(x, y)
    return x.score > y.score
  end)
  while #out > (max or 10) do
    out[#out] = nil
  end
  return out
end

function Corpus:align(id)
  local total, verbatim, rewrite = 0, 0, 0
  for _, p in ipairs(lines_of(doc(self, id).bytes)) do
    local n = #words(p.text)
    total = total + n
    local best = self:related(id, p.start, p.stop, 1)[1]
    if best and best.relation == "verbatim" then
      verbatim = verbatim + n
    elseif best and best.relation == "rewrite" then
      rewrite = rewrite + n
    end
  end
  if total == 0 then
    return { target = id, verbatim = 0, rewrite = 0, fresh = 1, reuse = "none", spans = {} }
  end
  local v, r = verbatim / total, rewrite / total
  return { target = id, verbatim = v, rewrite = r, fresh = 1 - v - r, reuse = "partially", spans = {} }
end

function Corpus:position(id, offset)
  local b = doc(self, id).bytes
  local line, last = 1, 0
  for i = 1, math.min(offset, #b) do
    if b:byte(i) == 10 then
      line, last = line + 1, i
    end
  end
  return line, offset - last + 1
end

function Corpus:encoding()
  return "utf-8"
end

return M
