// The checked-in chain specifications (chain-spec/) still match what the node builds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { runNode, repoRoot } from './lib/node.js';

const specs = [
  { file: 'local.json', args: ['--chain', 'local'] },
  { file: 'local-raw.json', args: ['--chain', 'local', '--raw'] },
  { file: 'testnet.json', args: ['--chain', 'testnet-preset'] },
  { file: 'testnet-raw.json', args: ['--chain', 'testnet-preset', '--raw'] },
];

/**
 * The runtime WASM in a spec (`code` in a plain spec, the `:code` key in a raw one) is replaced by a
 * marker: rustc hashes a crate's source path into its symbols, so the blob differs between
 * checkouts at different paths even with the same sources and toolchain. Everything else — the
 * whole genesis state, properties, boot nodes — must match byte for byte.
 */
function withoutCode(spec) {
  return spec
    .replace(/("code": )"0x[0-9a-f]+"/, '$1"<runtime wasm>"')
    .replace(/("0x3a636f6465": )"0x[0-9a-f]+"/, '$1"<runtime wasm>"');
}

for (const { file, args } of specs) {
  test(`chain-spec/${file} matches \`build-spec ${args.join(' ')}\``, async () => {
    // Compared as text: JSON numbers (balances) beyond 2^53 would lose precision once parsed.
    const builtRaw = (await runNode(['build-spec', ...args, '--disable-default-bootnode'])).trim();
    const checkedInRaw = readFileSync(path.join(repoRoot, 'chain-spec', file), 'utf8').trim();
    const built = withoutCode(builtRaw);
    const checkedIn = withoutCode(checkedInRaw);
    assert.notEqual(built, builtRaw, 'the built spec carries a runtime');
    assert.notEqual(checkedIn, checkedInRaw, 'the checked-in spec carries a runtime');
    if (built !== checkedIn) {
      const stale = `chain-spec/${file} is stale: regenerate it with \`bash chain-spec/generate.sh\``;
      // Show where they differ before failing.
      assert.deepEqual(JSON.parse(checkedIn), JSON.parse(built), stale);
      assert.fail(stale);
    }
  });
}

test('`--chain testnet` is the checked-in raw testnet spec', async () => {
  const embedded = JSON.parse(await runNode(['build-spec', '--chain', 'testnet', '--raw']));
  const checkedIn = JSON.parse(readFileSync(path.join(repoRoot, 'chain-spec', 'testnet-raw.json'), 'utf8'));
  assert.deepEqual(embedded.genesis, checkedIn.genesis);
  assert.equal(embedded.id, 'openledger_testnet');
  assert.deepEqual(embedded.properties, { ss58Format: 42, tokenDecimals: 18, tokenSymbol: 'OPEN' });
});

test('the plain local spec carries the token properties and the genesis preset', async () => {
  const spec = JSON.parse(readFileSync(path.join(repoRoot, 'chain-spec', 'local.json'), 'utf8'));
  assert.equal(spec.chainType, 'Local');
  assert.deepEqual(spec.properties, { ss58Format: 42, tokenDecimals: 18, tokenSymbol: 'OPEN' });
  const balances = spec.genesis.runtimeGenesis.patch.balances.balances;
  // JSON numbers beyond 2^53 lose precision in JS: sum the exact decimal digits with BigInt.
  const raw = readFileSync(path.join(repoRoot, 'chain-spec', 'local.json'), 'utf8');
  const amounts = [...balancesText(raw).matchAll(/\[\s*"5[1-9A-HJ-NP-Za-km-z]+",\s*(\d+)\s*\]/g)].map((m) => BigInt(m[1]));
  assert.equal(amounts.length, balances.length);
  assert.equal(amounts.reduce((a, b) => a + b, 0n), 1_000_000_000n * 10n ** 18n);
});

/** The text of the `"balances": [...]` array of a plain spec (GRANDPA's [id, weight] pairs look
 *  alike, so the search is confined to it). */
function balancesText(raw) {
  const start = raw.indexOf('"balances": [');
  assert.ok(start >= 0, 'the spec has a balances array');
  let depth = 0;
  for (let i = raw.indexOf('[', start); i < raw.length; i++) {
    if (raw[i] === '[') depth++;
    if (raw[i] === ']' && --depth === 0) return raw.slice(start, i + 1);
  }
  assert.fail('unterminated balances array');
}
