// Restate peer of bench/peers.sh: a workflow whose handler journals two ctx.run steps through restate-server
// (step 1 "calculate": 6 * 7; step 2 "addTodo": the todo) and keeps the todo in the workflow's durable state.
// Called synchronously on the server's ingress: POST /TwoStep/<unique key>/run answers {status, id, result}.
// This process is the service endpoint (HTTP/2 on 127.0.0.1:$PORT), registered with the server's admin API.
import http2 from "node:http2";
import { randomUUID } from "node:crypto";
import * as restate from "@restatedev/restate-sdk";
import { todo } from "../serve.mjs";

// SDK 1.17.2 uses Promise.withResolvers (Node >= 22); on Node 20 it is defined here with its standard meaning.
if (typeof Promise.withResolvers !== "function") {
  Promise.withResolvers = function () {
    const out = {};
    out.promise = new this((resolve, reject) => Object.assign(out, { resolve, reject }));
    return out;
  };
}

const twoStep = restate.workflow({
  name: "TwoStep",
  handlers: {
    run: async (ctx) => {
      const value = await ctx.run("calculate", async () => 6 * 7);
      const result = await ctx.run("addTodo", async () => todo(randomUUID(), value));
      ctx.set("todo", result);
      return { status: "completed", id: ctx.key, result };
    },
  },
});

const server = http2.createServer(restate.createEndpointHandler({ services: [twoStep] }));
server.listen(Number(process.env.PORT), "127.0.0.1", () => console.log(`listening on ${process.env.PORT}`));
// restate-server holds its HTTP/2 connections open: a graceful close would wait for them.
process.on("SIGTERM", () => process.exit(0));
