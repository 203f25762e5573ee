-- Saves a run and its index entry atomically: never half a run; the index is trimmed of expired entries.
-- KEYS: run, index. ARGV: the run write (see save_run.lua).
local json = ARGV[1]
--#include save_run
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', ARGV[5])
return 1
