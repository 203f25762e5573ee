-- Whether a new run of the tenant would be accepted now, writing nothing: 0 when the queue is full, -1 when the
-- tenant already has its maximum of unfinished runs (0: no maximum; entries at or below the cutoff have expired
-- and do not count), 1 otherwise. The submission (run_submit.lua) checks the same again, atomically with the write.
-- KEYS: queue, unfinished. ARGV: max queued, max unfinished, cutoff ms.
if redis.call('XLEN', KEYS[1]) >= tonumber(ARGV[1]) then return 0 end
local max = tonumber(ARGV[2])
if max > 0 and redis.call('ZCOUNT', KEYS[2], '(' .. ARGV[3], '+inf') >= max then return -1 end
return 1
