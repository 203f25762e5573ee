-- Runs whose request for approval expired by now, oldest deadline first; entries whose run has expired are dropped.
-- KEYS: approval deadlines. ARGV: now ms, max, run-key prefix.
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, ARGV[2])
local due = {}
for _, id in ipairs(ids) do
  if redis.call('EXISTS', ARGV[3] .. id) == 1 then due[#due + 1] = id else redis.call('ZREM', KEYS[1], id) end
end
return due
