-- Stores a todo unless one with its id exists; returns what is stored, new or existing.
-- KEYS: todo, index. ARGV: json, ttl ms, created ms, id.
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  redis.call('ZADD', KEYS[2], ARGV[3], ARGV[4])
  return ARGV[1]
end
return redis.call('GET', KEYS[1])
