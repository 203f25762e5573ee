-- Stores a new run, counts it among its tenant's unfinished runs and queues it, all together; or nothing: 0 when the
-- queue is full, -1 when the tenant already has its maximum of unfinished runs, -2 (see below). Runs that expired
-- unfinished (their executors all died) do not count: at the maximum, they are dropped from the tenant's set and
-- the set counted again. Both of the tenant's sets are trimmed of expired entries when ARGV[8] is '1' (the caller
-- asks now and then, not on every submission: trimming is a command per set, and listing trims the index too).
-- The set and the tenant's index expire with its newest run, so a tenant that stops submitting leaves nothing.
-- The queue entry names the run and its tenant (ARGV[11]), so that an instance can see whose turn it is without
-- reading the run (ADR 0024). With a consumer name in ARGV[9], the submitting instance, which has room, also takes
-- the oldest entry no one has read yet for that consumer of group ARGV[10], and the reply is {1, entry id, run id,
-- tenant}: usually the run just queued, an older one when others wait (the queue's order holds). That is the round
-- trip its reader would have spent.
-- All keys are of the run's queue partition (ADR 0032). The bounds count across partitions: ARGV[6] and ARGV[7] are
-- how many queued entries and unfinished runs of the tenant this partition may hold now. With ARGV[12] '0' they are
-- its share of the bounds, and at its share the reply is -2 (nothing written): the caller counts the other
-- partitions and asks again with ARGV[12] '1' and the bounds less what they hold, which this script then enforces.
-- A fork (ADR 0033) passes two keys more, its event stream and its source's forks index (the fork's id is drawn in
-- its source's partition), and its first events as type and data pairs after ARGV[13]: the fork is stored with its
-- events, in its source's forks and queued, all in this one step, or not at all.
-- A run the taking instance would start (ADR 0035) passes its events stream as KEYS[5] and, in ARGV[13], the run as
-- its start leaves it (RunLifecycle's START row), with that write's events (run_started, the first wave's
-- step_started) as pairs after it: when no older entry waits unread, the started run is stored instead of the pending
-- one, with its events, and its entry is taken, all in this one write, and the reply is {2, entry id, run id,
-- tenant}. An older entry waiting is taken instead, as above, and the run is stored pending: the queue's order holds.
-- KEYS: run, index, queue, unfinished[, events[, source's forks]]. ARGV: the run write (see save_run.lua), queued
-- room, unfinished room (-1: no maximum), trim, consumer ('' to take nothing), group, tenant, '1' when the rooms are
-- exact, the started run ('' for none)[, event type and data pairs: the fork's, or the start's].
local exact = ARGV[12] == '1'
if redis.call('XLEN', KEYS[3]) >= tonumber(ARGV[6]) then
  if exact then return 0 end
  return -2
end
local max = tonumber(ARGV[7])
if max >= 0 and redis.call('ZCARD', KEYS[4]) >= max then
  redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', ARGV[5])
  if redis.call('ZCARD', KEYS[4]) >= max then
    if exact then return -1 end
    return -2
  end
elseif ARGV[8] == '1' then
  redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', ARGV[5])
end
-- Whether an older entry waits unread is known only by reading: with a start to write, the oldest unread entry is
-- taken before this run is queued. pcall: an error (a group lost with a restart) must not fail the submission; the
-- run is then stored pending and taken by the reader. A reply that is a table is an entry or that error.
local starts = ARGV[13] ~= '' and ARGV[9] ~= ''
local older
if starts then
  older = redis.pcall('XREADGROUP', 'GROUP', ARGV[10], ARGV[9], 'COUNT', 1, 'STREAMS', KEYS[3], '>')
  starts = type(older) ~= 'table'
end
local json = starts and ARGV[13] or ARGV[1]
--#include save_run
if ARGV[8] == '1' then redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', ARGV[5]) end
redis.call('PEXPIREAT', KEYS[2], ARGV[2])
redis.call('ZADD', KEYS[4], ARGV[3], ARGV[4])
redis.call('PEXPIREAT', KEYS[4], ARGV[2])
if KEYS[5] and (KEYS[6] or starts) then
  for i = 14, #ARGV, 2 do
    redis.call('XADD', KEYS[5], '*', 'type', ARGV[i], 'data', ARGV[i + 1])
  end
  redis.call('PEXPIREAT', KEYS[5], ARGV[2])
end
if KEYS[6] then
  -- The source's forks live as long as its newest fork, which is this one.
  redis.call('ZADD', KEYS[6], ARGV[3], ARGV[4])
  redis.call('PEXPIREAT', KEYS[6], ARGV[2])
end
local id = redis.call('XADD', KEYS[3], '*', 'run_id', ARGV[4], 'tenant', ARGV[11])
if starts then
  -- No entry was unread before this one: it is the oldest unread, and taking it cannot fail now that reading did not.
  redis.call('XREADGROUP', 'GROUP', ARGV[10], ARGV[9], 'COUNT', 1, 'STREAMS', KEYS[3], '>')
  return {2, id, ARGV[4], ARGV[11]}
end
-- The entry XREADGROUP read, as the reply names it; nil when it read none (or failed).
local function taken(read)
  if type(read) ~= 'table' or not read[1] then return nil end
  local entry = read[1][2][1]
  local fields = entry[2]
  local run, tenant = '', ''
  for i = 1, #fields, 2 do
    if fields[i] == 'run_id' then run = fields[i + 1] elseif fields[i] == 'tenant' then tenant = fields[i + 1] end
  end
  return {1, entry[1], run, tenant}
end
if ARGV[13] ~= '' then
  return taken(older) or 1
end
if ARGV[9] ~= '' then
  -- pcall: the run is stored and queued by now, and an error (say, a group lost with a restart) must not fail the
  -- submission; the reader takes the entry instead.
  return taken(redis.pcall('XREADGROUP', 'GROUP', ARGV[10], ARGV[9], 'COUNT', 1, 'STREAMS', KEYS[3], '>')) or 1
end
return 1
