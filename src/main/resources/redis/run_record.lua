-- Saves a run together with the event that says what changed.
-- KEYS: run, index, events. ARGV: the run write (see save_run.lua), event type, event data.
--#include save_run
redis.call('XADD', KEYS[3], '*', 'type', ARGV[6], 'data', ARGV[7])
redis.call('PEXPIREAT', KEYS[3], ARGV[2])
return 1
