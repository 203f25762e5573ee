-- A page of a tenant's todos, oldest first, with exact counts of all of them: {total, completed, todo...}. Index
-- entries whose todo expired are dropped. The tenant's todos are capped, so reading them all to count is bounded.
-- KEYS: index. ARGV: todo-key prefix, offset, limit.
local ids = redis.call('ZRANGE', KEYS[1], 0, -1)
local offset = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
local page = {}
local total = 0
local completed = 0
for _, id in ipairs(ids) do
  local todo = redis.call('GET', ARGV[1] .. id)
  if todo then
    total = total + 1
    if cjson.decode(todo).completed then completed = completed + 1 end
    if total > offset and #page < limit then page[#page + 1] = todo end
  else
    redis.call('ZREM', KEYS[1], id)
  end
end
table.insert(page, 1, completed)
table.insert(page, 1, total)
return page
