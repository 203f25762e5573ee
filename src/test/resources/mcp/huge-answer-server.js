#!/usr/bin/env node
// A minimal MCP server (no dependencies) whose tool `huge` answers with as many megabytes of text as asked, written
// in chunks as it goes: the tests check that the runtime reads every answer with a byte bound, whatever its size.
// `echo` shows the server still answers afterwards. The answer puts "result" before "id", as the TypeScript SDK does,
// so a client must read past the whole result to learn which call it answers.
//   node huge-answer-server.js stdio
//   node huge-answer-server.js http <port>      (Streamable HTTP at /mcp; {"sse": true} answers as an event stream)
'use strict';
const http = require('http');

const TOOLS = [
  {name: 'huge', description: 'Answers with that many megabytes of text',
   inputSchema: {type: 'object', properties: {megabytes: {type: 'number'}, sse: {type: 'boolean'}},
                 required: ['megabytes']}},
  {name: 'echo', description: 'Echoes the message',
   inputSchema: {type: 'object', properties: {message: {type: 'string'}}, required: ['message']}},
];
const CHUNK = 'x'.repeat(1024 * 1024);

function answer(message) {
  const params = message.params || {};
  switch (message.method) {
    case 'initialize':
      return {protocolVersion: params.protocolVersion || '2025-06-18', capabilities: {tools: {}},
              serverInfo: {name: 'huge-answer', version: '1'}};
    case 'tools/list':
      return {tools: TOOLS};
    case 'ping':
      return {};
    case 'tools/call':
      if (params.name === 'echo') {
        return {content: [{type: 'text', text: 'Echo: ' + (params.arguments || {}).message}]};
      }
      return null; // huge: streamed by the caller
    default:
      return undefined;
  }
}

// Writes {"result":{"content":[{"type":"text","text":"xxx…"}]},"jsonrpc":"2.0","id":<id>} plus `end`, chunk by chunk,
// waiting whenever the reader is slower; stops when `alive()` turns false.
function writeHuge(out, id, megabytes, before, end, alive, done) {
  let left = megabytes;
  const next = () => {
    while (left > 0) {
      if (!alive()) return done();
      left--;
      if (!out.write(CHUNK)) return out.once('drain', next);
    }
    out.write('"}]},"jsonrpc":"2.0","id":' + JSON.stringify(id) + '}' + end);
    done();
  };
  out.write(before + '{"result":{"content":[{"type":"text","text":"');
  next();
}

function stdio() {
  let buffer = '';
  let writing = Promise.resolve();
  const send = (obj) => { writing = writing.then(() => new Promise(r => process.stdout.write(JSON.stringify(obj) + '\n', r))); };
  process.stdin.on('data', (data) => {
    buffer += data;
    let newline;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      if (!line.trim()) continue;
      const message = JSON.parse(line);
      if (message.id === undefined) continue;
      const result = answer(message);
      if (result === null) {
        const args = message.params.arguments || {};
        writing = writing.then(() => new Promise(done =>
            writeHuge(process.stdout, message.id, args.megabytes, '', '\n', () => true, done)));
      } else if (result === undefined) {
        send({jsonrpc: '2.0', id: message.id, error: {code: -32601, message: 'no such method'}});
      } else {
        send({jsonrpc: '2.0', id: message.id, result});
      }
    }
  });
  process.stdin.on('end', () => process.exit(0));
}

function serveHttp(port) {
  http.createServer((req, res) => {
    if (req.method !== 'POST' || req.url !== '/mcp') { res.writeHead(404).end(); return; }
    let body = '';
    req.on('data', d => { body += d; });
    req.on('end', () => {
      const message = JSON.parse(body);
      if (message.id === undefined) { res.writeHead(202).end(); return; }
      const result = answer(message);
      if (result === null) {
        const args = message.params.arguments || {};
        let open = true;
        res.on('close', () => { open = false; });
        res.writeHead(200, {'Content-Type': args.sse ? 'text/event-stream' : 'application/json'});
        writeHuge(res, message.id, args.megabytes, args.sse ? 'event: message\ndata: ' : '',
                  args.sse ? '\n\n' : '', () => open, () => res.end());
        return;
      }
      const headers = {'Content-Type': 'application/json'};
      if (message.method === 'initialize') headers['Mcp-Session-Id'] = 'huge-' + Date.now();
      res.writeHead(200, headers);
      res.end(JSON.stringify(result === undefined
          ? {jsonrpc: '2.0', id: message.id, error: {code: -32601, message: 'no such method'}}
          : {jsonrpc: '2.0', id: message.id, result}));
    });
  }).listen(port, '127.0.0.1');
}

if (process.argv[2] === 'http') serveHttp(Number(process.argv[3])); else stdio();
