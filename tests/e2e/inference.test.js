// The node serves its base model and LoRA adapters: over JSON-RPC (list, generate, stream,
// load/unload, stats) and over the OpenAI-compatible API with the official `openai` client,
// streaming included; bad input gets a clear error with the right code and the node stays up.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import OpenAI from 'openai';
import { WsProvider } from '@polkadot/api';
import { Node, tempDir } from './lib/node.js';
import { writeAdapter } from './lib/adapters.js';

let node;
let openai;
let adapters;
const question = [{ role: 'user', content: 'What is the capital of France?' }];

before(async () => {
  adapters = tempDir('adapters-');
  writeAdapter(adapters, 'legal-v1', { seed: 1 });
  writeAdapter(adapters, 'medical-v1', { seed: 2 });
  // A broken adapter on disk: refused when asked for, harmless otherwise.
  mkdirSync(path.join(adapters, 'broken'), { recursive: true });
  writeFileSync(path.join(adapters, 'broken', 'adapter_config.json'), '{"r": 4, "lora_alpha": 8}');
  writeFileSync(path.join(adapters, 'broken', 'adapter_model.safetensors'), 'not safetensors');
  node = await new Node({ name: 'inference', inference: true, args: ['--dev', '--inference-adapters', adapters] }).start();
  openai = new OpenAI({ baseURL: node.openaiUrl, apiKey: 'not-needed', maxRetries: 0 });
});

after(async () => {
  await node?.cleanup();
});

test('JSON-RPC lists the base model and the adapters on disk', async () => {
  const [model] = await node.rpc('inference_models');
  assert.equal(model.name, 'SmolLM2-135M-Instruct.Q4_1');
  assert.equal(model.context, 8192);
  assert.equal(model.layers, 30);
  const names = (await node.rpc('inference_adapters')).map((a) => a.name);
  // `openledger-qa` is the dev chain's demo model, installed by the node.
  assert.deepEqual(names, ['broken', 'legal-v1', 'medical-v1', 'openledger-qa']);
});

test('JSON-RPC generates an answer, and streams the same answer token by token', async () => {
  const params = { messages: question, maxTokens: 16 };
  const whole = await node.rpc('inference_generate', [params]);
  assert.match(whole.text, /Paris/);
  assert.equal(whole.finishReason, 'stop');
  assert.ok(whole.promptTokens > 5 && whole.completionTokens > 0);

  const provider = new WsProvider(node.wsUrl);
  await provider.isReady;
  try {
    const pieces = [];
    const done = await new Promise((resolve, reject) => {
      provider
        .subscribe('inference_generation', 'inference_subscribeGenerate', [params], (error, item) => {
          if (error) return reject(error);
          if (item.error) return reject(new Error(item.error));
          if (item.done) return resolve(item.done);
          pieces.push(item.text);
        })
        .catch(reject);
    });
    assert.ok(pieces.length >= whole.completionTokens - 1);
    assert.equal(pieces.join(''), done.text);
    assert.equal(done.text, whole.text, 'greedy answers are the same streamed or not');
  } finally {
    await provider.disconnect();
  }
});

test('adapters are loaded, used, counted and unloaded', async () => {
  const loaded = await node.rpc('inference_loadAdapter', ['legal-v1']);
  assert.equal(loaded.name, 'legal-v1');
  assert.ok(loaded.loadMs >= 0);
  const cached = (await node.rpc('inference_adapters')).filter((a) => a.cached).map((a) => a.name);
  assert.deepEqual(cached, ['legal-v1']);
  // A small random adapter may leave one greedy answer as it is (whether it does depends on the
  // last bits of the float arithmetic, and so on the CPU); over three prompts it changes some.
  const prompts = ['The ocean is', 'My favourite food is', 'Once upon a time'];
  const answer = (prompt, model) => node.rpc('inference_generate', [{ prompt, maxTokens: 8, ...(model ? { model } : {}) }]);
  const changed = [];
  for (const prompt of prompts) {
    const base = await answer(prompt);
    const tuned = await answer(prompt, 'legal-v1');
    assert.equal(tuned.completionTokens, 8);
    if (tuned.text !== base.text) changed.push(prompt);
  }
  assert.ok(changed.length > 0, 'the adapter changes the answers');
  const ensemble = await answer('The ocean is', 'legal-v1:0.5+medical-v1:0.5');
  assert.equal(ensemble.completionTokens, 8);
  const [stats] = (await node.rpc('inference_stats')).engines;
  assert.ok(stats.completed >= 5);
  assert.ok(stats.generatedTokens > 0);
  assert.ok(stats.adapters.loads >= 2);
  assert.equal(stats.running, 0);
  assert.equal(await node.rpc('inference_unloadAdapter', ['legal-v1']), true);
  assert.equal(await node.rpc('inference_unloadAdapter', ['legal-v1']), false);
});

test('JSON-RPC turns bad requests away with clear errors', async () => {
  const refuse = async (method, params, code, pattern) => {
    await assert.rejects(node.rpc(method, params), (e) => {
      assert.equal(e.rpc?.code, code, e.message);
      assert.match(e.message, pattern);
      return true;
    });
  };
  await refuse('inference_generate', [{ prompt: 'hi', model: 'nope' }], -32602, /unknown adapter `nope`/);
  await refuse('inference_generate', [{ prompt: 'hi', maxTokens: 1_000_000 }], -32602, /exceeds the context/);
  await refuse('inference_generate', [{ prompt: 'word '.repeat(9000) }], -32602, /context/);
  await refuse('inference_generate', [{ prompt: 'hi', temperature: -2 }], -32602, /temperature/);
  await refuse('inference_generate', [{ prompt: 'hi', maxTokenz: 3 }], -32602, /unknown field/);
  await refuse('inference_generate', [{ prompt: 'hi', messages: question }], -32602, /exactly one/);
  await refuse('inference_generate', [{ prompt: 'hi', model: 'broken' }], 5202, /corrupt/);
  await refuse('inference_loadAdapter', ['../../etc'], -32602, /adapter name/);
  // max_tokens = 2^64 − 1, sent as the exact integer (a JavaScript number would round it): refused
  // as a bad request, where it used to overflow the engine's admission arithmetic and stop it.
  const absurd = await fetch(node.httpUrl, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: '{"jsonrpc":"2.0","id":1,"method":"inference_generate","params":[{"prompt":"hi","maxTokens":18446744073709551615}]}',
  });
  const absurdError = (await absurd.json()).error;
  assert.equal(absurdError?.code, -32602, JSON.stringify(absurdError));
  assert.match(absurdError.message, /exceeds the context/);
  // Still serving.
  const ok = await node.rpc('inference_generate', [{ prompt: 'hi', maxTokens: 2 }]);
  assert.equal(ok.completionTokens, 2);
});

test('the openai client lists models and chats, whole and streamed', async () => {
  const models = await openai.models.list();
  const ids = models.data.map((m) => m.id);
  assert.ok(ids.includes('SmolLM2-135M-Instruct.Q4_1'));
  assert.ok(ids.includes('legal-v1') && ids.includes('medical-v1'));

  const chat = await openai.chat.completions.create({
    model: 'SmolLM2-135M-Instruct.Q4_1', messages: question, temperature: 0, max_tokens: 16,
  });
  assert.equal(chat.object, 'chat.completion');
  assert.match(chat.choices[0].message.content, /Paris/);
  assert.equal(chat.choices[0].finish_reason, 'stop');
  assert.equal(chat.usage.total_tokens, chat.usage.prompt_tokens + chat.usage.completion_tokens);

  const stream = await openai.chat.completions.create({
    model: 'SmolLM2-135M-Instruct.Q4_1', messages: question, temperature: 0, max_tokens: 16, stream: true,
    stream_options: { include_usage: true },
  });
  let text = '';
  let finish = null;
  let usage = null;
  let chunks = 0;
  for await (const chunk of stream) {
    chunks += 1;
    text += chunk.choices[0]?.delta?.content ?? '';
    finish = chunk.choices[0]?.finish_reason ?? finish;
    usage = chunk.usage ?? usage;
  }
  assert.ok(chunks > 3);
  assert.equal(text, chat.choices[0].message.content);
  assert.equal(finish, 'stop');
  assert.equal(usage.completion_tokens, chat.usage.completion_tokens);

  const completion = await openai.completions.create({
    model: 'medical-v1', prompt: 'Once upon a time', max_tokens: 6, temperature: 0.8, seed: 7,
  });
  assert.equal(completion.object, 'text_completion');
  assert.equal(completion.choices[0].finish_reason, 'length');
  assert.equal(completion.usage.completion_tokens, 6);
  const again = await openai.completions.create({
    model: 'medical-v1', prompt: 'Once upon a time', max_tokens: 6, temperature: 0.8, seed: 7,
  });
  assert.equal(again.choices[0].text, completion.choices[0].text, 'a seed makes sampling reproducible');
});

test('the OpenAI-compatible API answers bad requests with OpenAI errors', async () => {
  await assert.rejects(
    openai.chat.completions.create({ model: 'no-such-adapter', messages: question }),
    (e) => e instanceof OpenAI.NotFoundError && /no-such-adapter/.test(e.message),
  );
  await assert.rejects(
    openai.chat.completions.create({ model: 'legal-v1', messages: question, max_tokens: 10_000_000 }),
    (e) => e instanceof OpenAI.BadRequestError && /context/.test(e.message),
  );
  await assert.rejects(
    openai.chat.completions.create({ model: 'legal-v1', messages: [{ role: 'wizard', content: 'hi' }] }),
    (e) => e instanceof OpenAI.BadRequestError && /role/.test(e.message),
  );
  const malformed = await fetch(`${node.openaiUrl}/chat/completions`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"model": "x", "messages": [',
  });
  assert.equal(malformed.status, 400);
  assert.match((await malformed.json()).error.message, /malformed/);
  const huge = await fetch(`${node.openaiUrl}/completions`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'x', prompt: 'a'.repeat(2 << 20) }),
  });
  assert.equal(huge.status, 413);
  assert.equal((await fetch(`${node.openaiUrl}/nowhere`)).status, 404);
  const absurd = await fetch(`${node.openaiUrl}/completions`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: '{"model": "legal-v1", "prompt": "Hello", "max_tokens": 18446744073709551615}',
  });
  assert.equal(absurd.status, 400);
  assert.match((await absurd.json()).error.message, /exceeds the context/);
  // The node is still up and serving.
  const ok = await openai.completions.create({ model: 'legal-v1', prompt: 'Hello', max_tokens: 2 });
  assert.equal(ok.usage.completion_tokens, 2);
  assert.equal((await node.rpc('system_health')).isSyncing, false);
});
