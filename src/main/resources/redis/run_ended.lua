-- Fragment: whether a stored run (its JSON, or false when there is none) has ended: its status is one of
-- `terminal`, the terminal statuses' names separated by spaces, as Java's RunLifecycle sends them (the scripts hold
-- no vocabulary of their own).
local function ended(json, terminal)
  if not json then return false end
  return string.find(' ' .. terminal .. ' ', ' ' .. cjson.decode(json).status .. ' ', 1, true) ~= nil
end
