-- Saves a run only if the stored one still has the expected status; returns 0 otherwise.
-- KEYS: run, events. ARGV: expected status, json, expire-at ms, event type ('' for none), event data.
local current = redis.call('GET', KEYS[1])
if not current or cjson.decode(current).status ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'PXAT', ARGV[3])
if ARGV[4] ~= '' then
  redis.call('XADD', KEYS[2], '*', 'type', ARGV[4], 'data', ARGV[5])
  redis.call('PEXPIREAT', KEYS[2], ARGV[3])
end
return 1
