-- Removes a stopping consumer from the queue's group when nothing is pending for it, so that the group does not keep
-- a consumer for every process that ever executed runs (every one-shot `agent-runtime run` on Redis, every pod
-- restart). A consumer that still holds entries stays: its runs are claimed by the others, never dropped.
-- Returns 1 when it left, 0 when it stays.
-- KEYS: queue. ARGV: group, consumer.
if #redis.call('XPENDING', KEYS[1], ARGV[1], '-', '+', 1, ARGV[2]) > 0 then
  return 0
end
redis.call('XGROUP', 'DELCONSUMER', KEYS[1], ARGV[1], ARGV[2])
return 1
