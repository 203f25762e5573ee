-- Counts a run start in a fixed window; returns -1 when allowed, else ms until the window ends.
-- KEYS: window. ARGV: window ms, limit.
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
if n > tonumber(ARGV[2]) then return redis.call('PTTL', KEYS[1]) end
return -1
