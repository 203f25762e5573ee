-- GET of a run that exists; RUN_PATH is set by bench/run.sh.
wrk.method = "GET"
wrk.path = os.getenv("RUN_PATH")
