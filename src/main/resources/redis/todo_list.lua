-- A tenant's todos, oldest first; index entries whose todo expired are dropped.
-- KEYS: index. ARGV: todo-key prefix.
local ids = redis.call('ZRANGE', KEYS[1], 0, -1)
local todos = {}
for _, id in ipairs(ids) do
  local todo = redis.call('GET', ARGV[1] .. id)
  if todo then todos[#todos + 1] = todo else redis.call('ZREM', KEYS[1], id) end
end
return todos
