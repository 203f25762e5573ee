-- A page of a tenant's runs awaiting approval, the most recent request first; entries whose run has expired are
-- dropped. KEYS: the tenant's awaiting runs. ARGV: first, last, run-key prefix.
local ids = redis.call('ZREVRANGE', KEYS[1], ARGV[1], ARGV[2])
local runs = {}
for _, id in ipairs(ids) do
  local run = redis.call('GET', ARGV[3] .. id)
  if run then runs[#runs + 1] = run else redis.call('ZREM', KEYS[1], id) end
end
return runs
