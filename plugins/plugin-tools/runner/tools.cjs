// Runs inside a generated project (cwd = project root, `node --require tsx/cjs`), on the project's
// own src/tools/{config,manager,client}.ts, so the CLI and the service share one implementation.
// Prints one JSON document on stdout; the manager's logs go to stderr.
"use strict";
const { join } = require("node:path");

const [op, ...rest] = process.argv.slice(2);
const root = process.cwd();
const out = (value) => process.stdout.write(`${JSON.stringify(value)}\n`);

async function main() {
  const { loadToolsConfig } = require(join(root, "src/tools/config"));
  if (op === "validate") {
    const config = loadToolsConfig(root);
    return out({ ok: true, servers: Object.keys(config.servers) });
  }
  const { ToolManager } = require(join(root, "src/tools/manager"));
  const logs = [];
  const manager = new ToolManager({ root, log: (line) => logs.push(line) });
  try {
    if (op === "health" || op === "list") {
      const names = rest.length > 0 ? rest : Object.keys(manager.config.servers);
      const started = Date.now();
      const statuses = await manager.start(names);
      const servers = [];
      for (const status of statuses) {
        const entry = { ...status, ms: Date.now() - started };
        if (op === "list" && status.state === "ready") {
          const client = await manager.client(status.name);
          entry.tools = (await client.listTools()).tools.map((tool) => ({ name: tool.name, title: tool.title, description: tool.description, annotations: tool.annotations }));
        }
        servers.push(entry);
      }
      return out({ servers });
    }
    if (op === "call") {
      const [server, tool, args] = rest;
      const { useToolManager, callTool } = require(join(root, "src/tools/client"));
      useToolManager(manager);
      const started = Date.now();
      const result = await callTool(server, tool, JSON.parse(args));
      return out({ result, ms: Date.now() - started });
    }
    throw new Error(`unknown operation ${op}`);
  } finally {
    await manager.stop();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    out({ error: error instanceof Error ? error.message : String(error) });
    process.exit(1);
  },
);
