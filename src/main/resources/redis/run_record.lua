-- Saves a run together with the events that say what changed, unless the stored run has already ended: then it
-- returns 0 and writes nothing, so a late write (a step that finished after the run was cancelled, or a write that
-- a slower connection delivered late) never brings an ended run back. The run's index entry was written when it
-- was submitted and is not touched. A run that ends leaves its tenant's set of unfinished runs and its events take
-- their retention; a run that pauses for approval joins the deadlines every instance watches and its tenant's
-- awaiting runs.
-- A write that ends a run also acknowledges and deletes the run's queue entry, when the writer holds one: the run
-- never stays pending in the queue after its end.
-- KEYS: run, events, unfinished, approval deadlines, tenant's awaiting runs, queue. ARGV: json, expire-at ms, run
-- id, '1' when this write ends the run, the approval's deadline ms and request ms ('' when the run does not await
-- approval), when the events expire once the run has ended (ms), the queue entry to acknowledge ('' for none),
-- the queue's group, the terminal statuses (see run_ended.lua), then event type and data pairs.
--#include run_ended
if ended(redis.call('GET', KEYS[1]), ARGV[10]) then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PXAT', ARGV[2])
for i = 11, #ARGV, 2 do
  redis.call('XADD', KEYS[2], '*', 'type', ARGV[i], 'data', ARGV[i + 1])
end
if ARGV[4] == '1' then
  redis.call('ZREM', KEYS[3], ARGV[3])
  redis.call('PEXPIREAT', KEYS[2], ARGV[7])
  if ARGV[8] ~= '' then
    redis.call('XACK', KEYS[6], ARGV[9], ARGV[8])
    redis.call('XDEL', KEYS[6], ARGV[8])
  end
end
if ARGV[5] ~= '' then
  redis.call('ZADD', KEYS[4], ARGV[5], ARGV[3])
  redis.call('ZADD', KEYS[5], ARGV[6], ARGV[3])
  -- The tenant's awaiting runs live as long as the longest-lived run among them.
  local now = redis.call('TIME')
  local left = redis.call('PTTL', KEYS[5])
  if left < 0 or left < tonumber(ARGV[2]) - (now[1] * 1000 + math.floor(now[2] / 1000)) then
    redis.call('PEXPIREAT', KEYS[5], ARGV[2])
  end
end
return 1
