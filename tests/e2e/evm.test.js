// Ethereum compatibility on a `--dev` node: `openledger-node eth-rpc` (pallet-revive-eth-rpc) in
// front of it, ethers as the Ethereum client and polkadot.js on the same chain. An Ethereum
// wallet reads the chain id and balances, sends OPEN, deploys a Solidity contract compiled by solc
// and calls it; the contract reads the model registry and an attribution record through the
// OpenLedger precompile and pays the data contributors behind an answer, whose native accounts
// polkadot.js sees credited to the unit.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ethers } from 'ethers';
import { blake2AsHex, decodeAddress, encodeAddress } from '@polkadot/util-crypto';
import { u8aToHex } from '@polkadot/util';
import { Node, repoRoot } from './lib/node.js';
import { connect, findEvent, keyring, sendOk, OPEN } from './lib/chain.js';
import {
  CHAIN_ID,
  DEV_ETH_KEYS,
  EthRpc,
  OPENLEDGER_PRECOMPILE,
  compileSolidity,
  ethAccountId,
} from './lib/eth.js';

let node;
let ethRpc;
let api;
let provider;
let alith; // Ethereum development account (ethers wallet)
let alice;
let bob;
let charlie;
let dave;
let ferdie;
let contracts;

before(async () => {
  // Archive state, so that eth-rpc can read any block's receipts.
  node = await new Node({ name: 'evm', args: ['--dev', '--state-pruning', 'archive'] }).start();
  api = await connect(node);
  await node.waitFor('the first blocks', async () => (await node.bestNumber()) >= 2);
  ethRpc = await new EthRpc(node).start();
  provider = new ethers.JsonRpcProvider(ethRpc.url, undefined, { pollingInterval: 500 });
  alith = new ethers.Wallet(DEV_ETH_KEYS.alith, provider);
  const ring = keyring();
  [alice, bob, charlie, dave, ferdie] = ['Alice', 'Bob', 'Charlie', 'Dave', 'Ferdie'].map((n) =>
    ring.addFromUri(`//${n}`),
  );
  const tipJar = readFileSync(path.join(repoRoot, 'tests', 'e2e', 'contracts', 'AttributionTipJar.sol'), 'utf8');
  contracts = compileSolidity({ 'AttributionTipJar.sol': tipJar });
});

after(async () => {
  provider?.destroy();
  await ethRpc?.cleanup();
  await api?.disconnect();
  await node?.cleanup();
});

/** What an account may spend, as polkadot.js reads it: free less what must stay (ED, freezes). */
async function spendable(address, at) {
  const query = at ? await api.at(at) : api;
  const { data } = await query.query.system.account(address);
  const ed = api.consts.balances.existentialDeposit.toBigInt();
  const frozen = data.frozen.toBigInt();
  const reserved = data.reserved.toBigInt();
  const untouchable = frozen > reserved ? frozen - reserved : 0n;
  return data.free.toBigInt() - (untouchable > ed ? untouchable : ed);
}

async function freeAt(address, blockNumber) {
  const hash = await api.rpc.chain.getBlockHash(blockNumber);
  const { data } = await (await api.at(hash)).query.system.account(address);
  return data.free.toBigInt();
}

/** The EVM address an account is mapped to, as the runtime says. */
async function evmAddress(account) {
  return ethers.getAddress((await api.call.reviveApi.address(account)).toHex());
}

const ss58 = (hex) => encodeAddress(hex, 42);

test('an Ethereum client reads the chain id and the balances polkadot.js sees', async () => {
  const network = await provider.getNetwork();
  assert.equal(network.chainId, CHAIN_ID);
  assert.equal(BigInt(await ethRpc.rpc('net_version')), CHAIN_ID);
  assert.equal(alith.address, '0xf24FF3a9CF04c71Dbc94D0b566f7A27B94566cac');

  // One block, read by both: Alith's (an Ethereum key's) and Alice's (a native account's, at
  // her mapped address) balances are what polkadot.js says they may spend.
  const number = (await node.bestNumber()) - 1;
  const hash = (await api.rpc.chain.getBlockHash(number)).toHex();
  const alithAccount = ss58(ethAccountId(alith.address));
  assert.equal(await provider.getBalance(alith.address, number), await spendable(alithAccount, hash));
  assert.equal(await provider.getBalance(alith.address, number), 1_000_000n * OPEN - 1n * (OPEN / 1000n));
  const aliceAddress = await evmAddress(alice.address);
  assert.equal(await provider.getBalance(aliceAddress, number), await spendable(alice.address, hash));

  const block = await provider.getBlock(number);
  assert.equal(block.number, number);
  assert.ok((await provider.getFeeData()).gasPrice > 0n);
});

test('OPEN moves between an Ethereum wallet and native accounts, to the unit', async (t) => {
  // Alith sends 1 OPEN to a fresh Ethereum address: the recipient can spend exactly 1 OPEN, and
  // Alith paid the value and the gas at the receipt's price, nothing else.
  const recipient = ethers.Wallet.createRandom().address;
  const before = await provider.getBalance(alith.address);
  const tx = await alith.sendTransaction({ to: recipient, value: OPEN });
  const receipt = await tx.wait();
  assert.equal(receipt.status, 1);
  assert.equal(await provider.getBalance(recipient), OPEN);
  const fee = receipt.gasUsed * receipt.gasPrice;
  assert.ok(fee > 0n);
  t.diagnostic(`transfer to a new address: ${receipt.gasUsed} gas at ${receipt.gasPrice} wei, ${ethers.formatEther(fee)} OPEN`);
  assert.equal(await provider.getBalance(alith.address), before - OPEN - fee);
  // polkadot.js sees the same transfer on the recipient's account, at the receipt's block.
  const recipientAccount = ss58(ethAccountId(recipient));
  const atReceipt = (await api.rpc.chain.getBlockHash(receipt.blockNumber)).toHex();
  assert.equal(await spendable(recipientAccount, atReceipt), OPEN);
  assert.equal(await freeAt(recipientAccount, receipt.blockNumber - 1), 0n);

  // Alice (polkadot.js, sr25519) sends 5 OPEN to Alith: ethers sees exactly 5 OPEN more.
  const alithBefore = await provider.getBalance(alith.address);
  const events = await sendOk(api, api.tx.balances.transferKeepAlive(ss58(ethAccountId(alith.address)), 5n * OPEN), alice);
  findEvent(events, 'balances', 'Transfer');
  await node.waitFor('eth-rpc to see the transfer', async () =>
    (await provider.getBalance(alith.address)) === alithBefore + 5n * OPEN,
  );

  // Alith pays Bob's native account at its mapped address: Bob's free balance rises by 2 OPEN.
  const bobAddress = await evmAddress(bob.address);
  const toBob = await (await alith.sendTransaction({ to: bobAddress, value: 2n * OPEN })).wait();
  assert.equal(toBob.status, 1);
  assert.equal(
    (await freeAt(bob.address, toBob.blockNumber)) - (await freeAt(bob.address, toBob.blockNumber - 1)),
    2n * OPEN,
  );
});

test('bad transactions are refused with a clear error and change nothing', async (t) => {
  const before = await provider.getBalance(alith.address);
  const nonce = await provider.getTransactionCount(alith.address);
  // Signed for another chain.
  const wrongChain = await alith.signTransaction({
    to: alith.address, value: 1n, nonce, chainId: 1, gasLimit: 10_000_000n, gasPrice: 2_000_000_000n, type: 0,
  });
  const refused = await ethRpc.rpc('eth_sendRawTransaction', [wrongChain]).then(() => null, (e) => e);
  assert.match(refused?.message ?? '', /Invalid Transaction/, 'a transaction for chain 1 is refused');
  t.diagnostic(`chain 1: ${refused.message}`);
  // From a wallet with nothing to pay with.
  const pauper = ethers.Wallet.createRandom().connect(provider);
  const unfunded = await pauper.sendTransaction({ to: alith.address, value: OPEN }).then(() => null, (e) => e);
  assert.match(unfunded?.shortMessage ?? '', /insufficient funds/, 'an unfunded wallet is refused');
  t.diagnostic(`unfunded: ${unfunded.shortMessage ?? unfunded.message}`);
  assert.equal(await provider.getBalance(alith.address), before);
  assert.equal(await provider.getTransactionCount(alith.address), nonce);
});

test('a Solidity contract compiled by solc is deployed, called, and reads the model registry', async (t) => {
  const { abi, bytecode } = contracts.AttributionTipJar.AttributionTipJar;
  const factory = new ethers.ContractFactory(abi, bytecode, alith);
  const jar = await factory.deploy();
  const deployment = await jar.deploymentTransaction().wait();
  assert.equal(deployment.status, 1);
  t.diagnostic(`deployment: ${deployment.gasUsed} gas, ${ethers.formatEther(deployment.gasUsed * deployment.gasPrice)} OPEN`);
  const address = await jar.getAddress();
  assert.ok((await provider.getCode(address)).length > 2, 'the contract has code');

  // The demo model's price for the OpenLedger whitepaper's worked example (§2.2.4: 800 tokens in,
  // 1,200 out), as the chain quotes it.
  const quote = (await api.call.feeSplitApi.quote(0, 800, 1200)).unwrap();
  assert.equal(await jar.price(0, 800, 1200), quote.total.toBigInt());
  await assert.rejects(jar.price(99, 1, 1), /model not deployed/);

  // Its deployed adapter and its owner, Dave, by account and by mapped address.
  const model = (await api.call.modelRegistryApi.model(0)).unwrap();
  const version = (await api.call.modelRegistryApi.version(0, model.deployedVersion.unwrap())).unwrap();
  const [adapterHash, owner, ownerAddress] = await jar.deployedAdapter(0);
  assert.equal(adapterHash, version.adapterHash.toHex());
  assert.equal(owner, u8aToHex(decodeAddress(dave.address)));
  assert.equal(ownerAddress, await evmAddress(dave.address));

  // The precompile itself, called straight from the Ethereum client.
  const openledger = new ethers.Contract(OPENLEDGER_PRECOMPILE, contracts.IOpenLedger.IOpenLedger.abi, provider);
  const [found, direct] = await openledger.getModel(0);
  assert.ok(found);
  assert.equal(direct.status, 5n); // Deployed
  assert.equal(direct.rateIn, model.rateIn.toBigInt());
  assert.equal(direct.rateOut, model.rateOut.toBigInt());
  assert.deepEqual(direct.datanets.map(Number), [0]);
  const [credible, ppb] = await openledger.datanetCredibility(0);
  assert.ok(credible);
  assert.equal(ppb, (await api.call.datanetsApi.credibility(0)).unwrap().toBigInt());
  // The deployed version, with the tokenizer that counts its input tokens and its training set's root.
  const [versionFound, deployedVersion] = await openledger.getVersion(0, model.deployedVersion.unwrap().toNumber());
  assert.ok(versionFound);
  assert.equal(deployedVersion.adapterHash, version.adapterHash.toHex());
  assert.equal(deployedVersion.tokenizerHash, version.tokenizerHash.toHex());
  assert.equal(deployedVersion.trainingDataRoot, version.trainingDataRoot.toHex());
  const [unknown] = await openledger.getModel(42);
  assert.equal(unknown, false);
});

test('a contract reads an attribution record and pays the contributors behind the answer', async (t) => {
  // Ferdie pays for an answer of the demo model, 800 tokens in, naming Alice, its worker; she
  // settles it with influences 3:1 on the demo contributions of Bob (0) and Charlie (1), both in
  // the deployed version's training set.
  const best = await node.bestNumber();
  const request = {
    model: 0,
    promptHash: blake2AsHex('What is a Datanet?', 256),
    tokensIn: 800,
    workers: [alice.address],
    maxOutputTokens: 1500,
    maxFee: 2n * OPEN,
    nonce: 1,
    expiresAt: best + 100,
  };
  const requested = findEvent(await sendOk(api, api.tx.feeSplit.requestInference(request), ferdie), 'feeSplit', 'InferenceRequested');
  const requestId = requested.data.request.toHex();
  const outputHash = blake2AsHex('A Datanet is a shared dataset on OpenLedger.', 256);
  await sendOk(api, api.tx.attribution.settle(requestId, 0, 1200, outputHash, [[0, 3_000_000], [1, 1_000_000]]), alice);
  const record = (await api.call.attributionApi.record(requestId)).unwrap();

  const { abi, bytecode } = contracts.AttributionTipJar.AttributionTipJar;
  const jar = await new ethers.ContractFactory(abi, bytecode, alith).deploy();
  await jar.deploymentTransaction().wait();
  const bobAddress = await evmAddress(bob.address);
  const charlieAddress = await evmAddress(charlie.address);

  // The record, as the contract reads it.
  const [contributors, weights] = await jar.contributorsOf(requestId);
  assert.deepEqual([...contributors], [bobAddress, charlieAddress]);
  assert.deepEqual(weights.map(Number), record.contributions.map((c) => c.weight.toNumber()));
  assert.deepEqual(weights.map(Number), [750_000_000, 250_000_000]);
  await assert.rejects(jar.contributorsOf(ethers.ZeroHash), /not settled/);

  // And straight from the precompile: the fee split, to the unit.
  const openledger = new ethers.Contract(OPENLEDGER_PRECOMPILE, contracts.IOpenLedger.IOpenLedger.abi, provider);
  const [found, direct] = await openledger.getAttribution(requestId);
  assert.ok(found);
  assert.equal(direct.user, u8aToHex(decodeAddress(ferdie.address)));
  assert.equal(direct.worker, u8aToHex(decodeAddress(alice.address)));
  assert.equal(direct.outputHash, outputHash);
  assert.equal(direct.fees.fee, record.breakdown.fee.toBigInt());
  assert.equal(direct.fees.contributors, record.breakdown.contributors.toBigInt());
  assert.equal(direct.fees.worker, record.breakdown.worker.toBigInt());
  assert.equal(direct.fees.stakers, record.breakdown.stakers.toBigInt());
  assert.equal(direct.tokensIn, 800n);
  assert.deepEqual(
    direct.contributions.map((c) => [Number(c.id), c.contributor, c.paid]),
    record.contributions.map((c) => [c.contribution.toNumber(), c.contributor.unwrap().toHex(), c.paid.toBigInt()]),
  );
  const [earned] = await openledger.contributorEarnings(u8aToHex(decodeAddress(bob.address)));
  assert.equal(earned, (await api.call.attributionApi.contributorEarnings(bob.address)).total.toBigInt());

  // Alith tips 1 OPEN through the contract: Bob's and Charlie's native accounts receive 0.75 and
  // 0.25 OPEN in the tip's block, exactly.
  const tip = await (await jar.tipContributors(requestId, { value: OPEN })).wait();
  assert.equal(tip.status, 1);
  t.diagnostic(`tipContributors: ${tip.gasUsed} gas, ${ethers.formatEther(tip.gasUsed * tip.gasPrice)} OPEN`);
  const tipped = tip.logs.map((log) => jar.interface.parseLog(log)).filter((e) => e?.name === 'Tipped');
  assert.deepEqual(
    tipped.map((e) => [e.args.contributor, e.args.amount]),
    [[bobAddress, (3n * OPEN) / 4n], [charlieAddress, OPEN / 4n]],
  );
  const delta = async (who) => (await freeAt(who, tip.blockNumber)) - (await freeAt(who, tip.blockNumber - 1));
  assert.equal(await delta(bob.address), (3n * OPEN) / 4n);
  assert.equal(await delta(charlie.address), OPEN / 4n);
  assert.equal(await jar.tipped(), OPEN);
});
