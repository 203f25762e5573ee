-- Sends entries this consumer read but did not start (their tenant held its share of the consumer's slots) back to
-- the queue's tail, where any instance may read them: each one still pending for this consumer is acknowledged,
-- deleted and added again with the same run and tenant; one that another consumer took meanwhile (this one stalled
-- past the claim time) is left to it. Returns how many moved (ADR 0024).
-- KEYS: queue. ARGV: group, consumer, then the entry id, run id and tenant of each entry.
local moved = 0
for i = 3, #ARGV, 3 do
  local pending = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[i], ARGV[i], 1, ARGV[2])
  if #pending == 1 then
    redis.call('XACK', KEYS[1], ARGV[1], ARGV[i])
    redis.call('XDEL', KEYS[1], ARGV[i])
    redis.call('XADD', KEYS[1], '*', 'run_id', ARGV[i + 1], 'tenant', ARGV[i + 2])
    moved = moved + 1
  end
end
return moved
