// DBOS Transact peer of bench/peers.sh: the two-step workflow on Postgres.
// Step 1 "calculate" returns 6 * 7 and step 2 "addTodo" inserts the todo into the table `todos` of the same
// database; DBOS writes each step's output to dbos.operation_outputs before the next step runs, and the workflow's
// status and result to dbos.workflow_status. The todo's id derives from the workflow id, so a step replayed after
// a crash inserts the same row (ON CONFLICT DO NOTHING).
// Env: PORT, DATABASE_URL (postgresql://postgres@127.0.0.1:<port>/<db>).
import { createHash, randomUUID } from "node:crypto";
import pg from "pg";
import { DBOS } from "@dbos-inc/dbos-sdk";
import { serve, todo } from "../serve.mjs";

const url = process.env.DATABASE_URL;
const app = new pg.Pool({ connectionString: url, max: 10 });

function todoId(workflowId) {
  const h = createHash("sha256").update(workflowId).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const workflow = DBOS.registerWorkflow(async () => {
  const value = await DBOS.runStep(async () => 6 * 7, { name: "calculate" });
  return DBOS.runStep(async () => {
    const t = todo(todoId(DBOS.workflowID), value);
    await app.query(
      "INSERT INTO todos (id, text, completed, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING",
      [t.id, t.text, t.completed, t.created_at]);
    return t;
  }, { name: "addTodo" });
}, { name: "twoStep" });

DBOS.setConfig({ name: "bench-peers", systemDatabaseUrl: url, logLevel: "warn" });
await DBOS.launch();
await app.query(`CREATE TABLE IF NOT EXISTS todos (id uuid PRIMARY KEY, text text NOT NULL,
  completed boolean NOT NULL, created_at timestamptz NOT NULL)`);
serve({
  port: Number(process.env.PORT),
  run: async () => {
    const handle = await DBOS.startWorkflow(workflow, { workflowID: randomUUID() })();
    return { id: handle.workflowID, result: await handle.getResult() };
  },
  close: async () => {
    await DBOS.shutdown();
    await app.end();
  },
});
