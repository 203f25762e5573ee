-- Stores a new run, counts it among its tenant's unfinished runs and queues it, all together; or nothing: 0 when the
-- queue is full, -1 when the tenant already has its maximum of unfinished runs (0: no maximum). Runs that expired
-- unfinished (their executors all died) are dropped from the tenant's set first; the set and the tenant's index
-- expire with its newest run, so a tenant that stops submitting leaves nothing behind.
-- KEYS: run, index, queue, unfinished. ARGV: the run write (see save_run.lua), max queued, max unfinished.
if redis.call('XLEN', KEYS[3]) >= tonumber(ARGV[6]) then return 0 end
redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', ARGV[5])
if tonumber(ARGV[7]) > 0 and redis.call('ZCARD', KEYS[4]) >= tonumber(ARGV[7]) then return -1 end
--#include save_run
redis.call('PEXPIREAT', KEYS[2], ARGV[2])
redis.call('ZADD', KEYS[4], ARGV[3], ARGV[4])
redis.call('PEXPIREAT', KEYS[4], ARGV[2])
redis.call('XADD', KEYS[3], '*', 'run_id', ARGV[4])
return 1
