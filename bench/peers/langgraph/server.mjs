// LangGraph JS peer of bench/peers.sh: the two-step workflow as a graph START -> calculate -> addTodo -> END,
// checkpointed in Postgres by PostgresSaver with durability "sync" (each node's checkpoint is written before the
// next node runs). One thread per request; the todo lives in the checkpointed state (channel "todo").
// Env: PORT, DATABASE_URL (postgresql://postgres@127.0.0.1:<port>/<db>).
import { randomUUID } from "node:crypto";
import pg from "pg";
import { Annotation, END, START, StateGraph } from "@langchain/langgraph";
import { PostgresSaver } from "@langchain/langgraph-checkpoint-postgres";
import { serve, todo } from "../serve.mjs";

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const saver = new PostgresSaver(pool);
const State = Annotation.Root({ value: Annotation(), todo: Annotation() });
const graph = new StateGraph(State)
  .addNode("calculate", () => ({ value: 6 * 7 }))
  .addNode("addTodo", (state) => ({ todo: todo(randomUUID(), state.value) }))
  .addEdge(START, "calculate")
  .addEdge("calculate", "addTodo")
  .addEdge("addTodo", END)
  .compile({ checkpointer: saver });

await saver.setup();
serve({
  port: Number(process.env.PORT),
  run: async () => {
    const id = randomUUID();
    const out = await graph.invoke({}, { configurable: { thread_id: id }, durability: "sync" });
    return { id, result: out.todo };
  },
  close: () => pool.end(),
});
