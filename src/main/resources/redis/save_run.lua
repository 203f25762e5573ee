-- Fragment shared by the scripts that store a whole run with its index entry (save, submit), which include this
-- file; a step's write (run_record.lua) leaves the index alone. Trimming the index of expired entries is left to
-- the including script (a save trims it every time, a submission now and then: listing trims it too).
-- KEYS[1] run, KEYS[2] its tenant's index; ARGV[1] json, ARGV[2] expire-at ms, ARGV[3] created ms, ARGV[4] id,
-- ARGV[5] index cutoff ms. Scripts that include it put their own KEYS and ARGV after these. The run stored is the
-- local 'json' the including script sets (ARGV[1], or a submission's started run, see run_submit.lua).
redis.call('SET', KEYS[1], json, 'PXAT', ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[4])
