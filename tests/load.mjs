// Load test of paid inference on a running `--dev` node serving SmolLM2 (scripts/run-dev-node.sh):
// two models on one Datanet are voted through, fine-tuned and deployed (two adapters), then a
// bounded stream of paid requests spread over both (each as the node quoted it: the prompt's
// tokens and the node's worker, which the models' owner approved) is put in escrow, answered by
// the node and settled by its off-chain worker. Prints throughput and settlement latency (request sent →
// settlement finalized) and writes bench/results/flywheel-load.json.
//
//   bash scripts/load-test.sh [REQUESTS] [CONCURRENCY]     (defaults 200 and 4)
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiPromise, WsProvider, Keyring } from '@polkadot/api';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { quoteRequest, registerVersionTx } from './e2e/lib/chain.js';

const OPEN = 10n ** 18n;
const requests = Number(process.argv[2] ?? 200);
const concurrency = Number(process.argv[3] ?? 4);
const url = process.argv[4] ?? 'ws://127.0.0.1:9944';
const here = path.dirname(fileURLToPath(import.meta.url));
const qa = readFileSync(path.join(here, 'e2e', 'data', 'openledger-qa.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

await cryptoWaitReady();
const provider = new WsProvider(url);
const api = await ApiPromise.create({ provider, noInitWarn: true });
const ring = new Keyring({ type: 'sr25519', ss58Format: 42 });
const [alice, bob, dave, eve, ferdie] = ['Alice', 'Bob', 'Dave', 'Eve', 'Ferdie'].map((n) => ring.addFromUri(`//${n}`));
const rpc = (method, params) => provider.send(method, params);
const best = async () => (await api.rpc.chain.getHeader()).number.toNumber();
const finalized = async () => (await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead())).number.toNumber();

function send(tx, who, options = { nonce: -1 }) {
  return new Promise((resolve, reject) => {
    tx.signAndSend(who, options, ({ status, events, dispatchError }) => {
      if (!status.isInBlock) return;
      if (dispatchError) reject(new Error(`${tx.method.section}.${tx.method.method}: ${dispatchError}`));
      else resolve(events.map(({ event }) => event));
    }).catch(reject);
  });
}
const event = (events, section, method) => events.find((e) => e.section === section && e.method === method);

console.log(`setting up two models on ${url} …`);
const datanet = (await api.query.datanets.nextDatanetId()).toNumber();
await send(api.tx.datanets.createDatanet('Load Q&A', 'load test', 'demo', 'json:prompt,completion', OPEN, []), alice);
const ids = [];
for (const line of qa) {
  const text = JSON.stringify({ prompt: line.prompt, completion: line.completion });
  const hash = await rpc('datanets_putContent', ['0x' + Buffer.from(text).toString('hex')]);
  ids.push(event(await send(api.tx.datanets.contribute(datanet, hash, Buffer.byteLength(text), '', OPEN), bob), 'datanets', 'Contributed').data.contribution.toNumber());
}
// Alice's decisions go out together, with consecutive nonces.
const aliceNonce = (await api.rpc.system.accountNextIndex(alice.address)).toNumber();
await Promise.all(ids.map((id, i) => send(api.tx.datanets.accept(id, 800_000_000), alice, { nonce: aliceNonce + i })));
const staked = (await api.query.governance.stakes(eve.address)).unwrapOr(null)?.active.toBigInt() ?? 0n;
if (staked < 1_000n * OPEN) await send(api.tx.governance.stake(1_000n * OPEN), eve);
const models = [];
for (let i = 0; i < 2; i++) {
  const model = (await api.query.modelRegistry.nextModelId()).toNumber();
  const events = await send(api.tx.modelRegistry.propose(`load ${i}`, 'HuggingFaceTB/SmolLM2-135M-Instruct', [datanet], 'load test', OPEN / 5n, (2n * OPEN) / 5n), dave);
  const proposal = event(events, 'modelRegistry', 'ModelProposed').data.proposal.toNumber();
  await send(api.tx.governance.vote(proposal, true, 1_000n * OPEN), eve);
  models.push({ model, proposal });
}
const endsAt = Math.max(...(await Promise.all(models.map(async (m) => (await api.query.governance.proposals(m.proposal)).unwrap().endsAt.toNumber()))));
while ((await best()) < endsAt) await sleep(2000);
for (const [i, m] of models.entries()) {
  await send(api.tx.governance.close(m.proposal), eve);
  await send(api.tx.modelRegistry.startDataCollection(m.model), dave);
  await send(api.tx.modelRegistry.startTraining(m.model), dave);
  const job = await rpc('modelFactory_train', [{ name: `load-${m.model}`, model: m.model, rank: 4, epochs: 1, batchSize: 3, learningRate: 3e-3, seed: i }]);
  let state;
  while ((state = await rpc('modelFactory_job', [job])).state === 'running') await sleep(2000);
  if (state.state !== 'done') throw new Error(state.error);
  const f = state.manifest;
  const events = await send(registerVersionTx(api, m.model, { ...f, evalScores: [] }), dave);
  await send(api.tx.modelRegistry.deploy(m.model, event(events, 'modelRegistry', 'VersionRegistered').data.version.toNumber()), dave);
}
const serving = models.map((m) => m.model);
// Dave, the models' owner, lets Alice's worker serve them.
const daveNonce = (await api.rpc.system.accountNextIndex(dave.address)).toNumber();
await Promise.all(serving.map((model, i) => send(api.tx.attribution.approveWorker(model, alice.address), dave, { nonce: daveNonce + i })));
const worker = (await api.query.attribution.workers(alice.address)).unwrapOr(null);
if (worker) await send(api.tx.attribution.setWorkerModels([...worker.models.map((x) => x.toNumber()), ...serving]), alice);
else await send(api.tx.attribution.registerWorker(1_000n * OPEN, serving), alice);
console.log(`models ${serving.join(', ')} deployed as adapters ${serving.map((m) => `load-${m}`).join(', ')}`);

// What each (model, prompt) is charged, as the node quotes it: the prompt's tokens, its worker.
const quotes = new Map();
for (const model of serving) {
  for (const line of qa) quotes.set(`${model}/${line.prompt}`, await quoteRequest(rpc, { model, prompt: line.prompt, maxOutputTokens: 16 }));
}

// The requests, in escrow: consecutive nonces, so that they go out without waiting for blocks.
const expiresAt = (await best()) + 590;
let nonce = (await api.rpc.system.accountNextIndex(ferdie.address)).toNumber();
const items = [];
const started = Date.now();
for (let i = 0; i < requests; i++) {
  const line = qa[i % qa.length];
  const model = serving[i % serving.length];
  const quote = quotes.get(`${model}/${line.prompt}`);
  const request = {
    model, promptHash: quote.promptHash, tokensIn: quote.tokensIn, workers: quote.workers, maxOutputTokens: 16, maxFee: OPEN,
    nonce: started + i, expiresAt,
  };
  const id = (await api.call.feeSplitApi.requestId(ferdie.address, request)).toHex();
  items.push({ id, prompt: line.prompt, model, sent: Date.now(), included: send(api.tx.feeSplit.requestInference(request), ferdie, { nonce: nonce++ }) });
}
await Promise.all(items.map((it) => it.included));
console.log(`${requests} requests in escrow after ${((Date.now() - started) / 1000).toFixed(1)} s; answering with ${concurrency} at a time …`);

let next = 0;
let tokens = 0;
const answering = Date.now();
await Promise.all(Array.from({ length: concurrency }, async () => {
  while (next < items.length) {
    const it = items[next++];
    const answer = await rpc('inference_answerRequest', [{ request: it.id, prompt: it.prompt }]);
    it.answered = Date.now();
    tokens += answer.tokensOut;
  }
}));
const answeredIn = (Date.now() - answering) / 1000;
console.log(`answered in ${answeredIn.toFixed(1)} s (${(requests / answeredIn).toFixed(2)} answers/s, ${(tokens / answeredIn).toFixed(1)} tokens/s); waiting for settlements …`);

const deadline = Date.now() + 60 * 60 * 1000;
while (items.some((it) => !it.finalized) && Date.now() < deadline) {
  const fin = await finalized();
  for (const it of items.filter((x) => !x.finalized)) {
    if (!it.settledAt) {
      const record = await rpc('attribution_record', [it.id]);
      if (record) it.settledAt = record.settledAt;
    }
    if (it.settledAt && it.settledAt <= fin) it.finalized = Date.now();
  }
  await sleep(1000);
}
const settled = items.filter((it) => it.finalized);
// How the settlements went on-chain: the off-chain worker's `settleBatch` extrinsics.
const batches = [];
for (const number of [...new Set(settled.map((it) => it.settledAt))]) {
  const events = await (await api.at(await api.rpc.chain.getBlockHash(number))).query.system.events();
  for (const { event } of events) {
    if (event.section === 'attribution' && event.method === 'BatchSettled') batches.push(event.data.settled.toNumber());
  }
}
const latency = settled.map((it) => (it.finalized - it.sent) / 1000).sort((a, b) => a - b);
const pct = (p) => latency[Math.min(latency.length - 1, Math.floor((p / 100) * latency.length))] ?? null;
const total = (Date.now() - started) / 1000;
const result = {
  requests, concurrency, models: serving.length, settled: settled.length,
  answers_per_s: requests / answeredIn, tokens_per_s: tokens / answeredIn,
  settlements_per_s: settled.length / total,
  latency_s: { p50: pct(50), p90: pct(90), p99: pct(99), max: latency.at(-1) ?? null },
  wall_s: total,
  settlement_extrinsics: batches.length,
  largest_batch: Math.max(0, ...batches),
};
console.log('\n| requests | settled | answers/s | tokens/s | settlements/s | latency p50 | p90 | p99 | max |');
console.log('|---|---|---|---|---|---|---|---|---|');
console.log(`| ${requests} | ${settled.length} | ${result.answers_per_s.toFixed(2)} | ${result.tokens_per_s.toFixed(1)} | ${result.settlements_per_s.toFixed(2)} | ${pct(50)?.toFixed(1)} s | ${pct(90)?.toFixed(1)} s | ${pct(99)?.toFixed(1)} s | ${result.latency_s.max?.toFixed(1)} s |`);
console.log(`${settled.length} settlements in ${batches.length} settleBatch extrinsics (largest: ${result.largest_batch})`);
const out = path.join(here, '..', 'bench', 'results');
mkdirSync(out, { recursive: true });
writeFileSync(path.join(out, 'flywheel-load.json'), JSON.stringify(result, null, 2) + '\n');
await api.disconnect();
process.exit(settled.length === requests ? 0 : 1);
