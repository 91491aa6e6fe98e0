// The flywheel on the two-validator `--chain local` network: Alice's node serves SmolLM2 and
// Bob's only validates. Contributors fill a Datanet, a model is voted through, Alice's node
// fine-tunes it from the chain and it is deployed; Alice's worker key is put in her node's
// keystore over RPC (`author_insertKey`, as an operator would), the model's owner approves her
// worker, users sign requests the node quoted, and her off-chain worker settles the paid answers
// in one batch where it can, as the receipts she signed say. Bob's node, which ran none of it,
// holds the same records and balances, checked to the unit.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { u8aToHex } from '@polkadot/util';
import { localValidator, tempDir } from './lib/node.js';
import {
  assertReceiptMatchesRecord, connect, findEvent, keyring, quotedRequest, registerVersionTx, sendInBlock, sendOk,
  sharesTotal, stakingPot, trainingRoot, verifyReceipt, OPEN,
} from './lib/chain.js';

const data = path.join(path.dirname(fileURLToPath(import.meta.url)), 'data');
const qa = readFileSync(path.join(data, 'openledger-qa.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));

let aliceNode; // validator serving inference
let bobNode; // validator only
let api; // on Alice's node
let bobApi; // on Bob's node
let alice, bob, charlie, dave, eve, ferdie;
const state = {};

before(async () => {
  aliceNode = await (await localValidator('alice', {
    inference: true, args: ['--inference-adapters', tempDir('local-adapters-')],
  })).start();
  const bootnode = `/ip4/127.0.0.1/tcp/${aliceNode.p2pPort}/p2p/${await aliceNode.peerId()}`;
  bobNode = await (await localValidator('bob', { args: ['--bootnodes', bootnode] })).start();
  [api, bobApi] = [await connect(aliceNode), await connect(bobNode)];
  const ring = keyring();
  [alice, bob, charlie, dave, eve, ferdie] = ['Alice', 'Bob', 'Charlie', 'Dave', 'Eve', 'Ferdie'].map((n) =>
    ring.addFromUri(`//${n}`),
  );
  for (const node of [aliceNode, bobNode]) {
    await node.waitFor('block 2 finalized', async () => (await node.finalizedNumber()) >= 2, 180_000);
  }
});

after(async () => {
  await api?.disconnect();
  await bobApi?.disconnect();
  await bobNode?.cleanup();
  await aliceNode?.cleanup();
});

const ok = (tx, signer, options) => sendOk(api, tx, signer, options);
const nextNonce = async (who) => (await api.rpc.system.accountNextIndex(who.address)).toNumber();

/** Free + reserved of `address` at block `at`, read from Bob's node. */
async function total(address, at) {
  const { data: account } = await (await bobApi.at(at)).query.system.account(address);
  return account.free.toBigInt() + account.reserved.toBigInt();
}

test('contributors fill a Datanet on the local network; a model on it is voted through', async () => {
  const datanet = (await api.query.datanets.nextDatanetId()).toNumber();
  await ok(api.tx.datanets.createDatanet('OpenLedger Q&A', 'questions about OpenLedger', 'hand-written', 'json:prompt,completion', OPEN, []), alice);

  // Bob and Charlie contribute in parallel (consecutive nonces each); the content goes to the
  // content store of Alice's node, which will train on it.
  const nonces = new Map([[bob, await nextNonce(bob)], [charlie, await nextNonce(charlie)]]);
  const sent = qa.map(async (line, i) => {
    const who = i % 2 ? charlie : bob;
    const nonce = nonces.get(who);
    nonces.set(who, nonce + 1);
    const text = JSON.stringify({ prompt: line.prompt, completion: line.completion });
    const hash = await aliceNode.rpc('datanets_putContent', ['0x' + Buffer.from(text).toString('hex')]);
    const events = await ok(api.tx.datanets.contribute(datanet, hash, Buffer.byteLength(text), 'lang=en', OPEN), who, { nonce });
    return { id: findEvent(events, 'datanets', 'Contributed').data.contribution.toNumber(), contributor: who.address };
  });
  const accepted = await Promise.all(sent);
  const aliceNonce = await nextNonce(alice);
  await Promise.all(accepted.map(({ id }, i) => ok(api.tx.datanets.accept(id, 800_000_000), alice, { nonce: aliceNonce + i })));

  const model = (await api.query.modelRegistry.nextModelId()).toNumber();
  const events = await ok(
    api.tx.modelRegistry.propose('OpenLedger Q&A', 'HuggingFaceTB/SmolLM2-135M-Instruct', [datanet], 'answer questions about OpenLedger', OPEN / 5n, (2n * OPEN) / 5n),
    dave,
  );
  const proposal = findEvent(events, 'modelRegistry', 'ModelProposed').data.proposal.toNumber();
  const eveNonce = await nextNonce(eve);
  await Promise.all([
    ok(api.tx.governance.stake(1_000n * OPEN), eve, { nonce: eveNonce }),
    ok(api.tx.governance.vote(proposal, true, 1_000n * OPEN), eve, { nonce: eveNonce + 1 }),
  ]);
  const endsAt = (await api.query.governance.proposals(proposal)).unwrap().endsAt.toNumber();
  await aliceNode.waitFor('the voting period to end', async () => (await aliceNode.bestNumber()) >= endsAt, 240_000);
  await ok(api.tx.governance.close(proposal), charlie);
  await ok(api.tx.modelRegistry.startDataCollection(model), dave);
  await ok(api.tx.modelRegistry.startTraining(model), dave);
  // Bob's node agrees on what the model may read.
  assert.equal((await bobApi.call.modelRegistryApi.dataConditionMet(model)).unwrap().isTrue, true);
  Object.assign(state, { datanet, model, accepted });
});

test("Alice's node trains the model from the chain; the version is registered, deployed and seen by Bob", async () => {
  const { model, accepted } = state;
  assert.ok(model !== undefined, 'the first test registered a model');
  let job = await aliceNode.rpc('modelFactory_train', [{
    name: 'local-qa', model, rank: 4, epochs: 2, batchSize: 3, learningRate: 3e-3, holdOut: 0,
  }]);
  for (let i = 0; i < 600; i++) {
    const status = await aliceNode.rpc('modelFactory_job', [job]);
    if (status.state !== 'running') {
      job = status;
      break;
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  assert.equal(job.state, 'done', JSON.stringify(job));
  const m = job.manifest;
  const byId = (a, b) => a - b;
  assert.deepEqual([...m.contributions].sort(byId), accepted.map((a) => a.id).sort(byId));

  assert.equal(m.trainingDataRoot, trainingRoot(m.contributions));
  const events = await ok(registerVersionTx(api, model, m), dave);
  const version = findEvent(events, 'modelRegistry', 'VersionRegistered').data.version.toNumber();
  await ok(api.tx.modelRegistry.deploy(model, version), dave);
  await bobNode.waitFor('Bob to see the deployed version', async () => {
    const info = (await bobApi.call.modelRegistryApi.model(model)).unwrapOr(null);
    return info?.status.toString() === 'Deployed';
  }, 60_000);
  const stored = (await bobApi.call.modelRegistryApi.version(model, version)).unwrap();
  assert.equal(stored.adapterHash.toHex(), m.adapterHash);
  assert.equal(stored.tokenizerHash.toHex(), m.tokenizerHash);
  state.manifest = m;
});

test("Alice's worker key, inserted over RPC, settles the paid answers; Bob's node has every share", async () => {
  const { model, accepted } = state;
  assert.ok(state.manifest, 'the training test deployed a version');
  // An operator puts the worker key in the node's keystore; no key is there by default on `local`.
  await aliceNode.rpc('author_insertKey', ['attr', '//Alice', u8aToHex(alice.publicKey)]);
  assert.equal(await aliceNode.rpc('author_hasKey', [u8aToHex(alice.publicKey), 'attr']), true);
  // Dave, the model's owner, approves her worker, and gives the settling worker 5% of his part.
  await ok(api.tx.attribution.approveWorker(model, alice.address), dave);
  await ok(api.tx.attribution.setServingPolicy(model, { openToStake: null, workerShare: 50_000_000 }), dave);
  await ok(api.tx.attribution.registerWorker(1_000n * OPEN, [model]), alice);
  await ok(api.tx.modelRegistry.stake(model, 10n * OPEN), eve);

  // Ferdie puts two requests in escrow at once, as the node quoted them; Alice's node answers both.
  const prompts = ['What is a Datanet?', 'What is gOPEN?'];
  const expiresAt = (await aliceNode.bestNumber()) + 200;
  const first = await nextNonce(ferdie);
  const quoted = await Promise.all(prompts.map((prompt, i) => quotedRequest(aliceNode, {
    model, prompt, maxOutputTokens: 12, maxFee: OPEN, nonce: 100 + i, expiresAt, workers: [alice.address],
  })));
  // The node's worker for the model is Alice's key. (`--alice` put it in the keystore already,
  // in memory, and the operator's copy is on disk: the quote may name it twice.)
  for (const { quote } of quoted) assert.deepEqual([...new Set(quote.workers)], [alice.address]);
  const held = await Promise.all(quoted.map(({ request }, i) => sendInBlock(
    api,
    api.tx.feeSplit.requestInference(request),
    ferdie,
    { nonce: first + i },
  )));
  const requests = held.map(({ events, error }) => {
    assert.equal(error, null);
    return findEvent(events.map(({ event }) => event), 'feeSplit', 'InferenceRequested').data.request.toHex();
  });
  const answers = await Promise.all(requests.map((request, i) =>
    aliceNode.rpc('inference_answerRequest', [{ request, prompt: prompts[i] }])));
  for (const [i, answer] of answers.entries()) {
    assert.equal(answer.adapter, 'local-qa');
    assert.equal(answer.tokensIn, quoted[i].request.tokensIn);
    // Signed with the worker key just inserted; checked against Bob's node's runtime.
    await verifyReceipt(bobApi, answer.receipt);
    assert.equal(answer.receipt.worker, alice.address);
  }

  // Settled by Alice's off-chain worker; read back from Bob's node.
  const records = [];
  for (const request of requests) {
    await bobNode.waitFor('the settlement to reach Bob', async () => {
      const record = await bobNode.rpc('attribution_record', [request]).catch(() => null);
      if (record) records.push(record);
      return record !== null;
    }, 180_000);
  }
  const contributorOf = new Map(accepted.map((a) => [a.id, a.contributor]));
  for (const [i, record] of records.entries()) {
    assert.equal(record.worker, alice.address);
    assert.equal(record.user, ferdie.address);
    assert.equal(record.outputHash, answers[i].outputHash);
    assertReceiptMatchesRecord(answers[i].receipt, record);
    assert.equal(sharesTotal(record.fee), BigInt(record.fee.fee));
    assert.ok(record.contributions.length >= 1);
    for (const c of record.contributions) assert.equal(c.contributor, contributorOf.get(c.contribution));
  }

  // They came in `settle_batch` extrinsics of Alice's: every request is in one, none failed.
  const blocks = [...new Set(records.map((r) => r.settledAt))].sort((a, b) => a - b);
  let batched = 0;
  for (const number of blocks) {
    const events = await (await bobApi.at(await bobApi.rpc.chain.getBlockHash(number))).query.system.events();
    for (const { event } of events) {
      if (event.section === 'attribution' && event.method === 'BatchSettled') {
        assert.equal(event.data.worker.toString(), alice.address);
        assert.equal(event.data.failed.toNumber(), 0);
        batched += event.data.settled.toNumber();
      }
      assert.notEqual(event.method, 'SettlementFailed');
    }
  }
  assert.equal(batched, requests.length);

  // Balances on Bob's node across the settlement blocks, to the unit (nothing else moves these
  // accounts meanwhile; the worker pays the transaction fees).
  const last = await bobApi.rpc.chain.getBlockHash(blocks.at(-1));
  const before = (await bobApi.rpc.chain.getHeader(await bobApi.rpc.chain.getBlockHash(blocks[0]))).parentHash.toHex();
  const delta = async (address) => (await total(address, last)) - (await total(address, before));
  const sum = (f) => records.reduce((s, r) => s + f(r), 0n);
  assert.equal(await delta(ferdie.address), -sum((r) => BigInt(r.fee.fee)));
  assert.equal(await delta(dave.address), sum((r) => BigInt(r.fee.modelOwner)));
  // The stakers' share waits in the staking pot until Eve claims it.
  assert.equal(await delta(eve.address), 0n);
  assert.equal(await delta(stakingPot(bobApi)), sum((r) => BigInt(r.fee.stakers)));
  // The worker's compute share: 5% of the owner's part, rounded down.
  for (const r of records) {
    assert.equal(BigInt(r.fee.worker), (BigInt(r.fee.modelOwner) + BigInt(r.fee.worker)) / 20n);
  }
  for (const who of [bob, charlie]) {
    const paid = sum((r) => r.contributions.filter((c) => c.contributor === who.address).reduce((s, c) => s + BigInt(c.paid), 0n));
    assert.equal(await delta(who.address), paid);
    // The contributor lists these earnings from either node.
    const earned = await bobNode.rpc('attribution_contributor', [who.address, 0, 10]);
    assert.equal(BigInt(earned.total), paid);
  }
  for (const [i, record] of records.entries()) {
    const quote = await bobNode.rpc('fees_quote', [model, answers[i].tokensIn, answers[i].tokensOut]);
    assert.equal(record.fee.fee, quote.total);
  }

  // Eve, the only staker, claims both settlements' stakers' shares (at most a unit each rounded away).
  const owed = sum((r) => BigInt(r.fee.stakers));
  const claimable = (await bobApi.call.modelRegistryApi.staker(model, eve.address)).unwrap().claimable.toBigInt();
  assert.ok(claimable <= owed && owed - claimable <= BigInt(records.length), `claimable ${claimable} of ${owed}`);
  const claimed = await ok(api.tx.modelRegistry.claimRewards(model), eve);
  assert.equal(findEvent(claimed, 'modelRegistry', 'RewardsClaimed').data.amount.toBigInt(), claimable);
});
