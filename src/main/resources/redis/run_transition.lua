-- Saves a run only if the stored one still has the expected status, with its events in order; returns 0 otherwise.
-- A run that ends leaves its tenant's set of unfinished runs; a run that leaves awaiting_approval leaves the
-- approval deadlines and its tenant's awaiting runs; a run that goes on after approval is queued again.
-- KEYS: run, events, unfinished, approval deadlines, tenant's awaiting runs, queue. ARGV: expected status, json,
-- expire-at ms, '1' when this write ends the run, run id, '1' to queue the run, when the events expire (ms: with the
-- run, or the events' retention after the run's end), the run's tenant (for its queue entry), '1' when the run
-- leaves awaiting approval, then event type and data pairs. The statuses come from Java's RunLifecycle.
local current = redis.call('GET', KEYS[1])
if not current or cjson.decode(current).status ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'PXAT', ARGV[3])
for i = 10, #ARGV, 2 do
  redis.call('XADD', KEYS[2], '*', 'type', ARGV[i], 'data', ARGV[i + 1])
end
if #ARGV >= 10 then redis.call('PEXPIREAT', KEYS[2], ARGV[7]) end
if ARGV[4] == '1' then redis.call('ZREM', KEYS[3], ARGV[5]) end
if ARGV[9] == '1' then
  redis.call('ZREM', KEYS[4], ARGV[5])
  redis.call('ZREM', KEYS[5], ARGV[5])
end
if ARGV[6] == '1' then redis.call('XADD', KEYS[6], '*', 'run_id', ARGV[5], 'tenant', ARGV[8]) end
return 1
