// A settlement binds the user's consent, the worker they chose and the answer they got. On a
// `--dev` node (Alice's: her node is the worker of the demo model 0, approved by Dave who owns it,
// deployed with version 0 trained on contributions 0..5 of Datanet 0), a second, rogue worker —
// Bob, with his own stake and no node: he signs extrinsics by hand — tries each way of being paid
// for what the user did not ask or did not get. Every attempt is refused, or ends with Bob
// slashed and the user made whole, to the unit. The honest node, held to the same rules, is
// never slashed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { blake2AsHex, encodeAddress, signatureVerify } from '@polkadot/util-crypto';
import { stringToU8a, u8aConcat, u8aToHex } from '@polkadot/util';
import { Node, tempDir } from './lib/node.js';
import { connect, findEvent, keyring, sendInBlock, OPEN } from './lib/chain.js';

let node;
let api;
let alice; // the node's worker; owner and curator of Datanet 0
let bob; // the rogue worker
let charlie; // a user (and a demo contributor)
let dave; // owner of the demo model 0
let eve; // a gOPEN holder
let ferdie; // a user
/** What one test leaves for the next. */
const state = {};

const MODEL = 0;
const PENALTY = 100n * OPEN; // attribution's DisputePenalty
const BOND = 10n * OPEN; // attribution's ChallengeBond
/** The treasury's account (PalletId `py/trsry`): slashed stake beyond refunds, and tx fees. */
const TREASURY = encodeAddress(u8aConcat(stringToU8a('modlpy/trsry'), new Uint8Array(20)), 42);

before(async () => {
  node = await new Node({
    name: 'adversarial', inference: true, args: ['--dev', '--inference-adapters', tempDir('adversarial-adapters-')],
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

// ---- helpers ---------------------------------------------------------------------------------

/** Sends `tx` into a block: `{blockHash, events, error}` with `events` the extrinsic's events. */
async function send(tx, signer, options) {
  const result = await sendInBlock(api, tx, signer, options);
  return { ...result, events: result.events.map(({ event }) => event) };
}

/** Sends `txs` from `signer` with consecutive nonces, so that they run in this order (in one
 * block when they fit); resolves with each one's result. */
async function inOrder(signer, txs) {
  const first = (await api.rpc.system.accountNextIndex(signer.address)).toNumber();
  return Promise.all(txs.map((tx, i) => send(tx, signer, { nonce: first + i })));
}

/** Asserts that the extrinsic went through; returns its events. */
function succeeded(result, what = 'extrinsic') {
  assert.equal(result.error, null, `${what}: ${JSON.stringify(result.error)}`);
  return result.events;
}

/** Asserts that the extrinsic was refused with `name` (`section.Error`, or `BadOrigin`). */
function refusedWith(result, name) {
  assert.equal(result.error?.name, name, `expected ${name}, got ${JSON.stringify(result.error)}`);
}

const ok = async (tx, signer) => succeeded(await send(tx, signer), `${tx.method.section}.${tx.method.method}`);

let requestNonce = 0;
/**
 * What `user` puts in escrow for an answer of the demo model to `prompt`, priced by the node's
 * quote, naming `workers`: `{request, id, quote, tx}` (`tokensIn` overrides the quoted count).
 */
async function prepareRequest(user, prompt, { workers, tokensIn, maxOutputTokens = 16 }) {
  const quote = await node.rpc('inference_quoteRequest', [{ model: MODEL, prompt, maxOutputTokens }]);
  const request = {
    model: MODEL, promptHash: quote.promptHash, tokensIn: tokensIn ?? quote.tokensIn,
    workers: workers.map((w) => w.address), maxOutputTokens, maxFee: quote.maxFee,
    nonce: ++requestNonce, expiresAt: (await node.bestNumber()) + 200,
  };
  const id = (await api.call.feeSplitApi.requestId(user.address, request)).toHex();
  return { request, id, quote, tx: api.tx.feeSplit.requestInference(request) };
}

/** Asserts that the request went into escrow under the id it was prepared with. */
function held(result, { id }) {
  const events = succeeded(result, 'feeSplit.requestInference');
  assert.equal(findEvent(events, 'feeSplit', 'InferenceRequested').data.request.toHex(), id);
}

/** The attribution record of `id`, once there is one. */
async function settled(id, timeoutMs = 120_000) {
  return node.waitFor(`the settlement of ${id}`, async () => {
    const record = await api.query.attribution.records(id);
    return record.isSome ? record.unwrap() : null;
  }, timeoutMs);
}

async function waitForBlock(n) {
  await node.waitFor(`block ${n}`, async () => (await node.bestNumber()) >= n, 180_000);
}

/** A worker's stake. */
async function stakeOf(who, at) {
  const query = at ? await api.at(at) : api;
  return (await query.query.attribution.workers(who.address ?? who)).unwrap().stake.toBigInt();
}

async function parentOf(blockHash) {
  return (await api.rpc.chain.getHeader(blockHash)).parentHash.toHex();
}

/** How `address`'s free (or free + reserved) balance moved in block `blockHash`. */
async function balanceDelta(address, blockHash, { withReserved = false } = {}) {
  const at = async (hash) => {
    const { data } = await (await api.at(hash)).query.system.account(address);
    return data.free.toBigInt() + (withReserved ? data.reserved.toBigInt() : 0n);
  };
  return (await at(blockHash)) - (await at(await parentOf(blockHash)));
}

/** The events of block `blockHash`. */
async function blockEvents(blockHash) {
  return (await (await api.at(blockHash)).query.system.events()).map(({ event }) => event);
}

/** The transaction fees paid in block `blockHash`, by `who` only if given. */
async function feesPaidIn(blockHash, who) {
  return (await blockEvents(blockHash))
    .filter((e) => e.section === 'transactionPayment' && e.method === 'TransactionFeePaid')
    .filter((e) => !who || e.data.who.toString() === (who.address ?? who))
    .reduce((sum, e) => sum + e.data.actualFee.toBigInt(), 0n);
}

/** The receipt `worker` signs for the answer it says it gave: `{receipt, signature}`. */
async function signReceipt(worker, receipt) {
  const digest = (await api.call.attributionApi.receiptDigest(receipt)).toU8a();
  return { receipt, signature: u8aToHex(worker.sign(digest)) };
}

const dispute = ({ receipt, signature }) => api.tx.attribution.disputeReceipt(receipt, { Sr25519: signature });
const made = (text) => blake2AsHex(text, 256);

// ---- the attacks ---------------------------------------------------------------------------

test('1. serving a model takes its owner\'s consent: approval, or the stake the owner opened it to', async () => {
  assert.equal((await api.query.attribution.workers(bob.address)).isNone, true, 'Bob starts as no worker');
  const revoked = await prepareRequest(ferdie, 'What is OpenLedger?', { workers: [bob] });

  // Not approved by Dave: Bob cannot register for model 0, nor add it once registered.
  const [[register, registerBare, addModel], request] = await Promise.all([
    inOrder(bob, [
      api.tx.attribution.registerWorker(1_000n * OPEN, [MODEL]),
      api.tx.attribution.registerWorker(1_000n * OPEN, []),
      api.tx.attribution.setWorkerModels([MODEL]),
    ]),
    send(revoked.tx, ferdie),
  ]);
  refusedWith(register, 'attribution.NotApprovedForModel');
  succeeded(registerBare);
  refusedWith(addModel, 'attribution.NotApprovedForModel');
  held(request, revoked);
  assert.deepEqual((await api.query.attribution.workers(bob.address)).unwrap().models.toJSON(), []);

  // Dave opens the model to any worker with 1,500 OPEN at stake: Bob's 1,000 are not enough.
  const open = { openToStake: 1_500n * OPEN, workerShare: 100_000_000 };
  let events = await ok(api.tx.attribution.setServingPolicy(MODEL, open), dave);
  assert.equal(findEvent(events, 'attribution', 'ServingPolicySet').data.model.toNumber(), MODEL);
  const [tooLittle, bond, enough] = await inOrder(bob, [
    api.tx.attribution.setWorkerModels([MODEL]),
    api.tx.attribution.bondExtra(500n * OPEN),
    api.tx.attribution.setWorkerModels([MODEL]),
  ]);
  refusedWith(tooLittle, 'attribution.NotApprovedForModel');
  succeeded(bond);
  findEvent(succeeded(enough), 'attribution', 'WorkerModelsSet');
  const worker = (await api.query.attribution.workers(bob.address)).unwrap();
  assert.equal(worker.stake.toBigInt(), 1_500n * OPEN);
  assert.deepEqual(worker.models.toJSON(), [MODEL]);

  // Dave closes the model again and approves Bob one by one, then revokes him: the revocation
  // holds at once, though Bob still lists the model.
  const [close, approve, revoke] = await inOrder(dave, [
    api.tx.attribution.setServingPolicy(MODEL, { openToStake: null, workerShare: 0 }),
    api.tx.attribution.approveWorker(MODEL, bob.address),
    api.tx.attribution.revokeWorker(MODEL, bob.address),
  ]);
  succeeded(close);
  assert.equal(findEvent(succeeded(approve), 'attribution', 'WorkerApproved').data.worker.toString(), bob.address);
  assert.equal(findEvent(succeeded(revoke), 'attribution', 'WorkerRevoked').data.worker.toString(), bob.address);
  assert.equal((await api.query.attribution.approvedWorkers(MODEL, bob.address)).isSome, false);
  refusedWith(
    await send(api.tx.attribution.settle(revoked.id, 0, 5, made('an answer'), [[0, 1000]]), bob),
    'attribution.NotApprovedForModel',
  );
  assert.equal((await api.query.attribution.records(revoked.id)).isNone, true);
  // Only the owner decides: Bob cannot approve himself.
  // (Restored for what follows: Dave approves Bob, the model stays closed to other stake.)
  const [self] = await Promise.all([
    send(api.tx.attribution.approveWorker(MODEL, bob.address), bob),
    ok(api.tx.attribution.approveWorker(MODEL, bob.address), dave),
  ]);
  refusedWith(self, 'attribution.NotModelOwner');
  assert.equal((await api.query.attribution.approvedWorkers(MODEL, bob.address)).isSome, true);
  assert.deepEqual((await api.query.attribution.servingPolicies(MODEL)).toJSON(), { openToStake: null, workerShare: 0 });
});

test('2. a worker cannot settle a request the user did not give it', async () => {
  const prompt = 'What is a Datanet?';
  const paid = await prepareRequest(ferdie, prompt, { workers: [alice] });
  assert.deepEqual(paid.quote.workers, [alice.address], 'the node offers its own worker');
  assert.equal(paid.quote.promptHash, made(prompt));
  held(await send(paid.tx, ferdie), paid);

  // Bob, approved for the model, settles Ferdie's request before the node has even answered.
  const [stolen, answer] = await Promise.all([
    send(api.tx.attribution.settle(paid.id, 0, 12, made('an answer Bob never gave'), [[0, 1000]]), bob),
    node.rpc('inference_answerRequest', [{ request: paid.id, prompt }]),
  ]);
  refusedWith(stolen, 'attribution.NotChosenByUser');

  // The node the user chose answers and its off-chain worker settles.
  const record = await settled(paid.id);
  assert.equal(record.worker.toString(), alice.address);
  assert.equal(record.user.toString(), ferdie.address);
  assert.equal(record.outputHash.toHex(), answer.outputHash);
  assert.equal(record.tokensOut.toNumber(), answer.tokensOut);
  Object.assign(state, { honest: { ...paid, prompt, answer, record } });
});

test('3. the input tokens charged are the ones the user consented to, which the node counted', async () => {
  const { honest } = state;
  assert.ok(honest, 'the second test settled a request');
  // `settle` takes no input token count: the worker cannot charge more than the prompt has.
  assert.deepEqual(api.tx.attribution.settle.meta.args.map((a) => a.name.toString()), ['request', 'version', 'tokensOut', 'outputHash', 'influences']);
  const { record, quote, answer, request } = honest;
  assert.equal(record.tokensIn.toNumber(), quote.tokensIn);
  assert.equal(request.tokensIn, quote.tokensIn);
  assert.equal(answer.tokensIn, quote.tokensIn);
  const fee = record.breakdown.fee.toBigInt();
  const rpcQuote = await node.rpc('fees_quote', [MODEL, quote.tokensIn, record.tokensOut.toNumber()]);
  assert.equal(fee, BigInt(rpcQuote.total));
  const apiQuote = (await api.call.feeSplitApi.quote(MODEL, quote.tokensIn, record.tokensOut.toNumber())).unwrap();
  assert.equal(fee, apiQuote.total.toBigInt());
  assert.ok(fee <= BigInt(request.maxFee));

  // A user cannot declare fewer tokens than the prompt has (nor more): the node refuses to
  // answer, so nothing is settled for it.
  const prompt = 'Who pays for inference?';
  const exact = (await node.rpc('inference_quoteRequest', [{ model: MODEL, prompt, maxOutputTokens: 16 }])).tokensIn;
  const wrong = [
    await prepareRequest(ferdie, prompt, { workers: [alice], tokensIn: exact - 1 }),
    await prepareRequest(ferdie, prompt, { workers: [alice], tokensIn: exact + 1 }),
  ];
  const results = await inOrder(ferdie, wrong.map((w) => w.tx));
  results.forEach((r, i) => held(r, wrong[i]));
  for (const w of wrong) {
    await assert.rejects(
      node.rpc('inference_answerRequest', [{ request: w.id, prompt }]),
      (e) => e.rpc?.code === 5300 && /tokens/.test(e.message) && new RegExp(`request says ${w.request.tokensIn}`).test(e.message),
    );
    assert.equal((await api.call.feeSplitApi.request(w.id)).unwrap().status.toString(), 'Pending');
  }
});

test('4. a worker cannot pay a contribution the served version was not trained on', async () => {
  // A new contribution, accepted in Datanet 0 after version 0 was trained.
  const content = JSON.stringify({ prompt: 'What is OpenLedger?', completion: 'Whatever Bob says.' });
  const paid = await prepareRequest(charlie, 'What is the capital of France?', { workers: [bob] });
  const [contributed, request] = await Promise.all([
    send(api.tx.datanets.contribute(0, made(content), Buffer.byteLength(content), 'lang=en', OPEN), eve),
    send(paid.tx, charlie),
  ]);
  const fresh = findEvent(succeeded(contributed), 'datanets', 'Contributed').data.contribution.toNumber();
  held(request, paid);
  await ok(api.tx.datanets.accept(fresh, 900_000_000), alice);
  assert.equal((await api.call.datanetsApi.contribution(fresh)).unwrap().status.toString(), 'Accepted');
  const version = (await api.call.modelRegistryApi.model(MODEL)).unwrap().deployedVersion.unwrap().toNumber();
  assert.equal(version, 0);

  // Bob, named by the request, attributes the answer to it: alone, or among real ones.
  const [alone, mixed] = await inOrder(bob, [
    api.tx.attribution.settle(paid.id, 0, 8, made('an answer'), [[fresh, 1_000_000]]),
    api.tx.attribution.settle(paid.id, 0, 8, made('an answer'), [[1, 10], [fresh, 1_000_000]]),
  ]);
  refusedWith(alone, 'attribution.ContributionNotInVersion');
  refusedWith(mixed, 'attribution.ContributionNotInVersion');
  assert.equal((await api.query.attribution.records(paid.id)).isNone, true);
  assert.equal((await api.call.feeSplitApi.request(paid.id)).unwrap().status.toString(), 'Pending');
  assert.equal((await api.query.attribution.contributionEarnings(fresh)).total.toBigInt(), 0n);
});

test('5. a worker that settles another answer than its receipt says is slashed; the user is refunded', async () => {
  const { honest } = state;
  assert.ok(honest, 'the second test settled a request');
  // The honest node's receipt: signed by its worker key, saying what the settlement says.
  const { receipt } = honest.answer;
  const { record } = honest;
  assert.equal(receipt.worker, alice.address);
  assert.equal(receipt.request, honest.id);
  assert.equal(receipt.outputHash, record.outputHash.toHex());
  assert.equal(receipt.tokensIn, record.tokensIn.toNumber());
  assert.equal(receipt.tokensOut, record.tokensOut.toNumber());
  assert.equal(receipt.adapterHash, record.adapterHash.toHex());
  const digest = (await api.call.attributionApi.receiptDigest(receipt)).toU8a();
  assert.equal(signatureVerify(digest, receipt.signature, receipt.worker).isValid, true);
  const altered = { ...receipt, tokensOut: receipt.tokensOut + 1 };
  const alteredDigest = (await api.call.attributionApi.receiptDigest(altered)).toU8a();
  assert.equal(signatureVerify(alteredDigest, receipt.signature, receipt.worker).isValid, false);

  // Nothing to dispute in an honest settlement, and a receipt altered by the user does not
  // pass for the worker's. Meanwhile Charlie asks Bob for an answer.
  const prompt = 'What is Proof of Attribution?';
  const paid = await prepareRequest(charlie, prompt, { workers: [bob] });
  const [[matching, forged], request] = await Promise.all([
    inOrder(ferdie, [dispute({ receipt, signature: receipt.signature }), dispute({ receipt: altered, signature: receipt.signature })]),
    send(paid.tx, charlie),
  ]);
  refusedWith(matching, 'attribution.ReceiptMatchesSettlement');
  refusedWith(forged, 'attribution.BadReceiptSignature');
  held(request, paid);

  // Bob hands Charlie a receipt for one answer and settles another.
  const { adapterHash } = (await api.call.modelRegistryApi.version(MODEL, 0)).unwrap();
  const given = await signReceipt(bob, {
    request: paid.id, model: MODEL, version: 0, adapterHash: adapterHash.toHex(),
    tokensIn: paid.request.tokensIn, tokensOut: 9, outputHash: made('the answer Charlie got'),
  });
  assert.equal(signatureVerify((await api.call.attributionApi.receiptDigest(given.receipt)).toU8a(), given.signature, bob.address).isValid, true);
  await ok(api.tx.attribution.settle(paid.id, 0, 9, made('the answer Bob settled'), [[1, 1000]]), bob);
  const rogue = await settled(paid.id);
  assert.equal(rogue.worker.toString(), bob.address);
  // The fee is the quote for the consent's input tokens, whoever settles.
  assert.equal(rogue.tokensIn.toNumber(), paid.request.tokensIn);
  const fee = rogue.breakdown.fee.toBigInt();
  assert.equal(fee, BigInt((await node.rpc('fees_quote', [MODEL, paid.request.tokensIn, 9])).total));
  const stakeBefore = await stakeOf(bob);

  // Charlie proves it with the receipt: Bob pays the fee back and the penalty; a second
  // dispute of the same settlement is refused.
  const [upheld, again] = await inOrder(charlie, [dispute(given), dispute(given)]);
  const event = findEvent(succeeded(upheld), 'attribution', 'DisputeUpheld');
  refusedWith(again, 'attribution.AlreadyDisputed');
  assert.equal(event.data.request.toHex(), paid.id);
  assert.equal(event.data.worker.toString(), bob.address);
  assert.equal(event.data.slashed.toBigInt(), fee + PENALTY);
  assert.equal(event.data.refunded.toBigInt(), fee);
  const at = upheld.blockHash;
  assert.equal(stakeBefore - (await stakeOf(bob, at)), fee + PENALTY);
  // Charlie gets the fee back, less what the disputes in that block cost him.
  assert.equal(await balanceDelta(charlie.address, at), fee - (await feesPaidIn(at, charlie)));
  // The treasury gets the penalty, and the block's transaction fees.
  assert.equal(
    (await blockEvents(at)).some((e) => e.section === 'feeSplit' && e.method === 'InferenceSettled'),
    false,
    'no settlement in the dispute\'s block',
  );
  assert.equal(await balanceDelta(TREASURY, at), PENALTY + (await feesPaidIn(at)));
  const disputeState = (await api.query.attribution.disputes(paid.id)).unwrap();
  assert.equal(disputeState.isUpheld, true);
});

test('6. a worker that settles a request it never answered is slashed when it cannot reveal the answer', async () => {
  // Ferdie names Bob for one prompt, which he never sends him, and Alice's node for another.
  const secret = 'What is gOPEN?';
  const unanswered = await prepareRequest(ferdie, secret, { workers: [bob] });
  const honestPrompt = 'What is the capital of France?';
  const answered = await prepareRequest(ferdie, honestPrompt, { workers: [alice] });
  const requests = await inOrder(ferdie, [unanswered.tx, answered.tx]);
  held(requests[0], unanswered);
  held(requests[1], answered);
  // The honest node answers only requests naming its own worker.
  await assert.rejects(
    node.rpc('inference_answerRequest', [{ request: unanswered.id, prompt: secret }]),
    (e) => e.rpc?.code === 5300 && /names none of this node's workers/.test(e.message),
  );

  // Bob settles with a made-up answer; Ferdie challenges it, holding the bond.
  const [answer] = await Promise.all([
    node.rpc('inference_answerRequest', [{ request: answered.id, prompt: honestPrompt }]),
    ok(api.tx.attribution.settle(unanswered.id, 0, 7, made('a made-up answer'), [[3, 1000]]), bob),
  ]);
  const fee = (await settled(unanswered.id)).breakdown.fee.toBigInt();
  let events = await ok(api.tx.attribution.challengeUnanswered(unanswered.id), ferdie);
  const challenged = findEvent(events, 'attribution', 'SettlementChallenged');
  assert.equal(challenged.data.worker.toString(), bob.address);
  const deadline = challenged.data.deadline.toNumber();
  const open = (await api.query.attribution.disputes(unanswered.id)).unwrap();
  assert.equal(open.isChallenged, true);
  assert.equal(open.asChallenged.bond.toBigInt(), BOND);
  assert.equal(open.asChallenged.by.toString(), ferdie.address);

  // Bob cannot answer without the prompt; nobody can decide before the deadline.
  const [guess, early] = await Promise.all([
    send(api.tx.attribution.answerChallenge(unanswered.id, 'What is a Datanet?', 'a made-up answer'), bob),
    send(api.tx.attribution.resolveChallenge(unanswered.id), charlie),
  ]);
  refusedWith(guess, 'attribution.PromptMismatch');
  refusedWith(early, 'attribution.ChallengeOngoing');

  // Meanwhile the honest side: Ferdie challenges the settlement of Alice's node, which answered.
  const honest = await settled(answered.id);
  assert.equal(honest.worker.toString(), alice.address);
  const aliceStake = await stakeOf(alice);
  events = await ok(api.tx.attribution.challengeUnanswered(answered.id), ferdie);
  const honestDeadline = findEvent(events, 'attribution', 'SettlementChallenged').data.deadline.toNumber();
  // The node's off-chain worker answers by itself, within the response period.
  const answeredAt = await node.waitFor('the node to answer the challenge', async () => {
    const d = await api.query.attribution.disputes(answered.id);
    return d.isSome && d.unwrap().isAnswered ? d.unwrap().asAnswered.at.toNumber() : null;
  }, 90_000);
  assert.ok(answeredAt <= honestDeadline, `answered at ${answeredAt}, deadline ${honestDeadline}`);
  const answeredIn = (await api.rpc.chain.getBlockHash(answeredAt)).toHex();
  const blockEventsAt = await blockEvents(answeredIn);
  assert.ok(blockEventsAt.some((e) => e.section === 'attribution' && e.method === 'ChallengeAnswered' && e.data.request.toHex() === answered.id));
  // The prompt and the answer are revealed in the extrinsic: Ferdie reads the answer he paid for.
  const { block } = await api.rpc.chain.getBlock(answeredIn);
  const reveal = block.extrinsics.find((x) => x.method.section === 'attribution' && x.method.method === 'answerChallenge' && x.method.args[0].toHex() === answered.id);
  assert.ok(reveal, 'the answerChallenge extrinsic');
  assert.equal(reveal.signer.toString(), alice.address);
  assert.equal(reveal.method.args[1].toUtf8(), honestPrompt);
  assert.equal(reveal.method.args[2].toUtf8(), answer.text);
  assert.equal(made(reveal.method.args[2].toUtf8()), honest.outputHash.toHex());
  // The bond is Alice's (less what her node's transactions in that block cost); she is not slashed.
  assert.equal(
    await balanceDelta(alice.address, answeredIn, { withReserved: true }),
    BOND - (await feesPaidIn(answeredIn, alice)),
  );
  assert.equal(await stakeOf(alice), aliceStake);
  assert.equal(
    await balanceDelta(ferdie.address, answeredIn, { withReserved: true }),
    -BOND - (await feesPaidIn(answeredIn, ferdie)),
  );

  // Past Bob's deadline anyone decides: Bob is slashed, Ferdie gets the fee and the bond back.
  const stakeBefore = await stakeOf(bob);
  await waitForBlock(deadline);
  const resolved = await send(api.tx.attribution.resolveChallenge(unanswered.id), charlie);
  const upheld = findEvent(succeeded(resolved), 'attribution', 'DisputeUpheld');
  assert.equal(upheld.data.worker.toString(), bob.address);
  assert.equal(upheld.data.slashed.toBigInt(), fee + PENALTY);
  assert.equal(upheld.data.refunded.toBigInt(), fee);
  assert.equal(stakeBefore - (await stakeOf(bob, resolved.blockHash)), fee + PENALTY);
  assert.equal(await balanceDelta(ferdie.address, resolved.blockHash), fee + BOND);
  assert.equal(await feesPaidIn(resolved.blockHash, ferdie), 0n);
});

test('7. governance, not sudo, punishes a worker: a gOPEN vote dispatches the slash, and only allowed calls', async () => {
  const amount = 50n * OPEN;
  const proposal = (await api.query.governance.nextProposalId()).toNumber();
  const stakeBefore = await stakeOf(bob);
  // Eve stakes gOPEN, proposes the slash and votes for it; a call outside the whitelist is
  // refused as it is proposed, and no signed account may slash by itself.
  const [stake, propose, vote, mint] = await inOrder(eve, [
    api.tx.governance.stake(1_000n * OPEN),
    api.tx.governance.proposeCall(api.tx.attribution.slashWorker(bob.address, amount)),
    api.tx.governance.vote(proposal, true, 1_000n * OPEN),
    api.tx.governance.proposeCall(api.tx.balances.forceSetBalance(eve.address, 1_000_000_000n * OPEN)),
  ]);
  succeeded(stake);
  succeeded(propose);
  succeeded(vote);
  refusedWith(mint, 'governance.CallNotAllowed');
  refusedWith(await send(api.tx.attribution.slashWorker(bob.address, amount), eve), 'BadOrigin');
  assert.equal(await stakeOf(bob), stakeBefore);

  const { endsAt } = (await api.query.governance.proposals(proposal)).unwrap();
  await waitForBlock(endsAt.toNumber());
  const events = await ok(api.tx.governance.close(proposal), charlie);
  assert.equal(findEvent(events, 'governance', 'Closed').data.approved.isTrue, true);
  const dispatched = findEvent(events, 'governance', 'CallDispatched');
  assert.equal(dispatched.data.result.isOk, true, dispatched.data.result.toString());
  const slashed = findEvent(events, 'attribution', 'WorkerSlashed');
  assert.equal(slashed.data.worker.toString(), bob.address);
  assert.equal(slashed.data.amount.toBigInt(), amount);
  assert.equal(stakeBefore - (await stakeOf(bob)), amount);
});
