// A `--dev` node: it produces and finalizes blocks, shows the OPEN token, moves OPEN between
// accounts through polkadot.js, and turns bad input away while staying up.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Node } from './lib/node.js';
import { connect, keyring, freeBalance, sendAndFinalize, OPEN } from './lib/chain.js';

let node;
let api;

before(async () => {
  node = await new Node({ name: 'dev', args: ['--dev'] }).start();
  api = await connect(node);
});

after(async () => {
  await api?.disconnect();
  await node?.cleanup();
});

test('the dev node produces and finalizes blocks', async () => {
  const finalized = await node.waitFor('block 2 to be finalized', async () => (await node.finalizedNumber()) >= 2);
  assert.ok(finalized);
  assert.ok((await node.bestNumber()) >= 2);
  const health = await node.rpc('system_health');
  assert.equal(health.isSyncing, false);
});

test('the chain presents the OPEN token and the runtime to polkadot.js', async () => {
  const props = api.registry.getChainProperties().toHuman();
  assert.deepEqual(props.tokenSymbol, ['OPEN']);
  assert.deepEqual(props.tokenDecimals, ['18']);
  assert.equal(props.ss58Format, '42');
  assert.equal(api.runtimeVersion.specName.toString(), 'openledger');
  assert.equal(api.consts.system.ss58Prefix.toNumber(), 42);
  assert.equal((await api.rpc.system.chain()).toString(), 'OpenLedger Development');
  // Exactly one billion OPEN exist.
  const issuance = (await api.query.balances.totalIssuance()).toBigInt();
  assert.equal(issuance, 1_000_000_000n * OPEN);
  // The standard RPC families are served.
  const methods = (await node.rpc('rpc_methods')).methods;
  for (const m of ['system_health', 'chain_getBlock', 'state_getStorage', 'author_submitExtrinsic', 'payment_queryInfo', 'system_accountNextIndex']) {
    assert.ok(methods.includes(m), `RPC method ${m} is served`);
  }
});

test('Alice transfers OPEN to a new account, seen after finalization', async () => {
  const alice = keyring().addFromUri('//Alice');
  const fresh = keyring().addFromUri(`//e2e-recipient-${Date.now()}`);
  const amount = 12_345n * OPEN + 678n;
  const aliceBefore = await freeBalance(api, alice.address);
  assert.equal(await freeBalance(api, fresh.address), 0n);

  const tx = api.tx.balances.transferKeepAlive(fresh.address, amount);
  const { blockHash, events, error } = await sendAndFinalize(api, tx, alice);
  assert.equal(error, null);
  assert.ok(events.some(({ event }) => api.events.balances.Transfer.is(event)));

  assert.equal(await freeBalance(api, fresh.address, blockHash), amount);
  const fee = events
    .filter(({ event }) => api.events.transactionPayment.TransactionFeePaid.is(event))
    .map(({ event }) => event.data.actualFee.toBigInt())[0];
  assert.ok(fee > 0n, 'a fee was charged');
  assert.equal(await freeBalance(api, alice.address, blockHash), aliceBefore - amount - fee);
});

test('a transfer of more than the balance fails with a clear error and moves nothing', async () => {
  const bob = keyring().addFromUri('//Bob');
  const poor = keyring().addFromUri(`//e2e-poor-${Date.now()}`);
  const before = await freeBalance(api, bob.address);
  const tx = api.tx.balances.transferAllowDeath(poor.address, before + OPEN);
  const { blockHash, error } = await sendAndFinalize(api, tx, bob);
  assert.deepEqual(error, { kind: 'token', name: 'Token.FundsUnavailable' });
  assert.equal(await freeBalance(api, poor.address, blockHash), 0n);
  // Only the fee left Bob's account.
  const after = await freeBalance(api, bob.address, blockHash);
  assert.ok(after < before && before - after < OPEN / 100n, `only a fee was paid (${before - after})`);
});

test('a call the signer may not make fails with a module error decoded from metadata', async () => {
  const bob = keyring().addFromUri('//Bob');
  const tx = api.tx.sudo.sudo(api.tx.system.remark('not bob\'s to make'));
  const { error } = await sendAndFinalize(api, tx, bob);
  assert.equal(error.kind, 'module');
  assert.equal(error.name, 'sudo.RequireSudo');
});

test('malformed extrinsics are rejected by the pool and the node stays up', async () => {
  await assert.rejects(node.rpc('author_submitExtrinsic', ['0xdeadbeef']), /Could not decode|Invalid|decode/i);
  await assert.rejects(node.rpc('author_submitExtrinsic', ['not hex']), /Invalid|hex|params/i);

  // A correctly formed transfer whose signature was tampered with.
  const alice = keyring().addFromUri('//Alice');
  const signed = await api.tx.balances
    .transferKeepAlive(alice.address, OPEN)
    .signAsync(keyring().addFromUri('//Charlie'), { nonce: -1 });
  const bytes = signed.toU8a();
  const sig = signed.signature.toU8a();
  const at = Buffer.from(bytes).indexOf(Buffer.from(sig));
  assert.ok(at > 0, 'signature found in the encoded extrinsic');
  bytes[at + 10] ^= 0xff;
  await assert.rejects(
    node.rpc('author_submitExtrinsic', ['0x' + Buffer.from(bytes).toString('hex')]),
    /bad signature|Invalid Transaction/i,
  );

  // Still producing and finalizing.
  const before = await node.finalizedNumber();
  await node.waitFor('finality to advance after bad input', async () => (await node.finalizedNumber()) > before);
  assert.equal((await node.rpc('system_health')).isSyncing, false);
});
