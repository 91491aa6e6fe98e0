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

for (const { file, args } of specs) {
  test(`chain-spec/${file} matches \`build-spec ${args.join(' ')}\``, async () => {
    // Compared as text: JSON numbers (balances) beyond 2^53 would lose precision once parsed.
    const built = (await runNode(['build-spec', ...args, '--disable-default-bootnode'])).trim();
    const checkedIn = readFileSync(path.join(repoRoot, 'chain-spec', file), 'utf8').trim();
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
