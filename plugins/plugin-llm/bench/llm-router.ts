// Router overhead per call: the generated router (src/llm) against a server on 127.0.0.1 that answers
// an OpenAI chat completion instantly, side by side with a bare fetch of the same request to the same
// server, in one run (rounds interleaved, medians reported). Not a test: numbers go in issue notes.
//   npx tsx plugins/plugin-llm/bench/llm-router.ts [calls per round, default 500] [rounds, default 7]
// It makes a project with "restack new" + "generate:llm-config", installs it (cached), and runs
// the measurement inside it with the project's own tsx.
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {run, runCli} from '../../../test/helpers/cli.js'
import {installProject} from '../../../test/helpers/install.js'
import {linkPlugins} from '../../../test/helpers/plugins.js'

const calls = Number(process.argv[2] ?? 500)
const rounds = Number(process.argv[3] ?? 7)

const MEASURE = `
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { LlmRouter, parseRouterConfig } from "./src/llm";

const BODY = JSON.stringify({
  id: "chatcmpl-bench", object: "chat.completion", created: 0, model: "gpt-4o-mini",
  choices: [{ index: 0, message: { role: "assistant", content: "ok", refusal: null }, logprobs: null, finish_reason: "stop" }],
  usage: { prompt_tokens: 12, completion_tokens: 1, total_tokens: 13 },
});

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main() {
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(200, { "content-type": "application/json", "x-request-id": "req-bench" });
      res.end(BODY);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = \`http://127.0.0.1:\${(server.address() as AddressInfo).port}\`;
  const config = parseRouterConfig(
    \`backend: direct\\nproviders:\\n  - { name: openai, type: openai, model: gpt-4o-mini, base_url: "\${url}/v1", api_key: sk-bench }\\n\`,
    {},
  );
  const router = new LlmRouter(config, () => undefined);
  const request = { messages: [{ role: "user" as const, content: "Hi" }] };
  const bare = async () => {
    const res = await fetch(\`\${url}/v1/chat/completions\`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json", authorization: "Bearer sk-bench" },
      body: JSON.stringify({ model: "gpt-4o-mini", messages: request.messages, max_tokens: 1024, stream: false }),
    });
    const body = JSON.parse(await res.text());
    if (body.choices[0].message.content !== "ok") throw new Error("bad answer");
  };
  const routed = async () => {
    const result = await router.chat(request);
    if (result.content !== "ok") throw new Error("bad answer");
  };
  const time = async (fn: () => Promise<void>, n: number) => {
    const started = process.hrtime.bigint();
    for (let i = 0; i < n; i++) await fn();
    return Number(process.hrtime.bigint() - started) / 1000 / n;
  };
  await time(bare, 1000);
  await time(routed, 1000);
  const bareRounds: number[] = [];
  const routedRounds: number[] = [];
  for (let r = 0; r < ${rounds}; r++) {
    bareRounds.push(await time(bare, ${calls}));
    routedRounds.push(await time(routed, ${calls}));
  }
  const b = median(bareRounds);
  const rt = median(routedRounds);
  console.log(JSON.stringify({ calls_per_round: ${calls}, rounds: ${rounds}, bare_fetch_us: Math.round(b), router_us: Math.round(rt), overhead_us: Math.round(rt - b), ratio: Math.round((rt / b) * 100) / 100, bare_rounds_us: bareRounds.map(Math.round), router_rounds_us: routedRounds.map(Math.round) }));
  server.close();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
`

const dir = mkdtempSync(join(tmpdir(), 'restack-bench-llm-'))
try {
  const env = linkPlugins(join(dir, 'data'), [{name: '@restack/plugin-llm', root: fileURLToPath(new URL('..', import.meta.url))}])
  for (const [args, cwd] of [
    [['new', 'demo', '--skip-install', '--skip-git'], dir],
    [['g', 'llm-config'], join(dir, 'demo')],
  ] as const) {
    const result = runCli([...args], {cwd, env})
    if (result.status !== 0) throw new Error(`${args.join(' ')}: ${result.stderr}`)
  }

  const root = join(dir, 'demo')
  await installProject(root)
  writeFileSync(join(root, 'bench-router.ts'), MEASURE)
  const output = await run('npx', ['tsx', 'bench-router.ts'], {cwd: root})
  const line = output.trim().split('\n').at(-1)!
  const result = JSON.parse(line)
  console.log(`node ${process.version}, ${calls} calls x ${rounds} rounds, medians per call:`)
  console.log(`  bare fetch  ${result.bare_fetch_us} µs`)
  console.log(`  router      ${result.router_us} µs   (+${result.overhead_us} µs, ${result.ratio}x)`)
  console.log(line)
} finally {
  rmSync(dir, {force: true, recursive: true})
}
