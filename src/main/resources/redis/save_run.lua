-- Fragment shared by every script that writes a run (save, submit, record), which include this file.
-- KEYS[1] run, KEYS[2] its tenant's index; ARGV[1] json, ARGV[2] expire-at ms, ARGV[3] created ms, ARGV[4] id,
-- ARGV[5] index cutoff ms. Scripts that include it put their own KEYS and ARGV after these.
redis.call('SET', KEYS[1], ARGV[1], 'PXAT', ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[4])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', ARGV[5])
