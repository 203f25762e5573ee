-- Saves a run together with the event that says what changed, unless the stored run has already ended: then it
-- returns 0 and writes nothing, so a late write (a step that finished after the run was cancelled, or a write that
-- a slower connection delivered late) never brings an ended run back. A run that ends leaves its tenant's set of
-- unfinished runs; a run that pauses for approval joins the deadlines every instance watches and its tenant's
-- awaiting runs.
-- KEYS: run, index, events, unfinished, approval deadlines, tenant's awaiting runs. ARGV: the run write (see
-- save_run.lua), event type, event data, '1' when this write ends the run, the approval's deadline ms and request
-- ms ('' when the run does not await approval), when the events expire (ms: with the run, or the events' retention
-- after the run's end).
--#include run_ended
if ended(redis.call('GET', KEYS[1])) then return 0 end
--#include save_run
redis.call('XADD', KEYS[3], '*', 'type', ARGV[6], 'data', ARGV[7])
redis.call('PEXPIREAT', KEYS[3], ARGV[11])
if ARGV[8] == '1' then redis.call('ZREM', KEYS[4], ARGV[4]) end
if ARGV[9] ~= '' then
  redis.call('ZADD', KEYS[5], ARGV[9], ARGV[4])
  redis.call('ZADD', KEYS[6], ARGV[10], ARGV[4])
  -- The tenant's awaiting runs live as long as the longest-lived run among them.
  local now = redis.call('TIME')
  local left = redis.call('PTTL', KEYS[6])
  if left < 0 or left < tonumber(ARGV[2]) - (now[1] * 1000 + math.floor(now[2] / 1000)) then
    redis.call('PEXPIREAT', KEYS[6], ARGV[2])
  end
end
return 1
