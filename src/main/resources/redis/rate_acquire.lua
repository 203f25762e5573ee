-- Counts a run start in a sliding window: the starts of the last window-ms are kept as members of a sorted set
-- (score = start ms), so no two windows let a tenant through twice its limit. Returns -1 when allowed, else the ms
-- until the oldest start leaves the window.
-- KEYS: starts. ARGV: now ms, window ms, limit, a unique member for this start.
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return math.max(1, tonumber(oldest[2]) + window - now)
end
redis.call('ZADD', KEYS[1], now, ARGV[4])
redis.call('PEXPIRE', KEYS[1], window)
return -1
