-- Stores a todo unless one with its id exists; returns what is stored, new or existing, or false when the tenant
-- already keeps its maximum of todos. At the maximum, index entries whose todo expired are dropped first: once per
-- "soonest expiry" at most (the third key marks that none can have expired yet), so a tenant at its cap costs one
-- check per add, not a scan of every todo it keeps.
-- KEYS: todo, index, full-marker. ARGV: json, ttl ms, created ms, id, max todos, todo-key prefix.
local existing = redis.call('GET', KEYS[1])
if existing then return existing end
local max = tonumber(ARGV[5])
if redis.call('ZCARD', KEYS[2]) >= max then
  if redis.call('EXISTS', KEYS[3]) == 1 then return false end
  local soonest = nil
  for _, id in ipairs(redis.call('ZRANGE', KEYS[2], 0, -1)) do
    local ttl = redis.call('PTTL', ARGV[6] .. id)
    if ttl < 0 then
      redis.call('ZREM', KEYS[2], id)
    elseif soonest == nil or ttl < soonest then
      soonest = ttl
    end
  end
  if redis.call('ZCARD', KEYS[2]) >= max then
    if soonest then redis.call('SET', KEYS[3], '1', 'PX', soonest) end
    return false
  end
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[4])
redis.call('PEXPIRE', KEYS[2], ARGV[2])
return ARGV[1]
