-- Adds a model call's cost to the day's spending, kept two days.
-- KEYS: budget. ARGV: tokens, usd.
redis.call('HINCRBY', KEYS[1], 'tokens', ARGV[1])
redis.call('HINCRBYFLOAT', KEYS[1], 'usd', ARGV[2])
redis.call('EXPIRE', KEYS[1], 172800)
return 1
