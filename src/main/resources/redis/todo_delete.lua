-- Deletes a todo and its index entry; returns how many todos were deleted (0 or 1).
-- KEYS: todo, index. ARGV: id.
redis.call('ZREM', KEYS[2], ARGV[1])
return redis.call('DEL', KEYS[1])
