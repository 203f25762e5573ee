-- Fragment: whether a stored run (its JSON, or false when there is none) has ended.
local function ended(json)
  if not json then return false end
  local status = cjson.decode(json).status
  return status == 'completed' or status == 'failed' or status == 'cancelled' or status == 'rejected'
end
