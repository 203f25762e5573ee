-- The stored events of a run after an id, or nil when none are kept (their retention is over): the caller then
-- rebuilds the run's compact history. One step, so a stream that expires between two commands is never half read.
-- KEYS: events. ARGV: the first id ('-', or '(' and an id for "after it").
if redis.call('EXISTS', KEYS[1]) == 0 then return false end
return redis.call('XRANGE', KEYS[1], ARGV[1], '+')
