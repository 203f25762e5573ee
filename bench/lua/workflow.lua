-- One two-step workflow per request, answered when it has finished; every answer is checked (bench/peers.sh,
-- bench/warmup.sh, bench/memory.sh). Environment:
--   WF_PATH    request path; "{id}" in it is replaced by a unique key per request (Restate's workflow key)
--   WF_BODY    JSON body;  WF_PREFER  optional Prefer header (the runtime's "wait=5")
--   WF_EXPECT  substrings, "|"-separated, that a 2xx body must all hold to count as good
--   WF_TAG     makes the keys of this wrk run unique
--   WF_T0_MS   when set: good answers are also counted per WF_BUCKET_MS (default 100) since this epoch time
--              (ms), printed by done() as "BUCKET <index> <good>" lines (the warm-up curve), and the first good
--              answer's time since then as "FIRST <ms>"
-- done() prints "CHECK good=<n> bad=<n>" (bad: not 2xx, or a 2xx body without an expected substring).
local ffi = require("ffi")
pcall(ffi.cdef, "typedef struct { long tv_sec; long tv_nsec; } wf_timespec; int clock_gettime(int, wf_timespec *);")
local ts = ffi.new("wf_timespec")
local function now_ms()
  ffi.C.clock_gettime(0, ts) -- CLOCK_REALTIME, the clock `date +%s%3N` reads
  return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
end

local threads = {}
function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  good, bad, counter, buckets = 0, 0, 0, {}
  path = os.getenv("WF_PATH")
  headers = { ["Content-Type"] = "application/json" }
  local prefer = os.getenv("WF_PREFER") or ""
  if prefer ~= "" then headers["Prefer"] = prefer end
  body = os.getenv("WF_BODY") or "{}"
  prefix = (os.getenv("WF_TAG") or "wf") .. "-" .. tid .. "-"
  keyed = path:find("{id}", 1, true) ~= nil
  fixed = not keyed and wrk.format("POST", path, headers, body) or nil
  expects = {}
  for e in string.gmatch(os.getenv("WF_EXPECT") or "", "[^|]+") do table.insert(expects, e) end
  t0 = tonumber(os.getenv("WF_T0_MS") or "")
  bucket_ms = tonumber(os.getenv("WF_BUCKET_MS") or "100")
end

function request()
  if fixed then return fixed end
  counter = counter + 1
  return wrk.format("POST", path:gsub("{id}", prefix .. counter, 1), headers, body)
end

function response(status, hdrs, resp)
  if status < 200 or status > 299 or not resp then
    bad = bad + 1
    return
  end
  for _, e in ipairs(expects) do
    if not resp:find(e, 1, true) then
      bad = bad + 1
      return
    end
  end
  good = good + 1
  if t0 then
    local at = now_ms() - t0
    first = first or at
    local b = math.floor(at / bucket_ms)
    buckets[b] = (buckets[b] or 0) + 1
  end
end

function done(summary, latency, requests)
  local g, b, merged, first_all = 0, 0, {}, nil
  for _, t in ipairs(threads) do
    g = g + t:get("good")
    b = b + t:get("bad")
    local f = t:get("first")
    if f and (not first_all or f < first_all) then first_all = f end
    for k, v in pairs(t:get("buckets") or {}) do merged[k] = (merged[k] or 0) + v end
  end
  io.write(string.format("CHECK good=%d bad=%d\n", g, b))
  if first_all then io.write(string.format("FIRST %.0f\n", first_all)) end
  local keys = {}
  for k in pairs(merged) do table.insert(keys, k) end
  table.sort(keys)
  for _, k in ipairs(keys) do io.write(string.format("BUCKET %d %d\n", k, merged[k])) end
end
