-- Claims an idempotency key; returns nil when claimed, else what the key holds.
-- KEYS: key. ARGV: claim json, ttl ms.
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return false end
return redis.call('GET', KEYS[1])
