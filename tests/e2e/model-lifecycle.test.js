// The model lifecycle on a `--dev` node, driven by polkadot.js with real signed extrinsics:
// a Datanet is created and filled, contributions are staked and curated, a model is proposed,
// gOPEN holders vote it through, it collects data until the condition holds, and a trained
// version is registered with its training set and deployed. Then the model is paid for: its owner
// approves a worker and gives it a share of its part, a user signs a request naming that worker,
// its input tokens and a maximum fee, the worker brings it on-chain and settles it with influence
// scores on the version's training contributions, and every party's balance moves by exactly its
// share; the stakers' share waits in the staking pot until the staker claims it. State and events
// are read back at every step.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { stringToU8a, u8aConcat } from '@polkadot/util';
import { blake2AsHex, encodeAddress } from '@polkadot/util-crypto';
import { Node } from './lib/node.js';
import {
  connect, findEvent, freeBalance, keyring, sendInBlock, sendOk, sharesTotal, stakingPot, trainingRoot, OPEN,
} from './lib/chain.js';

let node;
let api;
let alice; // Datanet owner and curator
let bob; // contributor
let charlie; // contributor
let dave; // model creator
let eve; // governor and model staker
let ferdie; // inference worker
/** What the lifecycle test deploys, for the payment test. */
const deployed = {};

before(async () => {
  node = await new Node({ name: 'lifecycle', args: ['--dev'] }).start();
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

test('a Datanet is filled, curated, and a model goes from proposal to deployment', async () => {
  // 1. Alice creates a Datanet that asks 1 OPEN of stake per contribution.
  const datanetId = (await api.query.datanets.nextDatanetId()).toNumber();
  let events = await ok(
    api.tx.datanets.createDatanet('Movie reviews', 'sentiment', 'Rotten Tomatoes snippets', 'jsonl:text,label', OPEN, []),
    alice,
  );
  assert.equal(find(events, 'datanets', 'DatanetCreated').data.datanet.toNumber(), datanetId);

  // 2. Bob and Charlie contribute, each staking 2 OPEN per data point.
  const samples = [
    [bob, '{"text":"a triumph of style","label":"fresh"}'],
    [charlie, '{"text":"tedious and overlong","label":"rotten"}'],
    [bob, '{"text":"warm, funny and wise","label":"fresh"}'],
  ];
  const contributions = [];
  for (const [who, content] of samples) {
    // The data goes to the node's content store; the chain records its hash.
    const hex = '0x' + Buffer.from(content).toString('hex');
    const hash = await node.rpc('datanets_putContent', [hex]);
    assert.equal(hash, blake2AsHex(content, 256));
    assert.equal(await node.rpc('datanets_content', [hash]), hex);
    events = await ok(api.tx.datanets.contribute(datanetId, hash, content.length, 'lang=en', 2n * OPEN), who);
    const e = find(events, 'datanets', 'Contributed');
    assert.equal(e.data.contentHash.toHex(), hash);
    contributions.push(e.data.contribution.toNumber());
  }
  const record = (await api.query.datanets.contributions(contributions[0])).unwrap();
  assert.equal(record.contributor.toString(), bob.address);
  assert.equal(record.status.toString(), 'Pending');
  assert.equal(record.stake.toBigInt(), 2n * OPEN);

  // The store refuses what no contribution could point at, and knows nothing it was not given.
  await assert.rejects(node.rpc('datanets_putContent', ['0x']), /content must be 1 to 1048576 bytes/);
  assert.equal(await node.rpc('datanets_content', [blake2AsHex('never stored', 256)]), null);

  // A contributor cannot curate.
  const refused = await sendInBlock(api, api.tx.datanets.accept(contributions[1], 1_000_000_000), bob);
  assert.equal(refused.error?.name, 'datanets.NotCurator');

  // 3. Alice accepts them with quality scores 0.6, 0.7 and 0.8: C(D) = 0.7 (equal stakes).
  for (const [i, id] of contributions.entries()) {
    events = await ok(api.tx.datanets.accept(id, 600_000_000 + i * 100_000_000), alice);
    find(events, 'datanets', 'Accepted');
  }
  const credibility = await api.call.datanetsApi.credibility(datanetId);
  assert.equal(credibility.unwrap().toNumber(), 700_000_000);
  const info = (await api.call.datanetsApi.datanet(datanetId)).unwrap();
  assert.equal(info.stats.accepted.toNumber(), 3);
  assert.equal(info.stats.contributions.toNumber(), 3);
  const page = await api.call.datanetsApi.datanetContributions(datanetId, 0, 10);
  assert.deepEqual(page.map(([id]) => id.toNumber()), contributions);
  const bobs = await api.call.datanetsApi.contributorContributions(bob.address, 0, 100);
  assert.ok(bobs.length >= 2);

  // 4. Dave proposes a model on the Datanet: deposit held, fee paid, a vote opened.
  const modelId = (await api.query.modelRegistry.nextModelId()).toNumber();
  events = await ok(
    api.tx.modelRegistry.propose('review sentiment', 'openledger/base', [datanetId], 'classify reviews', OPEN / 5n, (2n * OPEN) / 5n),
    dave,
  );
  const proposal = find(events, 'modelRegistry', 'ModelProposed').data.proposal.toNumber();
  const opened = find(events, 'governance', 'Proposed');
  assert.equal(opened.data.proposal.toNumber(), proposal);
  assert.equal((await api.query.modelRegistry.models(modelId)).unwrap().status.toString(), 'Proposed');

  // 5. Eve stakes OPEN for gOPEN and votes aye with all of it.
  events = await ok(api.tx.governance.stake(1_000n * OPEN), eve);
  find(events, 'governance', 'Staked');
  assert.equal((await api.query.governance.stakes(eve.address)).unwrap().active.toBigInt(), 1_000n * OPEN);
  events = await ok(api.tx.governance.vote(proposal, true, 1_000n * OPEN), eve);
  find(events, 'governance', 'Voted');
  const early = await sendInBlock(api, api.tx.governance.close(proposal), eve);
  assert.equal(early.error?.name, 'governance.VotingOngoing');

  // 6. After the voting period, anyone closes the vote: the model is approved.
  const endsAt = (await api.query.governance.proposals(proposal)).unwrap().endsAt.toNumber();
  await node.waitFor('the voting period to end', async () => (await node.bestNumber()) >= endsAt, 180_000);
  events = await ok(api.tx.governance.close(proposal), charlie);
  assert.equal(find(events, 'governance', 'Closed').data.approved.isTrue, true);
  const approved = find(events, 'modelRegistry', 'StatusChanged');
  assert.equal(approved.data.status.toString(), 'Approved');

  // 7. Data collection, then training once the data condition holds.
  await ok(api.tx.modelRegistry.startDataCollection(modelId), dave);
  events = await ok(api.tx.modelRegistry.startTraining(modelId), charlie);
  assert.equal(find(events, 'modelRegistry', 'StatusChanged').data.status.toString(), 'Training');

  // 8. A trained version is registered with its provenance and its training set (the ids, whose
  // Merkle root is the version's training-data root) and deployed; Eve stakes on it. No node
  // serves this version, so its tokenizer hash is only recorded.
  const adapterHash = blake2AsHex('adapter weights', 256);
  const tokenizerHash = blake2AsHex('tokenizer', 256);
  const register = (root, set) => api.tx.modelRegistry.registerVersion(
    modelId,
    adapterHash,
    blake2AsHex('base weights', 256),
    tokenizerHash,
    root,
    set.length,
    blake2AsHex('rank=8,alpha=16', 256),
    [{ metric: 'perplexity', valueMicros: 8_250_000 }],
    set,
  );
  const root = trainingRoot(contributions);
  // The chain checks the set against the root, its order, and that each id is the model's data.
  const wrongRoot = await sendInBlock(api, register(blake2AsHex(contributions.join(','), 256), contributions), dave);
  assert.equal(wrongRoot.error?.name, 'modelRegistry.TrainingRootMismatch');
  const unordered = [contributions[1], contributions[0], contributions[2]];
  const badOrder = await sendInBlock(api, register(trainingRoot(unordered), unordered), dave);
  assert.equal(badOrder.error?.name, 'modelRegistry.BadTrainingSet');
  // Contribution 0 is the --dev demo's, in Datanet 0, which this model does not train on.
  const foreign = [0, ...contributions];
  const notOurs = await sendInBlock(api, register(trainingRoot(foreign), foreign), dave);
  assert.equal(notOurs.error?.name, 'modelRegistry.ContributionNotInModel');
  events = await ok(register(root, contributions), dave);
  assert.equal(find(events, 'modelRegistry', 'VersionRegistered').data.adapterHash.toHex(), adapterHash);
  events = await ok(api.tx.modelRegistry.deploy(modelId, 0), dave);
  find(events, 'modelRegistry', 'Deployed');
  await ok(api.tx.modelRegistry.stake(modelId, 10n * OPEN), eve);

  const model = (await api.query.modelRegistry.models(modelId)).unwrap();
  assert.equal(model.status.toString(), 'Deployed');
  assert.equal(model.deployedVersion.unwrap().toNumber(), 0);
  assert.equal(model.totalStake.toBigInt(), 10n * OPEN);
  const version = (await api.query.modelRegistry.versions(modelId, 0)).unwrap();
  assert.equal(version.trainingDataCount.toNumber(), 3);
  assert.equal(version.trainingDataRoot.toHex(), root);
  assert.equal(version.tokenizerHash.toHex(), tokenizerHash);
  const eveStake = (await api.call.modelRegistryApi.staker(modelId, eve.address)).unwrap();
  assert.equal(eveStake.active.toBigInt(), 10n * OPEN);
  assert.equal(eveStake.claimable.toBigInt(), 0n);
  // A stake below the minimum (1 OPEN) is refused.
  const dust = await sendInBlock(api, api.tx.modelRegistry.stake(modelId, OPEN / 2n), charlie);
  assert.equal(dust.error?.name, 'modelRegistry.StakeBelowMinimum');
  assert.equal(version.evalScores[0].valueMicros.toBigInt(), 8_250_000n);
  deployed.modelId = modelId;
  deployed.contributions = contributions;
});

/** Free and reserved balances of `address` at block `at`. */
async function account(address, at) {
  const { data } = await (await api.at(at)).query.system.account(address);
  return { free: data.free.toBigInt(), reserved: data.reserved.toBigInt() };
}

/** The treasury's account: `modl` + its pallet id, zero-padded to 32 bytes. */
function treasuryAddress() {
  const id = u8aConcat(stringToU8a('modl'), api.consts.treasury.palletId.toU8a(), new Uint8Array(32));
  return encodeAddress(id.subarray(0, 32), 42);
}

/** The transaction fee paid for the extrinsic whose events these are. */
function txFee(events) {
  return find(events, 'transactionPayment', 'TransactionFeePaid').data.actualFee.toBigInt();
}

test('a user pays for an answer; the fee is split to the unit among treasury, owner, worker, stakers and contributors', async () => {
  const { modelId, contributions } = deployed;
  assert.ok(modelId !== undefined, 'the lifecycle test deployed a model');
  const milli = OPEN / 1000n;

  // Ferdie may serve the model only once its owner, Dave, approves him; Dave gives the settling
  // worker 10% of his part of each fee.
  const unapproved = await sendInBlock(api, api.tx.attribution.registerWorker(1_000n * OPEN, [modelId]), ferdie);
  assert.equal(unapproved.error?.name, 'attribution.NotApprovedForModel');
  const notOwner = await sendInBlock(api, api.tx.attribution.approveWorker(modelId, ferdie.address), ferdie);
  assert.equal(notOwner.error?.name, 'attribution.NotModelOwner');
  let events = await ok(api.tx.attribution.approveWorker(modelId, ferdie.address), dave);
  find(events, 'attribution', 'WorkerApproved');
  events = await ok(api.tx.attribution.setServingPolicy(modelId, { openToStake: null, workerShare: 100_000_000 }), dave);
  find(events, 'attribution', 'ServingPolicySet');
  events = await ok(api.tx.attribution.registerWorker(1_000n * OPEN, [modelId]), ferdie);
  find(events, 'attribution', 'WorkerRegistered');

  // The price is known before asking: the OpenLedger whitepaper's worked example (§2.2.4), 800
  // tokens in, 1200 out.
  const quote = await node.rpc('fees_quote', [modelId, 800, 1200]);
  assert.deepEqual(quote, { usage: `${640n * milli}`, platform: `${500n * milli}`, total: `${1140n * milli}` });
  assert.equal((await api.call.feeSplitApi.quote(modelId, 800, 1200)).unwrap().total.toBigInt(), 1140n * milli);
  assert.equal(await node.rpc('fees_quote', [9999, 1, 1]), null);

  // A user with 10 OPEN signs a request off-chain: 800 input tokens, Ferdie to serve it, at
  // most 2 OPEN.
  const user = keyring().addFromUri('//InferenceUser');
  await ok(api.tx.balances.transferKeepAlive(user.address, 10n * OPEN), alice);
  const best = await node.bestNumber();
  const request = {
    model: modelId,
    promptHash: blake2AsHex('Is "a triumph of style" fresh or rotten?', 256),
    tokensIn: 800,
    workers: [ferdie.address],
    maxOutputTokens: 1500,
    maxFee: 2n * OPEN,
    nonce: 1,
    expiresAt: best + 100,
  };
  // A request must name who may serve it.
  const nobody = await sendInBlock(api, api.tx.feeSplit.requestInference({ ...request, workers: [], nonce: 99 }), charlie);
  assert.equal(nobody.error?.name, 'feeSplit.NoWorkers');
  const digest = (await api.call.feeSplitApi.signingDigest(request)).toU8a();
  const signature = { Sr25519: user.sign(digest) };

  // A forged signature is refused; the real one holds the max fee from the user, not Ferdie.
  const forged = await sendInBlock(
    api,
    api.tx.feeSplit.submitSignedRequest(request, user.address, { Sr25519: ferdie.sign(digest) }),
    ferdie,
  );
  assert.equal(forged.error?.name, 'feeSplit.BadSignature');
  const submitted = await sendInBlock(api, api.tx.feeSplit.submitSignedRequest(request, user.address, signature), ferdie);
  assert.equal(submitted.error, null);
  const requested = find(submitted.events.map(({ event }) => event), 'feeSplit', 'InferenceRequested');
  const requestId = requested.data.request.toHex();
  assert.equal((await api.call.feeSplitApi.requestId(user.address, request)).toHex(), requestId);
  assert.equal(requested.data.user.toString(), user.address);
  assert.deepEqual(await account(user.address, submitted.blockHash), { free: 8n * OPEN, reserved: 2n * OPEN });

  // The same signed request cannot be brought twice.
  const replay = await sendInBlock(api, api.tx.feeSplit.submitSignedRequest(request, user.address, signature), ferdie);
  assert.equal(replay.error?.name, 'feeSplit.DuplicateRequest');

  // Ferdie answers and settles: influences 1:1:2 on contributions of Bob, Charlie, Bob. Alice, a
  // worker the user did not name, cannot settle it; nor can a contribution outside the version's
  // training set be named (contribution 0 is the --dev demo's).
  const outputHash = blake2AsHex('fresh', 256);
  const influences = [
    [contributions[0], 1_000_000],
    [contributions[1], 1_000_000],
    [contributions[2], 2_000_000],
  ];
  const stranger = await sendInBlock(api, api.tx.attribution.settle(requestId, 0, 1200, outputHash, influences), alice);
  assert.equal(stranger.error?.name, 'attribution.NotChosenByUser');
  const outside = await sendInBlock(api, api.tx.attribution.settle(requestId, 0, 1200, outputHash, [...influences, [0, 1_000_000]]), ferdie);
  assert.equal(outside.error?.name, 'attribution.ContributionNotInVersion');
  const potBefore = await freeBalance(api, stakingPot(api));
  const settled = await sendInBlock(api, api.tx.attribution.settle(requestId, 0, 1200, outputHash, influences), ferdie);
  assert.equal(settled.error, null);
  const settleEvents = settled.events.map(({ event }) => event);
  const header = await api.rpc.chain.getHeader(settled.blockHash);
  const before = header.parentHash.toHex();
  const after = settled.blockHash;
  const delta = async (address) => (await freeBalance(api, address, after)) - (await freeBalance(api, address, before));

  // The user is charged exactly the fee and gets the rest of the hold back.
  assert.deepEqual(await account(user.address, after), { free: 10n * OPEN - 1140n * milli, reserved: 0n });
  // Treasury: the platform fee (plus, as always, the transaction fee Ferdie paid).
  assert.equal(await delta(treasuryAddress()), 500n * milli + txFee(settleEvents));
  // β = 70% of 0.64 = 0.448 to the owner's side: 10% of it to the settling worker (who paid the
  // settlement's transaction fee), the rest to Dave.
  assert.equal(await delta(dave.address), 4032n * milli / 10n);
  assert.equal(await delta(ferdie.address), 448n * milli / 10n - txFee(settleEvents));
  // γ = 10% goes into the staking pot, not yet to Eve (the only staker).
  assert.equal(await delta(eve.address), 0n);
  assert.equal(await delta(stakingPot(api)), 64n * milli);
  assert.equal((await freeBalance(api, stakingPot(api), after)) - potBefore, 64n * milli);
  assert.equal(await delta(bob.address), 96n * milli); // δ = 20%, w = 0.75
  assert.equal(await delta(charlie.address), 32n * milli); // w = 0.25

  const feeEvent = find(settleEvents, 'feeSplit', 'InferenceSettled').data.breakdown;
  assert.equal(feeEvent.fee.toBigInt(), 1140n * milli);
  assert.equal(feeEvent.refund.toBigInt(), 860n * milli);
  assert.equal(feeEvent.remainder.toBigInt(), 0n);
  assert.equal(feeEvent.modelOwner.toBigInt(), 4032n * milli / 10n);
  assert.equal(feeEvent.worker.toBigInt(), 448n * milli / 10n);
  assert.equal(feeEvent.stakers.toBigInt(), 64n * milli);
  const attributed = find(settleEvents, 'attribution', 'InferenceAttributed').data;
  assert.equal(attributed.contributions.toNumber(), 3);

  // Which data made this answer: the record, by request, by model and by contributor.
  const record = await node.rpc('attribution_record', [requestId]);
  assert.equal(record.user, user.address);
  assert.equal(record.worker, ferdie.address);
  assert.equal(record.outputHash, outputHash);
  assert.equal(record.tokensIn, 800);
  assert.equal(record.tokensOut, 1200);
  assert.equal(record.promptHash, request.promptHash);
  assert.equal(record.adapterHash, blake2AsHex('adapter weights', 256));
  assert.equal(record.version, 0);
  assert.deepEqual(
    record.contributions.map((c) => [c.contribution, c.contributor, c.weight, c.paid]),
    [
      [contributions[0], bob.address, 250_000_000, `${32n * milli}`],
      [contributions[1], charlie.address, 250_000_000, `${32n * milli}`],
      [contributions[2], bob.address, 500_000_000, `${64n * milli}`],
    ],
  );
  assert.equal(record.fee.modelOwner, `${4032n * milli / 10n}`);
  assert.equal(record.fee.worker, `${448n * milli / 10n}`);
  assert.equal(record.fee.stakers, `${64n * milli}`);
  assert.equal(sharesTotal(record.fee), 1140n * milli);
  const onChain = (await api.call.attributionApi.record(requestId)).unwrap();
  assert.equal(onChain.tokensOut.toNumber(), 1200);
  const byModel = await node.rpc('attribution_modelRecords', [modelId, 0, 10]);
  assert.equal(byModel.total, 1);
  assert.equal(byModel.records[0].request, requestId);
  const bobs = await node.rpc('attribution_contributor', [bob.address, 0, 10]);
  assert.equal(bobs.total, `${96n * milli}`);
  assert.equal(bobs.outputs, 1);
  assert.equal(bobs.records[0].request, requestId);
  assert.deepEqual(await node.rpc('attribution_contribution', [contributions[2]]), { total: `${64n * milli}`, outputs: 1 });

  // Settled once only.
  const again = await sendInBlock(api, api.tx.attribution.settle(requestId, 0, 1200, outputHash, influences), ferdie);
  assert.equal(again.error?.name, 'attribution.AlreadySettled');

  // Eve claims the stakers' share: all of it, as the only staker.
  const eveInfo = (await api.call.modelRegistryApi.staker(modelId, eve.address)).unwrap();
  assert.equal(eveInfo.claimable.toBigInt(), 64n * milli);
  const claimed = await sendInBlock(api, api.tx.modelRegistry.claimRewards(modelId), eve);
  assert.equal(claimed.error, null);
  const claimEvents = claimed.events.map(({ event }) => event);
  assert.equal(find(claimEvents, 'modelRegistry', 'RewardsClaimed').data.amount.toBigInt(), 64n * milli);
  const claimedBefore = (await api.rpc.chain.getHeader(claimed.blockHash)).parentHash.toHex();
  assert.equal(
    (await freeBalance(api, eve.address, claimed.blockHash)) - (await freeBalance(api, eve.address, claimedBefore)),
    64n * milli - txFee(claimEvents),
  );
  assert.equal((await api.call.modelRegistryApi.staker(modelId, eve.address)).unwrap().claimable.toBigInt(), 0n);
  const twice = await sendInBlock(api, api.tx.modelRegistry.claimRewards(modelId), eve);
  assert.equal(twice.error?.name, 'modelRegistry.NothingToClaim');

  // Unstaking starts a 7-day unbonding: the OPEN stays held, earns nothing, and cannot be
  // withdrawn yet.
  const unstaked = await sendInBlock(api, api.tx.modelRegistry.unstake(modelId, 4n * OPEN), eve);
  assert.equal(unstaked.error, null);
  const unstakedEvent = find(unstaked.events.map(({ event }) => event), 'modelRegistry', 'Unstaked').data;
  const unstakedAt = (await api.rpc.chain.getHeader(unstaked.blockHash)).number.toNumber();
  assert.equal(unstakedEvent.unlocksAt.toNumber(), unstakedAt + api.consts.modelRegistry.modelUnbondingPeriod.toNumber());
  const unbonding = (await api.call.modelRegistryApi.staker(modelId, eve.address)).unwrap();
  assert.equal(unbonding.active.toBigInt(), 6n * OPEN);
  assert.deepEqual(unbonding.unbonding.map((c) => c.amount.toBigInt()), [4n * OPEN]);
  assert.equal((await api.query.modelRegistry.models(modelId)).unwrap().totalStake.toBigInt(), 6n * OPEN);
  const early = await sendInBlock(api, api.tx.modelRegistry.withdrawUnbonded(modelId), eve);
  assert.equal(early.error?.name, 'modelRegistry.NothingToWithdraw');
  const belowMinimum = await sendInBlock(api, api.tx.modelRegistry.unstake(modelId, 6n * OPEN - OPEN / 2n), eve);
  assert.equal(belowMinimum.error?.name, 'modelRegistry.StakeBelowMinimum');

  // A request the user submits and nobody settles is refunded in full after its expiry.
  const now = await node.bestNumber();
  const unanswered = { ...request, nonce: 2, expiresAt: now + 3 };
  const held = await sendInBlock(api, api.tx.feeSplit.requestInference(unanswered), user);
  assert.equal(held.error, null);
  const heldAt = await account(user.address, held.blockHash);
  assert.equal(heldAt.reserved, 2n * OPEN);
  await node.waitFor('the request to expire', async () => (await node.bestNumber()) >= now + 5, 90_000);
  const refunded = await account(user.address, await api.rpc.chain.getBlockHash());
  assert.deepEqual(refunded, { free: heldAt.free + 2n * OPEN, reserved: 0n });
});
