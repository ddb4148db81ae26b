// The floor under our numbers: Node 20 + undici reading the same file in a fresh process and
// doing nothing with it (`receive`), or only hashing it (`receive+sha256`). No disk, no manager.
//   node bench/nodeFloor.mjs <endpoint> <receive|receive+sha256>
import { createHash } from 'node:crypto';
import { Agent, request } from 'undici';

const [endpoint, mode] = process.argv.slice(2);
const agent = new Agent();
const t0 = performance.now();
let res = await request(`${endpoint}/bench/big/resolve/main/big.bin`, { dispatcher: agent });
if (res.statusCode >= 300 && res.statusCode < 400) {
  await res.body.dump();
  res = await request(new URL(String(res.headers.location), endpoint).href, { dispatcher: agent });
}
const hash = mode === 'receive+sha256' ? createHash('sha256') : null;
let bytes = 0;
for await (const chunk of res.body) {
  bytes += chunk.length;
  hash?.update(chunk);
}
hash?.digest('hex');
const wallMs = performance.now() - t0;
await agent.close();
process.stdout.write(`${JSON.stringify({ wallMs, bytes, maxRssBytes: process.resourceUsage().maxRSS * 1024 })}\n`);
