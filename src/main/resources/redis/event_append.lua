-- Appends an event; the stream's TTL is set with its first event and not extended after. Returns the entry id.
-- KEYS: events. ARGV: type, data, ttl ms.
local id = redis.call('XADD', KEYS[1], '*', 'type', ARGV[1], 'data', ARGV[2])
if redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
return id
