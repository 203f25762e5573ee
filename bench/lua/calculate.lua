-- One single-step calculator run per request, answered when it has ended (Prefer: wait).
wrk.method = "POST"
wrk.path = "/api/v1/runs"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Prefer"] = "wait=5"
wrk.body = '{"prompt": "calculate (10 + 5) * 2"}'
