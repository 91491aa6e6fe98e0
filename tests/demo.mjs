// The flywheel on a running `--dev` node, step by step, with what happened at each step:
//
//   bash scripts/run-dev-node.sh          # in one terminal
//   bash scripts/demo.sh                  # in another (or: node tests/demo.mjs ws://HOST:PORT)
//
// 1. Alice opens a Datanet; Bob and Charlie contribute Q&A pairs; Alice curates them.
// 2. Dave proposes a model on it; Eve stakes OPEN for gOPEN and votes it through.
// 3. The node fine-tunes it (ModelFactory) on exactly the accepted contributions; Dave registers
//    the version with its provenance and training set and deploys it, and approves Alice's
//    worker; the node serves it.
// 4. The node quotes Ferdie's request (the prompt's tokens, its worker, the most it can cost);
//    Ferdie puts it in escrow and the node answers it, streamed, with a receipt its worker signed.
// 5. The node's off-chain worker attributes the answer (DataInf) and settles it on-chain; the
//    receipt is checked against the settled record.
// 6. Which data made the answer, who was paid what: balances before and after; Eve claims the
//    stakers' share from the staking pot.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiPromise, WsProvider, Keyring } from '@polkadot/api';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import {
  assertReceiptMatchesRecord, quotedRequest, registerVersionTx, sharesTotal, trainingRoot, verifyReceipt,
} from './e2e/lib/chain.js';

const OPEN = 10n ** 18n;
const url = process.argv[2] ?? 'ws://127.0.0.1:9944';
const here = path.dirname(fileURLToPath(import.meta.url));
const qa = readFileSync(path.join(here, 'e2e', 'data', 'openledger-qa.jsonl'), 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l));
const question = 'What is a Datanet?';

const open = (x) => {
  const v = BigInt(x);
  const sign = v < 0n ? '-' : '';
  const a = v < 0n ? -v : v;
  return `${sign}${a / OPEN}.${(a % OPEN).toString().padStart(18, '0').slice(0, 6)} OPEN`;
};
const step = (n, what) => console.log(`\n== ${n}. ${what}`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

await cryptoWaitReady();
const provider = new WsProvider(url);
const api = await ApiPromise.create({ provider, noInitWarn: true });
const ring = new Keyring({ type: 'sr25519', ss58Format: 42 });
const [alice, bob, charlie, dave, eve, ferdie] = ['Alice', 'Bob', 'Charlie', 'Dave', 'Eve', 'Ferdie'].map((n) =>
  ring.addFromUri(`//${n}`),
);
const names = new Map([alice, bob, charlie, dave, eve, ferdie].map((k, i) => [k.address, ['Alice', 'Bob', 'Charlie', 'Dave', 'Eve', 'Ferdie'][i]]));
const rpc = (method, params) => provider.send(method, params);

/** Sends `tx` signed by `who`, waits for its block, fails loudly on a dispatch error. */
function send(tx, who) {
  return new Promise((resolve, reject) => {
    tx.signAndSend(who, { nonce: -1 }, ({ status, events, dispatchError }) => {
      if (!status.isInBlock) return;
      if (dispatchError) {
        const e = dispatchError.isModule ? api.registry.findMetaError(dispatchError.asModule) : null;
        reject(new Error(`${tx.method.section}.${tx.method.method}: ${e ? `${e.section}.${e.name}` : dispatchError}`));
      } else resolve({ events: events.map(({ event }) => event), block: status.asInBlock.toHex() });
    }).catch(reject);
  });
}
const event = (events, section, method) => events.find((e) => e.section === section && e.method === method);
const best = async () => (await api.rpc.chain.getHeader()).number.toNumber();

async function totals(at) {
  const view = at ? await api.at(at) : api;
  const out = {};
  for (const [address, name] of names) {
    const { data } = await view.query.system.account(address);
    out[name] = data.free.toBigInt() + data.reserved.toBigInt();
  }
  return out;
}

console.log(`OpenLedger flywheel demo on ${url} (chain ${await api.rpc.system.chain()})`);
const start = await totals();

step(1, 'a Datanet is created, filled and curated');
const datanet = (await api.query.datanets.nextDatanetId()).toNumber();
await send(api.tx.datanets.createDatanet('OpenLedger Q&A', 'questions about OpenLedger', 'demo', 'json:prompt,completion', OPEN, []), alice);
console.log(`Alice created Datanet ${datanet} (1 OPEN of stake per contribution)`);
const contributions = [];
for (const [i, line] of qa.entries()) {
  const who = i % 2 ? charlie : bob;
  const text = JSON.stringify({ prompt: line.prompt, completion: line.completion });
  const hash = await rpc('datanets_putContent', ['0x' + Buffer.from(text).toString('hex')]);
  const { events } = await send(api.tx.datanets.contribute(datanet, hash, Buffer.byteLength(text), 'lang=en', OPEN), who);
  const id = event(events, 'datanets', 'Contributed').data.contribution.toNumber();
  contributions.push(id);
  console.log(`  ${names.get(who.address).padEnd(7)} contributed #${id}: "${line.prompt}" (content ${hash.slice(0, 10)}…)`);
}
for (const id of contributions) await send(api.tx.datanets.accept(id, 800_000_000), alice);
console.log(`Alice accepted them (quality 0.8); credibility C(D) = ${(await api.call.datanetsApi.credibility(datanet)).unwrap().toHuman()}`);

step(2, 'a model is proposed and voted through with gOPEN');
const model = (await api.query.modelRegistry.nextModelId()).toNumber();
let { events } = await send(
  api.tx.modelRegistry.propose('OpenLedger Q&A', 'HuggingFaceTB/SmolLM2-135M-Instruct', [datanet], 'answer questions about OpenLedger', OPEN / 5n, (2n * OPEN) / 5n),
  dave,
);
const proposal = event(events, 'modelRegistry', 'ModelProposed').data.proposal.toNumber();
console.log(`Dave proposed model ${model} (R_in 0.2, R_out 0.4 OPEN per 1000 tokens): proposal ${proposal}`);
const staked = (await api.query.governance.stakes(eve.address)).unwrapOr(null)?.active.toBigInt() ?? 0n;
if (staked < 1_000n * OPEN) await send(api.tx.governance.stake(1_000n * OPEN), eve);
await send(api.tx.governance.vote(proposal, true, 1_000n * OPEN), eve);
const endsAt = (await api.query.governance.proposals(proposal)).unwrap().endsAt.toNumber();
console.log(`Eve voted aye with 1000 gOPEN; the vote ends at block ${endsAt}`);
while ((await best()) < endsAt) await sleep(2000);
({ events } = await send(api.tx.governance.close(proposal), charlie));
console.log(`vote closed: model ${model} is ${event(events, 'modelRegistry', 'StatusChanged').data.status.toString()}`);
await send(api.tx.modelRegistry.startDataCollection(model), dave);
await send(api.tx.modelRegistry.startTraining(model), charlie);
console.log(`data condition met: model ${model} is Training`);

step(3, 'the node fine-tunes it on exactly the accepted contributions; the version is deployed');
const name = `openledger-qa-${model}`;
const job = await rpc('modelFactory_train', [{ name, model, rank: 4, epochs: 5, batchSize: 3, learningRate: 3e-3 }]);
let state;
let shown = 0;
for (;;) {
  state = await rpc('modelFactory_job', [job]);
  if (state.state !== 'running') break;
  const p = state.progress;
  if (p && p.step !== shown) {
    shown = p.step;
    console.log(`  epoch ${p.epoch + 1} step ${p.step}/${p.totalSteps}: loss ${p.loss?.toFixed(3)}`);
  }
  await sleep(1000);
}
if (state.state !== 'done') throw new Error(`training failed: ${state.error}`);
const m = state.manifest;
if (trainingRoot(m.contributions) !== m.trainingDataRoot) throw new Error('the manifest\'s training-data root is not its contributions\' Merkle root');
console.log(`trained on contributions ${m.contributions.join(', ')}; training-data root ${m.trainingDataRoot.slice(0, 18)}… (their Merkle root); tokenizer ${m.tokenizerHash.slice(0, 18)}…`);
console.log(`  scores: ${m.evalScores.map((s) => `${s.metric} ${(s.value_micros / 1e6).toFixed(3)}`).join(', ') || '(no held-out set)'}`);
({ events } = await send(registerVersionTx(api, model, m), dave));
const version = event(events, 'modelRegistry', 'VersionRegistered').data.version.toNumber();
await send(api.tx.modelRegistry.deploy(model, version), dave);
await send(api.tx.modelRegistry.stake(model, 10n * OPEN), eve);
// Only a worker the model's owner approved may serve it.
await send(api.tx.attribution.approveWorker(model, alice.address), dave);
const worker = (await api.query.attribution.workers(alice.address)).unwrapOr(null);
if (worker) await send(api.tx.attribution.setWorkerModels([...worker.models.map((x) => x.toNumber()), model]), alice);
else await send(api.tx.attribution.registerWorker(1_000n * OPEN, [model]), alice);
console.log(`Dave registered version ${version} (trained on ${m.trainingDataCount} contributions) and deployed it; Eve staked 10 OPEN on it`);
console.log(`Dave approved Alice's worker; Alice's node serves the model as adapter ${name}`);

step(4, 'Ferdie pays for an answer');
const { request, quote } = await quotedRequest(rpc, {
  model, prompt: question, maxOutputTokens: 32, nonce: Date.now(), expiresAt: (await best()) + 100,
});
console.log(`the node quotes "${question}": ${quote.tokensIn} tokens in (version ${quote.version}'s tokenizer), worker ${quote.workers.map((w) => names.get(w) ?? w).join(', ')}, at most ${open(quote.maxFee)} for ${request.maxOutputTokens} tokens out`);
const before = await totals();
({ events } = await send(api.tx.feeSplit.requestInference(request), ferdie));
const requestId = event(events, 'feeSplit', 'InferenceRequested').data.request.toHex();
console.log(`Ferdie signed it: request ${requestId.slice(0, 18)}… holds at most ${open(request.maxFee)}, charges ${request.tokensIn} tokens in, may be served by ${request.workers.map((w) => names.get(w) ?? w).join(', ')}`);
process.stdout.write('  answer: ');
const answer = await new Promise((resolve, reject) => {
  provider
    .subscribe('inference_answerRequestItem', 'inference_subscribeAnswerRequest', [{ request: requestId, prompt: question }], (error, item) => {
      if (error) return reject(error);
      if (item.text) process.stdout.write(item.text);
      if (item.done) resolve(item.done);
      if (item.error) reject(new Error(item.error));
    })
    .catch(reject);
});
console.log(`\n  ${answer.tokensIn} tokens in, ${answer.tokensOut} out; quote ${open((await rpc('fees_quote', [model, answer.tokensIn, answer.tokensOut])).total)}`);
const { receipt } = answer;
const digest = await verifyReceipt(api, receipt);
console.log(`  receipt, signed by ${names.get(receipt.worker) ?? receipt.worker}'s worker key (sr25519 over ${digest.slice(0, 18)}…, verified):`);
for (const k of ['request', 'model', 'version', 'adapterHash', 'tokensIn', 'tokensOut', 'outputHash', 'worker', 'signature']) {
  const v = String(receipt[k]);
  console.log(`    ${k.padEnd(11)} ${v.length > 42 ? `${v.slice(0, 42)}…` : v}`);
}

step(5, "the node's off-chain worker attributes the answer and settles it");
let record = null;
const asked = Date.now();
while (!(record = await rpc('attribution_record', [requestId]))) await sleep(1000);
console.log(`settled by ${names.get(record.worker) ?? record.worker} in block ${record.settledAt}, ${((Date.now() - asked) / 1000).toFixed(1)} s after the answer`);
assertReceiptMatchesRecord(receipt, record);
console.log(`the settled record matches the receipt: ${record.tokensIn} in, ${record.tokensOut} out, output ${record.outputHash.slice(0, 18)}…, adapter ${record.adapterHash.slice(0, 18)}… (a settlement that differed could be disputed with it)`);

step(6, 'which data made this answer, and who was paid');
for (const c of record.contributions) {
  const line = qa[contributions.indexOf(c.contribution)];
  console.log(`  #${c.contribution} by ${c.contributor ? names.get(c.contributor) ?? c.contributor : '(withdrawn)'}: weight ${(c.weight / 1e7).toFixed(1)}%, paid ${open(c.paid)}  ("${line?.prompt}")`);
}
const f = record.fee;
if (sharesTotal(f) !== BigInt(f.fee)) throw new Error('the shares do not add up to the fee');
console.log(`fee ${open(f.fee)}: platform ${open(f.platform)}, owner ${open(f.modelOwner)}, worker ${open(f.worker)}, stakers ${open(f.stakers)} (into the staking pot), contributors ${open(f.contributors)}, remainder ${open(f.remainder)}; refunded ${open(f.refund)}`);
const settledAt = await api.rpc.chain.getBlockHash(record.settledAt);
const after = await totals(settledAt);
console.log('\nbalances (free + reserved):   at start            before the request  after settlement    change');
for (const n of names.values()) {
  console.log(`  ${n.padEnd(8)} ${open(start[n]).padStart(26)} ${open(before[n]).padStart(20)} ${open(after[n]).padStart(20)} ${open(after[n] - before[n]).padStart(18)}`);
}
console.log('\n(Alice also pays transaction fees as curator and worker; Ferdie paid the request transaction.)');
for (const who of [bob, charlie]) {
  const e = await rpc('attribution_contributor', [who.address, 0, 100]);
  console.log(`${names.get(who.address)} has earned ${open(e.total)} over ${e.outputs} answer(s)`);
}
const stake = (await api.call.modelRegistryApi.staker(model, eve.address)).unwrap();
console.log(`Eve's stake on model ${model}: ${open(stake.active.toBigInt())} active, ${open(stake.claimable.toBigInt())} of rewards to claim`);
if (stake.claimable.toBigInt() > 0n) {
  ({ events } = await send(api.tx.modelRegistry.claimRewards(model), eve));
  console.log(`Eve claimed ${open(event(events, 'modelRegistry', 'RewardsClaimed').data.amount.toBigInt())} from the staking pot`);
}
await api.disconnect();
