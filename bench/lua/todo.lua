-- One two-step todo run per request (add, then complete it), answered when it has ended. Constant work per run:
-- unlike "list", completing one todo does not grow with the number of todos.
wrk.method = "POST"
wrk.path = "/api/v1/runs"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Prefer"] = "wait=5"
wrk.body = '{"prompt": "add todo to benchmark the runtime and then mark it as done"}'
