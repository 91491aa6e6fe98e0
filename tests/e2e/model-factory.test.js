// ModelFactory and Proof of Attribution on the real base model: `openledger-node model train`
// fine-tunes an adapter on six contributions (with a held-out evaluation, stored gradients and a
// provenance manifest); a node serves it, and the JSON-RPC, the OpenAI-compatible API and
// `model explain` name the contributions behind its answers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import OpenAI from 'openai';
import { Node, runNode, tempDir } from './lib/node.js';
import { writeAdapter } from './lib/adapters.js';

const data = path.join(path.dirname(fileURLToPath(import.meta.url)), 'data');
const question = 'What is a Datanet?';
const contributorOf2 = '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty';

let node;
let adapters;
let trainLog;

before(async () => {
  adapters = tempDir('factory-');
  trainLog = await runNode([
    'model', 'train',
    '--data', path.join(data, 'openledger-qa.jsonl'),
    '--held-out', path.join(data, 'openledger-qa-heldout.jsonl'),
    '--out', path.join(adapters, 'openledger-qa'),
    '--datanet', '1',
    '--epochs', '3', '--batch-size', '3', '--rank', '4', '--learning-rate', '3e-3',
  ]);
  // An adapter without stored gradients: served, but not attributable.
  writeAdapter(adapters, 'plain', { seed: 3 });
  node = await new Node({ name: 'factory', inference: true, args: ['--dev', '--inference-adapters', adapters] }).start();
});

after(async () => {
  await node?.cleanup();
});

test('model train reports progress and evaluation, and writes the provenance manifest', () => {
  assert.match(trainLog, /epoch 3 step 6\/6/);
  assert.match(trainLog, /adapter\s+[\d.]+\s+[\d.]+/);
  const manifest = JSON.parse(readFileSync(path.join(adapters, 'openledger-qa', 'openledger_manifest.json'), 'utf8'));
  assert.equal(manifest.trainingDataCount, 6);
  assert.deepEqual(manifest.contributions, [1, 2, 3, 4, 5, 6]);
  assert.deepEqual(manifest.datanets, [1]);
  assert.match(manifest.trainingDataRoot, /^0x[0-9a-f]{64}$/);
  assert.match(manifest.adapterHash, /^0x[0-9a-f]{64}$/);
  assert.equal(manifest.contributors['2'], contributorOf2);
  const { base, tuned } = manifest.evaluation;
  assert.ok(tuned.loss < base.loss, `held-out loss ${base.loss} → ${tuned.loss}`);
  assert.deepEqual(manifest.evalScores.map((s) => s.metric), ['loss', 'perplexity', 'rouge_l', 'bleu']);
});

test('a contribution from a Datanet the model is not approved for is refused', async () => {
  const other = path.join(tempDir('unapproved-'), 'data.jsonl');
  writeFileSync(other, JSON.stringify({ id: 9, prompt: 'q', completion: 'a', datanet: 7 }) + '\n');
  await assert.rejects(
    runNode(['model', 'train', '--data', other, '--out', path.join(adapters, 'never'), '--datanet', '1']),
    (e) => /Datanet 7, which this model is not approved to read/.test(e.stderr + e.stdout),
  );
});

test('JSON-RPC names the contributions behind an answer', async () => {
  const answer = await node.rpc('inference_generate', [{
    model: 'openledger-qa', messages: [{ role: 'user', content: question }], maxTokens: 24, attribution: 3,
  }]);
  const a = answer.attribution;
  assert.equal(a.adapter, 'openledger-qa');
  assert.equal(a.method, 'datainf');
  assert.equal(a.scored, 6);
  assert.ok(a.contributions.length >= 1 && a.contributions.length <= 3);
  assert.ok(a.contributions.every((c) => c.influence > 0 && c.weight > 0 && c.weight <= 1));

  const explained = await node.rpc('inference_explain', [{
    model: 'openledger-qa', messages: [{ role: 'user', content: question }],
    output: 'A Datanet is a shared dataset on OpenLedger.<|im_end|>', topK: 3,
  }]);
  assert.equal(explained.contributions[0].id, 2, JSON.stringify(explained));
  assert.equal(explained.contributions[0].contributor, contributorOf2);
  const total = explained.contributions.reduce((s, c) => s + c.weight, 0);
  assert.ok(total <= 1 + 1e-9);
});

test('the OpenAI-compatible API returns the attribution on request', async () => {
  const openai = new OpenAI({ baseURL: node.openaiUrl, apiKey: 'unused', maxRetries: 0 });
  const chat = await openai.chat.completions.create({
    model: 'openledger-qa', messages: [{ role: 'user', content: question }], temperature: 0, max_tokens: 24,
    attribution: { top_k: 2 },
  });
  assert.ok(chat.attribution.contributions.length <= 2);
  assert.equal(chat.attribution.scored, 6);
  await assert.rejects(
    openai.chat.completions.create({ model: 'SmolLM2-135M-Instruct.Q4_1', messages: [{ role: 'user', content: 'hi' }], attribution: { top_k: 2 } }),
    (e) => e instanceof OpenAI.BadRequestError && /one adapter/.test(e.message),
  );
});

test('model explain prints the same ranking; adapters without gradients are refused', async () => {
  const out = await runNode([
    'model', 'explain', '--adapter', path.join(adapters, 'openledger-qa'),
    '--prompt', question, '--output', 'A Datanet is a shared dataset on OpenLedger.', '--top-k', '3',
  ]);
  assert.match(out, /6 training contributions scored/);
  const first = out.split('\n').find((l) => /^\s+\d+\s+[\d.]+\s+[\d.]+%/.test(l));
  assert.match(first, new RegExp(`^\\s+2\\s.*${contributorOf2}`));
  await assert.rejects(
    node.rpc('inference_explain', [{ model: 'plain', prompt: 'hi', output: 'there' }]),
    (e) => e.rpc?.code === -32602 && /no stored training gradients/.test(e.message),
  );
  await assert.rejects(
    node.rpc('inference_explain', [{ model: 'base', prompt: 'hi', output: 'there' }]),
    (e) => e.rpc?.code === -32602 && /attribution needs an adapter/.test(e.message),
  );
});

test('modelFactory_train runs a job on the node, and the adapter serves and explains', async () => {
  const lines = readFileSync(path.join(data, 'openledger-qa.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const refused = node.rpc('modelFactory_train', [{ name: 'elsewhere', contributions: lines, datanets: [2] }]);
  await assert.rejects(refused, (e) => e.rpc?.code === -32602 && /not approved to read/.test(e.message));
  await assert.rejects(
    node.rpc('modelFactory_train', [{ name: 'openledger-qa', contributions: lines }]),
    (e) => e.rpc?.code === -32602 && /already exists/.test(e.message),
  );
  const id = await node.rpc('modelFactory_train', [{
    name: 'rpc-qa', contributions: lines, datanets: [1], rank: 4, epochs: 1, batchSize: 3, learningRate: 3e-3,
  }]);
  let job;
  for (let i = 0; i < 240; i++) {
    job = await node.rpc('modelFactory_job', [id]);
    if (job.state !== 'running') break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  assert.equal(job.state, 'done', JSON.stringify(job));
  assert.equal(job.progress.step, job.progress.totalSteps);
  assert.equal(job.manifest.trainingDataCount, 6);
  const names = (await node.rpc('inference_adapters')).map((a) => a.name);
  assert.ok(names.includes('rpc-qa'));
  const explained = await node.rpc('inference_explain', [{
    model: 'rpc-qa', messages: [{ role: 'user', content: question }], output: 'A Datanet is a shared dataset on OpenLedger.', topK: 2,
  }]);
  assert.equal(explained.scored, 6);
});
