// The model lifecycle on a `--dev` node, driven by polkadot.js with real signed extrinsics:
// a Datanet is created and filled, contributions are staked and curated, a model is proposed,
// gOPEN holders vote it through, it collects data until the condition holds, and a trained
// version is registered and deployed. State and events are read back at every step.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { blake2AsHex } from '@polkadot/util-crypto';
import { Node } from './lib/node.js';
import { connect, keyring, sendInBlock, OPEN } from './lib/chain.js';

let node;
let api;
let alice; // Datanet owner and curator
let bob; // contributor
let charlie; // contributor
let dave; // model creator
let eve; // governor

before(async () => {
  node = await new Node({ name: 'lifecycle', args: ['--dev'] }).start();
  api = await connect(node);
  const ring = keyring();
  [alice, bob, charlie, dave, eve] = ['Alice', 'Bob', 'Charlie', 'Dave', 'Eve'].map((n) => ring.addFromUri(`//${n}`));
});

after(async () => {
  await api?.disconnect();
  await node?.cleanup();
});

/** Sends and asserts success; returns the events of the extrinsic. */
async function ok(tx, signer) {
  const { events, error } = await sendInBlock(api, tx, signer);
  assert.equal(error, null, `${tx.method.section}.${tx.method.method} succeeded`);
  return events.map(({ event }) => event);
}

function find(events, section, method) {
  const event = events.find((e) => e.section === section && e.method === method);
  assert.ok(event, `event ${section}.${method}`);
  return event;
}

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

  // 8. A trained version is registered with its provenance and deployed; Eve stakes on it.
  const adapterHash = blake2AsHex('adapter weights', 256);
  events = await ok(
    api.tx.modelRegistry.registerVersion(
      modelId,
      adapterHash,
      blake2AsHex('base weights', 256),
      blake2AsHex(contributions.join(','), 256),
      contributions.length,
      blake2AsHex('rank=8,alpha=16', 256),
      [{ metric: 'perplexity', valueMicros: 8_250_000 }],
    ),
    dave,
  );
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
  assert.equal(version.evalScores[0].valueMicros.toBigInt(), 8_250_000n);
});
