-- Saves a run only if the stored one still has the expected status; returns 0 otherwise. A run that ends leaves its
-- tenant's set of unfinished runs.
-- KEYS: run, events, unfinished. ARGV: expected status, json, expire-at ms, event type ('' for none), event data,
-- '1' when this write ends the run, run id.
local current = redis.call('GET', KEYS[1])
if not current or cjson.decode(current).status ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'PXAT', ARGV[3])
if ARGV[4] ~= '' then
  redis.call('XADD', KEYS[2], '*', 'type', ARGV[4], 'data', ARGV[5])
  redis.call('PEXPIREAT', KEYS[2], ARGV[3])
end
if ARGV[6] == '1' then redis.call('ZREM', KEYS[3], ARGV[7]) end
return 1
