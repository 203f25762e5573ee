-- Deletes a todo and its index entry, which makes room under the tenant's cap; returns how many todos were deleted.
-- KEYS: todo, index, full-marker. ARGV: id.
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('DEL', KEYS[3])
return redis.call('DEL', KEYS[1])
