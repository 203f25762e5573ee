-- Stores a new run and queues it together, or neither when the queue is full (returns 0).
-- KEYS: run, index, queue. ARGV: the run write (see save_run.lua), max queued.
if redis.call('XLEN', KEYS[3]) >= tonumber(ARGV[6]) then return 0 end
--#include save_run
redis.call('XADD', KEYS[3], '*', 'run_id', ARGV[4])
return 1
