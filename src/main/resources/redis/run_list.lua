-- A page of a tenant's runs, newest first; expired index entries are trimmed first.
-- KEYS: index. ARGV: cutoff ms, first, last, run-key prefix.
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
local ids = redis.call('ZREVRANGE', KEYS[1], ARGV[2], ARGV[3])
local runs = {}
for _, id in ipairs(ids) do
  local run = redis.call('GET', ARGV[4] .. id)
  if run then runs[#runs + 1] = run end
end
return runs
