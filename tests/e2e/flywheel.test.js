// The flywheel on a real `--dev` node serving SmolLM2: contributors fill a Datanet, a model is
// voted through, and the node fine-tunes it with ModelFactory on exactly the contributions the
// chain says it may read (accepted ones, of its approved Datanets, with the data from the node's
// content store). The version is registered with the job's provenance and deployed, and the node
// serves it and names the contributors behind its answers. Then a user pays for an answer: the
// node quotes the request (the prompt's tokens, its workers), the user signs it naming Alice's
// worker, which the model's owner approved; it is held in escrow, the node answers it with a
// receipt signed by the worker key, and the node's off-chain worker has the native engine
// attribute the answer and settles it with Alice's worker key from the dev keystore; every
// party's balance moves by exactly its share (the stakers' into the staking pot, which the staker
// claims), the record names the data behind the answer and agrees with the receipt. Last, a user
// who only signs a request off-chain is served through the OpenAI-compatible API.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Node, tempDir } from './lib/node.js';
import { blake2AsHex } from '@polkadot/util-crypto';
import { u8aToHex } from '@polkadot/util';
import {
  assertReceiptMatchesRecord, connect, findEvent, freeBalance, keyring, quoteRequest, quotedRequest, registerVersionTx,
  sendInBlock, sendOk, sharesTotal, stakingPot, trainingRoot, verifyReceipt, OPEN,
} from './lib/chain.js';

const data = path.join(path.dirname(fileURLToPath(import.meta.url)), 'data');
const qa = readFileSync(path.join(data, 'openledger-qa.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const question = 'What is a Datanet?';

let node;
let api;
let alice; // Datanet owner and curator
let bob; // contributor
let charlie; // contributor
let dave; // model creator
let eve; // governor and model staker
let ferdie; // a user who pays for answers
/** What each step leaves for the next. */
const state = {};

before(async () => {
  node = await new Node({
    name: 'flywheel', inference: true, args: ['--dev', '--inference-adapters', tempDir('flywheel-adapters-')],
  }).start();
  api = await connect(node);
  const ring = keyring();
  [alice, bob, charlie, dave, eve, ferdie] = ['Alice', 'Bob', 'Charlie', 'Dave', 'Eve', 'Ferdie'].map((n) =>
    ring.addFromUri(`//${n}`),
  );
});

after(async () => {
  await api?.disconnect();
  await node?.cleanup();
});

/** Sends and asserts success; returns the events of the extrinsic. */
const ok = (tx, signer) => sendOk(api, tx, signer);
const find = findEvent;

/** Puts `content` in the node's content store and contributes it to `datanet`. */
async function contribute(who, datanet, content) {
  const text = JSON.stringify(content);
  const hash = await node.rpc('datanets_putContent', ['0x' + Buffer.from(text).toString('hex')]);
  const events = await ok(api.tx.datanets.contribute(datanet, hash, Buffer.byteLength(text), 'lang=en', OPEN), who);
  return find(events, 'datanets', 'Contributed').data.contribution.toNumber();
}

async function waitForJob(id) {
  for (let i = 0; i < 600; i++) {
    const job = await node.rpc('modelFactory_job', [id]);
    if (job.state !== 'running') return job;
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error(`job ${id} still running`);
}

test('--dev starts with the demo: a curated Datanet, a deployed model, a worker, answers paid and settled', async () => {
  const datanet = (await api.call.datanetsApi.datanet(0)).unwrap();
  assert.equal(datanet.stats.accepted.toNumber(), 6);
  const model = (await api.call.modelRegistryApi.model(0)).unwrap();
  assert.equal(model.status.toString(), 'Deployed');
  assert.equal((await api.query.attribution.workers(alice.address)).unwrap().models[0].toNumber(), 0);
  const names = (await node.rpc('inference_adapters')).map((a) => a.name);
  assert.ok(names.includes('openledger-qa'), 'the node installed the demo adapter');
  // The node holds the demo data the chain points at.
  const first = (await api.call.datanetsApi.contribution(0)).unwrap();
  assert.match(Buffer.from((await node.rpc('datanets_content', [first.contentHash.toHex()])).slice(2), 'hex').toString(), /OpenLedger/);

  // The genesis version is trained on the demo contributions 0..5, counted with this node's
  // tokenizer; Dave owns the model and approved Alice.
  const version = (await api.call.modelRegistryApi.version(0, model.deployedVersion.unwrap())).unwrap();
  assert.equal(version.trainingDataRoot.toHex(), trainingRoot([0, 1, 2, 3, 4, 5]));
  assert.equal(model.owner.toString(), dave.address);
  assert.ok((await api.query.attribution.approvedWorkers(0, alice.address)).isSome, 'Dave approved Alice');

  // What to sign: the node's count of the prompt's tokens, its worker, the fee of the longest answer.
  const { request, quote } = await quotedRequest(node, {
    model: 0, prompt: question, maxOutputTokens: 16, maxFee: OPEN, nonce: 1, expiresAt: (await node.bestNumber()) + 100,
  });
  assert.equal(quote.promptHash, blake2AsHex(question, 256));
  assert.deepEqual(quote.workers, [alice.address]);
  assert.equal(quote.tokenizerHash, version.tokenizerHash.toHex());
  assert.equal(quote.version, model.deployedVersion.unwrap().toNumber());
  assert.ok(quote.tokensIn > 5, `${quote.tokensIn} tokens in`);
  assert.equal(BigInt(quote.maxFee), BigInt((await node.rpc('fees_quote', [0, quote.tokensIn, 16])).total));
  await assert.rejects(
    quoteRequest(node, { model: 999, prompt: question, maxOutputTokens: 16 }),
    (e) => e.rpc?.code === 5300 && /not deployed/.test(e.message),
  );
  const held = await sendInBlock(api, api.tx.feeSplit.requestInference(request), ferdie);
  assert.equal(held.error, null);
  const requestId = find(held.events.map(({ event }) => event), 'feeSplit', 'InferenceRequested').data.request.toHex();
  const answer = await node.rpc('inference_answerRequest', [{ request: requestId, prompt: question }]);
  assert.match(answer.text, /Datanet/);
  await verifyReceipt(api, answer.receipt);
  assert.equal(answer.receipt.worker, alice.address);
  let record;
  await node.waitFor('the demo request to be settled', async () => {
    record = await node.rpc('attribution_record', [requestId]).catch(() => null);
    return record !== null;
  }, 120_000);
  assert.equal(record.model, 0);
  assert.equal(record.tokensIn, quote.tokensIn);
  assertReceiptMatchesRecord(answer.receipt, record);
  assert.ok(record.contributions.some((c) => c.contribution === 1 && c.contributor === charlie.address), JSON.stringify(record.contributions));
});

test('a Datanet is filled and curated; a model on it is voted through', async () => {
  const datanet = (await api.query.datanets.nextDatanetId()).toNumber();
  await ok(api.tx.datanets.createDatanet('OpenLedger Q&A', 'questions about OpenLedger', 'hand-written', 'json:prompt,completion', OPEN, []), alice);
  const other = datanet + 1;
  await ok(api.tx.datanets.createDatanet('Elsewhere', 'another topic', 'hand-written', 'json:prompt,completion', OPEN, []), alice);

  const accepted = [];
  for (const [i, line] of qa.entries()) {
    const id = await contribute(i % 2 ? charlie : bob, datanet, { prompt: line.prompt, completion: line.completion });
    await ok(api.tx.datanets.accept(id, 800_000_000), alice);
    accepted.push({ id, contributor: (i % 2 ? charlie : bob).address });
  }
  // Neither a rejected contribution nor one in a Datanet the model does not train on is read.
  const rejected = await contribute(bob, datanet, { prompt: 'What is OpenLedger?', completion: 'A pyramid scheme.' });
  await ok(api.tx.datanets.reject(rejected), alice);
  const outside = await contribute(charlie, other, { prompt: 'What is a Datanet?', completion: 'Nobody knows.' });
  await ok(api.tx.datanets.accept(outside, 900_000_000), alice);

  const model = (await api.query.modelRegistry.nextModelId()).toNumber();
  let events = await ok(
    api.tx.modelRegistry.propose('OpenLedger Q&A', 'HuggingFaceTB/SmolLM2-135M-Instruct', [datanet], 'answer questions about OpenLedger', OPEN / 5n, (2n * OPEN) / 5n),
    dave,
  );
  const proposal = find(events, 'modelRegistry', 'ModelProposed').data.proposal.toNumber();
  await ok(api.tx.governance.stake(1_000n * OPEN), eve);
  await ok(api.tx.governance.vote(proposal, true, 1_000n * OPEN), eve);
  const endsAt = (await api.query.governance.proposals(proposal)).unwrap().endsAt.toNumber();
  await node.waitFor('the voting period to end', async () => (await node.bestNumber()) >= endsAt, 180_000);
  events = await ok(api.tx.governance.close(proposal), charlie);
  assert.equal(find(events, 'modelRegistry', 'StatusChanged').data.status.toString(), 'Approved');
  await ok(api.tx.modelRegistry.startDataCollection(model), dave);

  // The runtime API tells the node what the model may read.
  const info = (await api.call.modelRegistryApi.model(model)).unwrap();
  assert.deepEqual(info.datanets.map((d) => d.toNumber()), [datanet]);
  assert.equal((await api.call.modelRegistryApi.dataConditionMet(model)).unwrap().isTrue, true);
  Object.assign(state, { datanet, model, accepted, rejected, outside });
});

test('ModelFactory trains the model on exactly its accepted contributions, read from the chain', async () => {
  const { model, datanet, accepted } = state;
  assert.ok(model !== undefined, 'the first test registered a model');
  // Not before the model is in training.
  await assert.rejects(
    node.rpc('modelFactory_train', [{ name: 'qa-v0', model }]),
    (e) => e.rpc?.code === -32602 && /CollectingData/.test(e.message),
  );
  await ok(api.tx.modelRegistry.startTraining(model), charlie);
  await assert.rejects(
    node.rpc('modelFactory_train', [{ name: 'qa-v0', model, contributions: qa }]),
    (e) => e.rpc?.code === -32602 && /either `model`/.test(e.message),
  );
  await assert.rejects(
    node.rpc('modelFactory_train', [{ name: 'qa-v0', model: 999 }]),
    (e) => e.rpc?.code === -32602 && /model 999 is not registered/.test(e.message),
  );

  const job = await waitForJob(await node.rpc('modelFactory_train', [{
    name: 'qa-v0', model, rank: 4, epochs: 3, batchSize: 3, learningRate: 3e-3, holdOut: 0,
  }]));
  assert.equal(job.state, 'done', JSON.stringify(job));
  const m = job.manifest;
  assert.equal(m.model, model);
  assert.deepEqual(m.contributions, accepted.map((a) => a.id));
  assert.deepEqual(m.datanets, [datanet]);
  for (const { id, contributor } of accepted) assert.equal(m.contributors[id], contributor);

  // The manifest's training-data root is the Merkle root of its contributions, and its tokenizer
  // the base model's (the genesis version's too).
  assert.equal(m.trainingDataRoot, trainingRoot(m.contributions));
  const demo = (await api.call.modelRegistryApi.model(0)).unwrap();
  const demoVersion = (await api.call.modelRegistryApi.version(0, demo.deployedVersion.unwrap())).unwrap();
  assert.equal(m.tokenizerHash, demoVersion.tokenizerHash.toHex());

  // The version is registered with the job's provenance and training set, then deployed.
  const events = await ok(registerVersionTx(api, model, m), dave);
  const version = find(events, 'modelRegistry', 'VersionRegistered').data.version.toNumber();
  await ok(api.tx.modelRegistry.deploy(model, version), dave);
  const stored = (await api.call.modelRegistryApi.version(model, version)).unwrap();
  assert.equal(stored.trainingDataRoot.toHex(), m.trainingDataRoot);
  assert.equal(stored.trainingDataCount.toNumber(), accepted.length);
  assert.equal(stored.tokenizerHash.toHex(), m.tokenizerHash);
  assert.equal((await api.call.modelRegistryApi.versions(model, 0, 10)).length, 1);
  state.manifest = m;
});

test('the node serves the new version and names the contributors behind its answers', async () => {
  const { accepted } = state;
  assert.ok(state.manifest, 'the training test registered a version');
  const answer = await node.rpc('inference_generate', [{
    model: 'qa-v0', messages: [{ role: 'user', content: question }], maxTokens: 24, attribution: 3,
  }]);
  assert.ok(answer.text.length > 0);
  assert.equal(answer.attribution.scored, accepted.length);
  const explained = await node.rpc('inference_explain', [{
    model: 'qa-v0', messages: [{ role: 'user', content: question }],
    output: 'A Datanet is a shared dataset on OpenLedger.<|im_end|>', topK: 3,
  }]);
  // The contribution that taught this answer is the Datanet one (the second, Charlie's).
  assert.equal(explained.contributions[0].id, accepted[1].id, JSON.stringify(explained));
  assert.equal(explained.contributions[0].contributor, charlie.address);
});

/** Free + reserved of `address` at block `at`. */
async function total(address, at) {
  const { data } = await (await api.at(at)).query.system.account(address);
  return data.free.toBigInt() + data.reserved.toBigInt();
}

test('a paid answer is attributed and settled by the off-chain worker, every share to the unit', async () => {
  const { model, accepted } = state;
  assert.ok(state.manifest, 'the training test deployed a version');
  // Alice's node serves the model: her worker key is in the dev keystore. Eve stakes on it.
  // (On --dev she is already the worker of the demo model: she adds this one.) She may only once
  // Dave, the model's owner, approved her.
  const worker = (await api.query.attribution.workers(alice.address)).unwrapOr(null);
  const serve = () => (worker
    ? api.tx.attribution.setWorkerModels([...worker.models.map((m) => m.toNumber()), model])
    : api.tx.attribution.registerWorker(1_000n * OPEN, [model]));
  const unapproved = await sendInBlock(api, serve(), alice);
  assert.equal(unapproved.error?.name, 'attribution.NotApprovedForModel');
  // The node has no worker for the model yet: it quotes nothing.
  await assert.rejects(
    quoteRequest(node, { model, prompt: question, maxOutputTokens: 24 }),
    (e) => e.rpc?.code === 5300 && /no worker serving model/.test(e.message),
  );
  await ok(api.tx.attribution.approveWorker(model, alice.address), dave);
  await ok(serve(), alice);
  await ok(api.tx.modelRegistry.stake(model, 10n * OPEN), eve);

  const earnedBefore = await node.rpc('attribution_contributor', [charlie.address, 0, 10]);

  // Ferdie puts a request in escrow: the prompt's hash and token count, Alice's worker, at most
  // 24 tokens, at most 1 OPEN.
  const prompt = question;
  const { request, quote: quoted } = await quotedRequest(node, {
    model, prompt, maxOutputTokens: 24, maxFee: OPEN, nonce: 7, expiresAt: (await node.bestNumber()) + 100,
  });
  assert.deepEqual(request.workers, [alice.address]);
  const held = await sendInBlock(api, api.tx.feeSplit.requestInference(request), ferdie);
  assert.equal(held.error, null);
  const requestId = find(held.events.map(({ event }) => event), 'feeSplit', 'InferenceRequested').data.request.toHex();

  // The node refuses a prompt that is not the one paid for, then answers the real one, streamed.
  await assert.rejects(
    node.rpc('inference_answerRequest', [{ request: requestId, prompt: 'something else' }]),
    (e) => e.rpc?.code === 5300 && /prompt_hash/.test(e.message),
  );
  const answer = await node.rpc('inference_answerRequest', [{ request: requestId, prompt }]);
  assert.ok(answer.text.length > 0);
  assert.equal(answer.adapter, 'qa-v0');
  assert.ok(answer.tokensOut >= 1 && answer.tokensOut <= 24);
  assert.equal(answer.outputHash, blake2AsHex(answer.text, 256));
  assert.equal(answer.tokensIn, quoted.tokensIn);
  // The worker's receipt: what was answered, signed with Alice's worker key.
  await verifyReceipt(api, answer.receipt);
  assert.deepEqual(
    { ...answer.receipt, signature: undefined },
    {
      request: requestId, model, version: quoted.version, adapterHash: state.manifest.adapterHash, tokensIn: answer.tokensIn,
      tokensOut: answer.tokensOut, outputHash: answer.outputHash, worker: alice.address, signature: undefined,
    },
  );
  await assert.rejects(
    node.rpc('inference_answerRequest', [{ request: requestId, prompt }]),
    (e) => e.rpc?.code === 5300 && /already answered/.test(e.message),
  );

  // The off-chain worker settles it: no one sends a transaction by hand.
  let record;
  await node.waitFor('the off-chain worker to settle the request', async () => {
    record = await node.rpc('attribution_record', [requestId]).catch(() => null);
    return record !== null;
  }, 120_000);
  assert.equal(record.worker, alice.address);
  assert.equal(record.user, ferdie.address);
  assert.equal(record.outputHash, answer.outputHash);
  assert.equal(record.tokensIn, answer.tokensIn);
  assert.equal(record.tokensOut, answer.tokensOut);
  assert.equal(record.promptHash, request.promptHash);
  assert.equal(record.adapterHash, state.manifest.adapterHash);
  assertReceiptMatchesRecord(answer.receipt, record);
  assert.ok(record.contributions.length >= 1);
  const trained = new Set(state.manifest.contributions);
  for (const c of record.contributions) assert.ok(trained.has(c.contribution), `#${c.contribution} is in the version's training set`);
  const contributorOf = new Map(accepted.map((a) => [a.id, a.contributor]));
  for (const c of record.contributions) assert.equal(c.contributor, contributorOf.get(c.contribution));
  const quote = await node.rpc('fees_quote', [model, answer.tokensIn, answer.tokensOut]);
  assert.equal(record.fee.fee, quote.total);

  // Balances across the settlement block, to the unit.
  const after = await api.rpc.chain.getBlockHash(record.settledAt);
  const before = (await api.rpc.chain.getHeader(after)).parentHash.toHex();
  const delta = async (address) => (await total(address, after)) - (await total(address, before));
  const fee = BigInt(record.fee.fee);
  assert.equal(await delta(ferdie.address), -fee);
  assert.equal(await delta(dave.address), BigInt(record.fee.modelOwner));
  // No compute share on this model: the owner's part is all Dave's.
  assert.equal(record.fee.worker, '0');
  // The stakers' share goes into the staking pot; Eve claims it afterwards.
  assert.ok(BigInt(record.fee.stakers) > 0n);
  assert.equal(await delta(eve.address), 0n);
  assert.equal(await delta(stakingPot(api)), BigInt(record.fee.stakers));
  const paidTo = (who) => record.contributions.filter((c) => c.contributor === who).reduce((s, c) => s + BigInt(c.paid), 0n);
  assert.equal(await delta(bob.address), paidTo(bob.address));
  assert.equal(await delta(charlie.address), paidTo(charlie.address));
  assert.equal(sharesTotal(record.fee), fee);
  // Ferdie's hold is gone: he paid the fee and got the rest back.
  const { data } = await (await api.at(after)).query.system.account(ferdie.address);
  assert.equal(data.reserved.toBigInt(), 0n);
  assert.ok((await freeBalance(api, ferdie.address, after)) > 0n);

  // A contributor lists their earnings; the node forgets what is settled.
  const earned = await node.rpc('attribution_contributor', [charlie.address, 0, 10]);
  assert.equal(BigInt(earned.total) - BigInt(earnedBefore.total), paidTo(charlie.address));
  assert.ok(earned.records.some((r) => r.request === requestId));
  await node.waitFor('the settled request to leave the store', async () => (await node.rpc('inference_pendingSettlements')).total === 0, 60_000);

  // Eve, the model's only staker, claims the stakers' share (rounded down: at most a unit less).
  const claimable = (await api.call.modelRegistryApi.staker(model, eve.address)).unwrap().claimable.toBigInt();
  const stakers = BigInt(record.fee.stakers);
  assert.ok(claimable <= stakers && stakers - claimable <= 1n, `claimable ${claimable} of ${stakers}`);
  const claimed = await sendOk(api, api.tx.modelRegistry.claimRewards(model), eve);
  assert.equal(find(claimed, 'modelRegistry', 'RewardsClaimed').data.amount.toBigInt(), claimable);
  assert.equal((await api.call.modelRegistryApi.staker(model, eve.address)).unwrap().claimable.toBigInt(), 0n);
});

test('a node restarted between answer and settlement still settles, exactly once', async () => {
  const { model } = state;
  assert.ok(state.manifest, 'the training test deployed a version');
  const records = async () => (await node.rpc('attribution_modelRecords', [model, 0, 10])).total;
  const settledBefore = await records();
  const prompt = 'What is gOPEN?';
  const { request } = await quotedRequest(node, {
    model, prompt, maxOutputTokens: 16, maxFee: OPEN, nonce: 8, expiresAt: (await node.bestNumber()) + 100,
  });
  const held = await sendInBlock(api, api.tx.feeSplit.requestInference(request), ferdie);
  assert.equal(held.error, null);
  const requestId = find(held.events.map(({ event }) => event), 'feeSplit', 'InferenceRequested').data.request.toHex();
  const ferdieAfterRequest = await total(ferdie.address, held.blockHash);

  // Answered, then the node goes down at once: its attribution had no time to finish.
  const answer = await node.rpc('inference_answerRequest', [{ request: requestId, prompt }]);
  await api.disconnect();
  await node.stop();
  await node.start();
  api = await connect(node);

  let record;
  await node.waitFor('the restarted node to settle the request', async () => {
    record = await node.rpc('attribution_record', [requestId]).catch(() => null);
    return record !== null;
  }, 180_000);
  assert.ok(record.contributions.length >= 1, 'attributed after the restart');
  // Settled as the receipt the user got before the restart says.
  await verifyReceipt(api, answer.receipt);
  assertReceiptMatchesRecord(answer.receipt, record);
  // Wait a few more blocks: nothing is settled twice.
  const at = await node.bestNumber();
  await node.waitFor('three more blocks', async () => (await node.bestNumber()) >= at + 3, 60_000);
  assert.equal(await records(), settledBefore + 1);
  const now = await api.rpc.chain.getBlockHash();
  assert.equal((await total(ferdie.address, now)) - ferdieAfterRequest, -BigInt(record.fee.fee));
});

test('a request signed off-chain and sent to the OpenAI API is answered, brought on-chain and settled by the node', async () => {
  // Ferdie signs a request for the demo model; he sends no transaction. The node checks it with
  // the runtime, answers at once, and its off-chain worker puts it in escrow and settles it.
  const prompt = 'What is OpenLedger?';
  const { request } = await quotedRequest(node, {
    model: 0, prompt, maxOutputTokens: 12, maxFee: OPEN, nonce: 4242, expiresAt: (await node.bestNumber()) + 100,
  });
  const digest = (await api.call.feeSplitApi.signingDigest(request)).toU8a();
  const signed = (who) => ({
    request: { ...request, maxFee: request.maxFee.toString() }, user: who.address, signature: u8aToHex(who.sign(digest)),
  });
  /** Ferdie's signature of another request than the quoted one. */
  const signedOther = async (r) => ({
    request: { ...r, maxFee: r.maxFee.toString() },
    user: ferdie.address,
    signature: u8aToHex(ferdie.sign((await api.call.feeSplitApi.signingDigest(r)).toU8a())),
  });
  const chat = (openledger, extra = {}) => fetch(`${node.openaiUrl}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'openledger-qa', messages: [{ role: 'user', content: prompt }], max_tokens: 12, temperature: 0, openledger, ...extra }),
  });

  // Refused with 402 before any answer: a signature that is not the user's, a user who cannot
  // pay, a prompt that is not the one signed for.
  const forged = { ...signed(ferdie), signature: signed(eve).signature };
  let res = await chat({ signed_request: forged });
  assert.equal(res.status, 402);
  assert.match((await res.json()).error.message, /BadSignature/);
  const pauper = keyring().addFromUri(`//pauper-${Date.now()}`);
  res = await chat({ signed_request: signed(pauper) });
  assert.equal(res.status, 402);
  assert.match((await res.json()).error.message, /InsufficientBalance/);
  res = await chat({ signed_request: signed(ferdie) }, { messages: [{ role: 'user', content: 'Something else?' }] });
  assert.equal(res.status, 402);
  assert.match((await res.json()).error.message, /prompt_hash/);
  // Nor a request that does not charge the prompt's tokens, or that names none of the node's
  // workers (Bob is no worker of its).
  res = await chat({ signed_request: await signedOther({ ...request, tokensIn: request.tokensIn - 1 }) });
  assert.equal(res.status, 402);
  assert.match((await res.json()).error.message, new RegExp(`the prompt is ${request.tokensIn} tokens`));
  res = await chat({ signed_request: await signedOther({ ...request, workers: [bob.address] }) });
  assert.equal(res.status, 402);
  assert.match((await res.json()).error.message, /names none of this node's workers/);

  const id = (await api.call.feeSplitApi.requestId(ferdie.address, request)).toHex();
  const before = await api.rpc.chain.getBlockHash();
  res = await chat({ signed_request: signed(ferdie) });
  assert.equal(res.status, 200);
  const body = await res.json();
  const text = body.choices[0].message.content;
  assert.ok(text.length > 0);
  assert.equal(body.model, 'openledger-qa');
  assert.equal(body.openledger.request, id);
  assert.equal(body.openledger.outputHash, blake2AsHex(text, 256));
  assert.ok(body.usage.completion_tokens <= 12);
  assert.equal(body.usage.prompt_tokens, request.tokensIn);
  // The worker's signed receipt comes with the answer.
  const { receipt } = body.openledger;
  await verifyReceipt(api, receipt);
  assert.equal(receipt.request, id);
  assert.equal(receipt.outputHash, body.openledger.outputHash);
  assert.equal(receipt.worker, alice.address);
  // Answered once.
  res = await chat({ signed_request: signed(ferdie) });
  assert.equal(res.status, 402);
  assert.match((await res.json()).error.message, /already answered/);

  let record;
  await node.waitFor('the signed request to be settled', async () => {
    record = await node.rpc('attribution_record', [id]).catch(() => null);
    return record !== null;
  }, 120_000);
  assert.equal(record.user, ferdie.address);
  assert.equal(record.worker, alice.address);
  assert.equal(record.outputHash, body.openledger.outputHash);
  assert.equal(record.tokensOut, body.usage.completion_tokens);
  assertReceiptMatchesRecord(receipt, record);
  assert.ok(record.contributions.length >= 1);
  const escrow = (await api.call.feeSplitApi.request(id)).unwrap();
  assert.equal(escrow.signedOffChain.isTrue, true);
  assert.equal(escrow.status.toString(), 'Settled');
  // Ferdie paid the fee and nothing else: the node's worker paid for the transactions.
  const after = await api.rpc.chain.getBlockHash(record.settledAt);
  assert.equal((await total(ferdie.address, after)) - (await total(ferdie.address, before)), -BigInt(record.fee.fee));
});
