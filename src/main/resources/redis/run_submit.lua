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
-- its source's partition), and its first events as type and data pairs after ARGV[12]: the fork is stored with its
-- events, in its source's forks and queued, all in this one step, or not at all.
-- KEYS: run, index, queue, unfinished[, events, source's forks]. ARGV: the run write (see save_run.lua), queued
-- room, unfinished room (-1: no maximum), trim, consumer ('' to take nothing), group, tenant, '1' when the rooms are
-- exact[, event type and data pairs].
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
--#include save_run
if ARGV[8] == '1' then redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', ARGV[5]) end
redis.call('PEXPIREAT', KEYS[2], ARGV[2])
redis.call('ZADD', KEYS[4], ARGV[3], ARGV[4])
redis.call('PEXPIREAT', KEYS[4], ARGV[2])
if KEYS[5] then
  for i = 13, #ARGV, 2 do
    redis.call('XADD', KEYS[5], '*', 'type', ARGV[i], 'data', ARGV[i + 1])
  end
  redis.call('PEXPIREAT', KEYS[5], ARGV[2])
  -- The source's forks live as long as its newest fork, which is this one.
  redis.call('ZADD', KEYS[6], ARGV[3], ARGV[4])
  redis.call('PEXPIREAT', KEYS[6], ARGV[2])
end
redis.call('XADD', KEYS[3], '*', 'run_id', ARGV[4], 'tenant', ARGV[11])
if ARGV[9] ~= '' then
  -- pcall: the run is stored and queued by now, and an error (say, a group lost with a restart) must not fail the
  -- submission; the reader takes the entry instead.
  local read = redis.pcall('XREADGROUP', 'GROUP', ARGV[10], ARGV[9], 'COUNT', 1, 'STREAMS', KEYS[3], '>')
  if type(read) == 'table' and read[1] then
    local entry = read[1][2][1]
    local fields = entry[2]
    local run, tenant = '', ''
    for i = 1, #fields, 2 do
      if fields[i] == 'run_id' then run = fields[i + 1] elseif fields[i] == 'tenant' then tenant = fields[i + 1] end
    end
    return {1, entry[1], run, tenant}
  end
end
return 1
