-- Saves a run and its index entry atomically: never half a run.
-- KEYS: run, index. ARGV: the run write (see save_run.lua).
--#include save_run
return 1
