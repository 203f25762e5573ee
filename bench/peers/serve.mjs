// The HTTP face shared by the Node peers (DBOS, LangGraph) of bench/peers.sh, so both answer alike:
//   POST /workflows -> runs one two-step workflow to its end, 200 {"status":"completed","id":...,"result":{todo}}
//                      (500 {"status":"failed","error":...} when it throws);
//   GET /health     -> 200 once the engine is launched (the server only listens after that).
// Loopback only; SIGTERM/SIGINT close the engine before the process exits.
import http from "node:http";

export function serve({ port, run, close }) {
  const server = http.createServer((req, res) => {
    const reply = (code, body) => {
      res.writeHead(code, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (req.method === "GET" && req.url === "/health") return reply(200, { status: "up" });
    if (req.method !== "POST" || req.url !== "/workflows") return reply(404, { error: "not found" });
    req.resume();
    req.on("end", () => {
      run().then(
        ({ id, result }) => reply(200, { status: "completed", id, result }),
        (e) => reply(500, { status: "failed", error: String(e) }));
    });
  });
  server.keepAliveTimeout = 120_000;
  server.listen(port, "127.0.0.1", () => console.log(`listening on 127.0.0.1:${port}`));
  let closing = false;
  const stop = () => {
    if (closing) return;
    closing = true;
    server.close();
    Promise.resolve(close()).finally(() => process.exit(0));
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

// The todo of step 2, as every engine in the comparison stores it.
export function todo(id, value) {
  return { id, text: String(value), completed: false, created_at: new Date().toISOString() };
}
