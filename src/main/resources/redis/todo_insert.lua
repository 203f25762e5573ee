-- Stores a todo unless one with its id exists; returns what is stored, new or existing, or false when the tenant
-- already keeps its maximum of todos. Index entries whose todo expired are dropped before counting.
-- KEYS: todo, index. ARGV: json, ttl ms, created ms, id, max todos, todo-key prefix.
local existing = redis.call('GET', KEYS[1])
if existing then return existing end
if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[5]) then
  for _, id in ipairs(redis.call('ZRANGE', KEYS[2], 0, -1)) do
    if redis.call('EXISTS', ARGV[6] .. id) == 0 then redis.call('ZREM', KEYS[2], id) end
  end
  if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[5]) then return false end
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[4])
redis.call('PEXPIRE', KEYS[2], ARGV[2])
return ARGV[1]
