-- Completes a todo once: the first call stores the completed todo, later ones find it completed and change
-- nothing, so concurrent completions agree on one completed_at. Returns what is stored, or nil when there is none.
-- KEYS: todo. ARGV: the completed todo's json, ttl ms.
local stored = redis.call('GET', KEYS[1])
if not stored then return false end
if cjson.decode(stored).completed then return stored end
redis.call('SET', KEYS[1], ARGV[1], 'XX', 'PX', ARGV[2])
return ARGV[1]
