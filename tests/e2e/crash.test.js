// Crash test of paid inference: a development node serving the demo model under paid load is killed
// with SIGKILL at random moments (some right after an answer returned, before its attribution
// and settlement) and restarted from the same base path each time. Users put requests in escrow
// (as the node quoted them: each prompt's token count, Alice's worker) and ask the node to answer
// them, a few at a time, throughout. At the end every request the node answered is settled
// exactly once, with the answer the user got (as its signed receipt says), and no request at all
// is settled twice: counted from the events of every block from genesis to the best one.
//
// The node runs the development chain (`--chain dev`: the demo model 0 deployed, its adapter
// installed by the node, Alice its worker with her key inserted) from the raw form of its spec,
// with `--alice --validator --force-authoring` for what `--dev` adds. It is the same chain, the
// same genesis; a debug node given `--dev` rebuilds the genesis from the runtime's preset at
// every start (about 20 s here), which ten restarts cannot afford.
//
//   CRASH_SEED=<n>   replays the kill schedule of a run (its seed is printed first)
//   CRASH_KILLS=<n>  how many kills (default 10)
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { blake2AsHex, decodeAddress } from '@polkadot/util-crypto';
import { u8aConcat, u8aToHex } from '@polkadot/util';
import { Node, runNode, tempDir, sleep } from './lib/node.js';
import { connect, keyring, quoteRequest, verifyReceipt, OPEN } from './lib/chain.js';

const KILLS = Number(process.env.CRASH_KILLS ?? 10);
const SEED = process.env.CRASH_SEED !== undefined ? Number(process.env.CRASH_SEED) >>> 0 : (Date.now() ^ (process.pid << 16)) >>> 0;
/** Answers asked for at once. */
const CONCURRENCY = 3;
/** Most answers (as this test knows) awaiting settlement before it asks for more: a bound on
 * the backlog the end waits for (attribution runs one answer at a time). */
const MAX_UNSETTLED = 24;
/** Requests in escrow not yet answered below which the users put more in. */
const LOW_WATER = 9;
const MAX_REQUESTS = 150;
const MAX_OUTPUT_TOKENS = 8;
/** Budget of the file, in ms from its start (CI: 2 cores, 3 e2e files at a time). */
const KILL_PHASE_MS = 300_000;
/** After the last restart. A settlement whose extrinsic a kill took out of the pool is sent
 * again after the worker's `ResubmitAfter` (20 blocks, 120 s): the wait must outlast that. */
const SETTLE_WAIT_MS = 170_000;
const TEST_TIMEOUT_MS = 520_000;
const MAX_SCANNED_BLOCKS = 2_000;

const here = path.dirname(fileURLToPath(import.meta.url));
const prompts = readFileSync(path.join(here, 'data', 'openledger-qa.jsonl'), 'utf8')
  .trim().split('\n').map((l) => JSON.parse(l).prompt);

/** mulberry32: a small seeded PRNG, so that a failing kill schedule can be replayed. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no result after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** One JSON-RPC call over HTTP to `url`, bounded in time. Rejects with `.rpc` on an error reply;
 * without it when the connection failed or timed out (the node went down under it). */
async function call(url, method, params = [], timeoutMs = 15_000) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const body = await res.json();
  if (body.error) {
    const err = new Error(`${method}: ${body.error.message}`);
    err.rpc = body.error;
    throw err;
  }
  return body.result;
}

let node;
let api;
let adapters;
let specDir;

after(async () => {
  await api?.disconnect().catch(() => {});
  await node?.cleanup();
  for (const dir of [adapters, specDir]) if (dir && !process.env.KEEP_TEST_DATA) rmSync(dir, { recursive: true, force: true });
});

/** The last lines of the node's log (all its runs), for a failure's message. */
function logTail(lines = 40) {
  try {
    return readFileSync(node.logPath, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

test(`a node under paid load, SIGKILLed ${KILLS} times and restarted from its base path, settles every answered request exactly once`, { timeout: TEST_TIMEOUT_MS }, async () => {
  const t0 = Date.now();
  const elapsed = () => ((Date.now() - t0) / 1000).toFixed(1);
  const rng = prng(SEED);
  console.log(`crash: seed ${SEED} (CRASH_SEED=${SEED} replays this kill schedule), ${KILLS} kills`);

  adapters = tempDir('crash-adapters-');
  specDir = tempDir('crash-spec-');
  const spec = path.join(specDir, 'dev-raw.json');
  writeFileSync(spec, await runNode(['build-spec', '--chain', 'dev', '--raw']));
  const basePath = tempDir('crash-');
  await runNode(['key', 'generate-node-key', '--chain', spec, '--base-path', basePath]);
  node = new Node({
    name: 'crash', inference: true, basePath,
    args: ['--chain', spec, '--alice', '--validator', '--force-authoring', '--inference-adapters', adapters],
  });
  await node.start();
  api = await connect(node);
  const ring = keyring();
  const users = ['Ferdie', 'Eve', 'Dave'].map((n) => ({ name: n, pair: ring.addFromUri(`//${n}`) }));
  // What each prompt is charged: its tokens as the node counts them, quoted once (the count does
  // not change across restarts); the node's worker, Alice, serves the requests.
  const quotes = new Map();
  for (const prompt of new Set(prompts)) {
    quotes.set(prompt, await quoteRequest(node, { model: 0, prompt, maxOutputTokens: MAX_OUTPUT_TOKENS }));
  }
  const aliceWorker = ring.addFromUri('//Alice').address;
  for (const q of quotes.values()) assert.deepEqual(q.workers, [aliceWorker]);
  /** The request of `prompt` as the node quoted it. */
  const requestOf = (prompt, nonce, expiresAt) => ({
    model: 0, promptHash: quotes.get(prompt).promptHash, tokensIn: quotes.get(prompt).tokensIn, workers: [aliceWorker],
    maxOutputTokens: MAX_OUTPUT_TOKENS, maxFee: OPEN, nonce, expiresAt,
  });

  /** Every request put (or meant to be put) in escrow, by id. */
  const requests = new Map();
  const figures = {
    kills: 0, killsAfterAnswer: 0, killsWithUnsettled: 0, restarts: 0, blocksLostOnRestart: 0,
    answerCalls: 0, dropped: 0, refusedOther: 0, reanswered: 0, topUpErrors: 0,
  };
  const kills = [];
  const restartMs = [];
  /** Whether the node is up and the load may use it; `epoch` counts its runs. */
  const life = { up: true, epoch: 0 };
  let lastBest = await node.bestNumber();
  let nextNonce = 1_000;
  let armed = false; // kill at the next answer that returns
  let reaskBudget = 0;
  let stopLoad = false;
  let stopProducer = false;
  let stopMonitor = false;
  const url = () => node.httpUrl;

  const answeredOrStored = (r) => r.answer !== null || r.nodeStored;
  // (Answers whose reply was lost are not counted: whether they settle is not asserted.)
  const unsettled = () => [...requests.values()].filter((r) => r.answer && !r.seenSettled).length;

  /** The request's id as the fee pallet computes it: blake2-256 of (user, request). */
  const requestId = (address, tx) => blake2AsHex(u8aConcat(decodeAddress(address), tx.method.args[0].toU8a()), 256);

  /** Each user puts `perUser` requests in escrow, sent together with consecutive nonces. */
  async function topUp(perUser) {
    const expiresAt = lastBest + 300;
    const epoch = life.epoch;
    await Promise.all(users.map(async ({ name, pair }) => {
      const first = Number(await call(url(), 'system_accountNextIndex', [pair.address], 5_000));
      for (let k = 0; k < perUser; k++) {
        if (!life.up || life.epoch !== epoch) return; // that run of the node is gone
        const nonce = nextNonce++;
        const prompt = prompts[nonce % prompts.length];
        const tx = api.tx.feeSplit.requestInference(requestOf(prompt, nonce, expiresAt));
        const id = requestId(pair.address, tx);
        const r = {
          id, user: name, address: pair.address, nonce, prompt, epoch: life.epoch, state: 'submitted',
          answer: null, answeredEpoch: null, nodeStored: false, drops: 0, errors: [], inFlight: false,
          notBefore: 0, reasked: false, seenSettled: false,
        };
        requests.set(id, r);
        // Immortal, with an explicit nonce: signed without asking the node anything.
        await tx.signAsync(pair, { nonce: first + k, era: 0 });
        try {
          await call(url(), 'author_submitExtrinsic', [tx.toHex()], 5_000);
        } catch (e) {
          if (e.rpc) r.state = 'rejected';
          r.errors.push(`submit: ${e.message}`);
        }
      }
    }));
  }

  /** After a restart: a request whose transaction was not in a block before the kill is gone
   * with the transaction pool. */
  async function reconcileSubmitted() {
    const open = [...requests.values()].filter((r) => r.state === 'submitted' && !answeredOrStored(r));
    if (open.length === 0) return;
    const held = await api.query.feeSplit.requests.multi(open.map((r) => r.id));
    open.forEach((r, i) => {
      r.state = held[i].isSome ? 'escrow' : 'lost-tx';
    });
  }

  function pick() {
    const now = Date.now();
    const all = [...requests.values()];
    // Once per run, ask again for a request answered in an earlier run: it must stay answered.
    if (reaskBudget > 0) {
      const r = all.find((x) => x.answer && !x.reasked && !x.inFlight && x.answeredEpoch < life.epoch);
      if (r) {
        reaskBudget--;
        return r;
      }
    }
    if (unsettled() >= MAX_UNSETTLED) return null;
    return all.find((x) => !answeredOrStored(x) && (x.state === 'submitted' || x.state === 'escrow') && !x.inFlight && x.notBefore <= now);
  }

  /** Kills the node now: the signal is sent before this returns. */
  function crash(kind) {
    armed = false;
    life.up = false;
    figures.kills++;
    const pending = unsettled();
    if (kind === 'after-answer') figures.killsAfterAnswer++;
    if (pending > 0) figures.killsWithUnsettled++;
    const inFlight = [...requests.values()].filter((r) => r.inFlight).length;
    kills.push({ kill: figures.kills, kind, at: `${elapsed()} s`, best: lastBest, unsettled: pending, inFlight });
    node.kill('SIGKILL');
  }

  async function worker() {
    while (!stopLoad) {
      if (!life.up) {
        await sleep(100);
        continue;
      }
      const r = pick();
      if (!r) {
        await sleep(250);
        continue;
      }
      const epoch = life.epoch;
      const reask = answeredOrStored(r);
      r.inFlight = true;
      figures.answerCalls++;
      const asked = Date.now();
      try {
        const answer = await call(url(), 'inference_answerRequest', [{ request: r.id, prompt: r.prompt }], 90_000);
        if (reask) {
          figures.reanswered++;
          r.errors.push(`answered again in run ${epoch}: ${JSON.stringify(answer)}`);
        } else {
          r.answer = answer;
          r.answerMs = Date.now() - asked;
          r.answeredEpoch = epoch;
          r.answeredAt = elapsed();
          r.answeredAtMs = Date.now();
          r.state = 'escrow';
        }
        // Some kills land here: the answer is out, its attribution has only just begun.
        if (armed && life.up && life.epoch === epoch) crash('after-answer');
      } catch (e) {
        if (e.rpc) {
          const message = e.rpc.message;
          if (/already answered|already settled/.test(message)) {
            // The node took it on (reserved it, perhaps answered it) before a kill, and the
            // reply never came back: it is not answered twice.
            if (!r.answer) r.nodeStored = true;
            r.state = 'escrow';
          } else if (/not in escrow/.test(message)) {
            r.notBefore = Date.now() + 2_000; // its transaction is not in a block yet
          } else {
            figures.refusedOther++;
            r.errors.push(message);
            r.notBefore = Date.now() + 2_000;
          }
        } else {
          // The connection dropped (the node was killed) or timed out: the answer may or may
          // not have been recorded; asking again tells.
          r.drops++;
          figures.dropped++;
        }
      } finally {
        r.inFlight = false;
        if (reask) r.reasked = true;
      }
    }
  }

  async function producer() {
    while (!stopProducer) {
      if (life.up) {
        const live = [...requests.values()].filter((r) => !answeredOrStored(r) && (r.state === 'submitted' || r.state === 'escrow')).length;
        if (live < LOW_WATER && requests.size < MAX_REQUESTS) {
          try {
            await topUp(3);
          } catch {
            figures.topUpErrors++;
          }
        }
      }
      await sleep(1_000);
    }
  }

  /** Follows the best block and which answers are settled (for the backlog bound only: the end
   * checks settlement itself). */
  async function monitor() {
    while (!stopMonitor) {
      if (life.up) {
        try {
          lastBest = parseInt((await call(url(), 'chain_getHeader', [], 5_000)).number, 16);
          for (const r of requests.values()) {
            if (!life.up) break;
            if (answeredOrStored(r) && !r.seenSettled && (await call(url(), 'attribution_record', [r.id], 5_000))) {
              r.seenSettled = true;
              r.seenSettledAt = Date.now();
            }
          }
        } catch {
          // The node went down under it.
        }
      }
      await sleep(1_000);
    }
  }

  async function restart(bestBeforeKill) {
    const started = Date.now();
    node.p2pPort = undefined;
    try {
      await node.start();
      const first = await node.bestNumber();
      if (first < bestBeforeKill) figures.blocksLostOnRestart += bestBeforeKill - first;
      await node.waitFor('a block after the restart', async () => (await node.bestNumber()) > first, 45_000);
      for (let attempt = 1; ; attempt++) {
        try {
          api = await withTimeout(connect(node), 20_000, 'connecting to the restarted node');
          break;
        } catch (e) {
          if (attempt === 3) throw e;
          await sleep(1_000);
        }
      }
      lastBest = await node.bestNumber();
      await reconcileSubmitted();
    } catch (e) {
      throw new Error(`restart ${figures.restarts + 1}: ${e.message}\n--- ${node.logPath} (last lines) ---\n${logTail()}`);
    }
    life.epoch++;
    reaskBudget = 2;
    figures.restarts++;
    restartMs.push(Date.now() - started);
    life.up = true;
  }

  // Requests in escrow before the first kill.
  // Plenty: a kill takes the pool's transactions with it, and whatever was being answered.
  await topUp(8);
  const sample = [...requests.values()].at(-1);
  const sampleTx = api.tx.feeSplit.requestInference(requestOf(sample.prompt, sample.nonce, lastBest + 300));
  assert.equal(requestId(sample.address, sampleTx), (await api.call.feeSplitApi.requestId(sample.address, sampleTx.method.args[0])).toHex(), 'request ids are computed as the runtime does');
  await node.waitFor('the first requests to be in escrow', async () => (await api.query.feeSplit.requests(sample.id)).isSome, 30_000);

  const workers = Array.from({ length: CONCURRENCY }, () => worker());
  const producing = producer();
  const monitoring = monitor();
  let loadError = null;
  try {
    for (let i = 0; i < KILLS && Date.now() - t0 < KILL_PHASE_MS; i++) {
      // A third of the kills or so land right after an answer returned (armed after 0.3-2 s, at
      // the next answer); the others 1-4 s into the run, wherever the load is then (answers take
      // about 3 s: some are being generated, some attributed, some settlements are in the pool).
      const afterAnswer = i % 3 === 1 || rng() < 0.25;
      const delay = afterAnswer ? 300 + Math.floor(rng() * 1_700) : 1_000 + Math.floor(rng() * 3_000);
      await sleep(delay);
      if (afterAnswer) {
        armed = true;
        const until = Date.now() + 10_000;
        while (armed && Date.now() < until) await sleep(25);
        if (armed) crash('no answer within 10 s');
      } else {
        crash(`after ${(delay / 1000).toFixed(1)} s`);
      }
      const bestBeforeKill = lastBest;
      const exit = await withTimeout(node.exited, 15_000, 'the killed node to exit');
      assert.equal(exit.signal, 'SIGKILL', `kill ${figures.kills}: ${JSON.stringify(exit)}`);
      await withTimeout(api.disconnect(), 5_000, 'disconnecting').catch(() => {});
      if (i === KILLS - 1) stopProducer = true;
      await restart(bestBeforeKill);
    }
    stopProducer = true;
    // The last run is left alone: a little more load, then it settles everything.
    await sleep(6_000);
  } catch (e) {
    loadError = e;
  } finally {
    stopLoad = true;
    stopProducer = true;
  }
  await withTimeout(Promise.all(workers), 100_000, 'the load to stop');
  await withTimeout(producing, 20_000, 'the producer to stop').catch(() => {});
  if (loadError) {
    stopMonitor = true;
    await monitoring;
    throw loadError;
  }
  const loadEnded = Date.now();

  // Every answered request settles: wait (bounded) until each has its record.
  const answered = [...requests.values()].filter((r) => r.answer);
  const storedOnly = [...requests.values()].filter((r) => !r.answer && r.nodeStored);
  const records = new Map();
  const settleDeadline = Math.min(Date.now() + SETTLE_WAIT_MS, t0 + TEST_TIMEOUT_MS - 40_000);
  let graceFrom = null;
  while (Date.now() < settleDeadline) {
    for (const r of [...answered, ...storedOnly]) {
      if (records.has(r.id)) continue;
      const record = await call(url(), 'attribution_record', [r.id], 5_000).catch(() => null);
      if (record) {
        records.set(r.id, record);
        r.seenSettledAt ??= Date.now();
      }
    }
    if (answered.every((r) => records.has(r.id))) {
      if (storedOnly.every((r) => records.has(r.id))) break;
      // Answers the users never got settle too, but are not waited for long.
      graceFrom ??= Date.now();
      if (Date.now() - graceFrom > 10_000) break;
    }
    await sleep(2_000);
  }
  stopMonitor = true;
  await monitoring;
  const settleWaitMs = Date.now() - loadEnded;
  // Two more blocks: nothing is settled a second time afterwards.
  const settledBest = await node.bestNumber();
  await node.waitFor('two more blocks', async () => (await node.bestNumber()) >= settledBest + 2, 30_000);

  // The events of every block from genesis to the best one.
  const bestHash = await api.rpc.chain.getBlockHash();
  const best = (await api.rpc.chain.getHeader(bestHash)).number.toNumber();
  assert.ok(best <= MAX_SCANNED_BLOCKS, `best block ${best}: more than this test scans`);
  const attributed = new Map();
  const feeSettled = new Map();
  const failures = [];
  const bump = (map, id) => map.set(id, (map.get(id) ?? 0) + 1);
  let scanned = 0;
  const heights = Array.from({ length: best }, (_, i) => i + 1);
  await Promise.all(Array.from({ length: 6 }, async () => {
    for (let n = heights.shift(); n !== undefined; n = heights.shift()) {
      const hash = await api.rpc.chain.getBlockHash(n);
      const events = await api.query.system.events.at(hash);
      scanned++;
      for (const { event } of events) {
        if (event.section === 'attribution' && event.method === 'InferenceAttributed') bump(attributed, event.data.request.toHex());
        else if (event.section === 'feeSplit' && event.method === 'InferenceSettled') bump(feeSettled, event.data.request.toHex());
        else if (event.section === 'attribution' && event.method === 'SettlementFailed') {
          const { error } = event.data;
          const name = error.isModule ? (({ section, name: n2 }) => `${section}.${n2}`)(api.registry.findMetaError(error.asModule)) : error.toString();
          failures.push({ block: n, request: event.data.request.toHex(), error: name });
        }
      }
    }
  }));

  // Sent: in escrow now, or answered (an answered request that is not would be lost).
  const all = [...requests.values()];
  const ids = all.map((r) => r.id);
  const [held, stored] = await Promise.all([api.query.feeSplit.requests.multi(ids), api.query.attribution.records.multi(ids)]);
  const status = new Map(ids.map((id, i) => [id, held[i].isSome ? held[i].unwrap().status.toString() : 'absent']));
  const onChain = new Map(ids.map((id, i) => [id, stored[i].isSome ? stored[i].unwrap() : null]));
  const inEscrow = all.filter((r) => status.get(r.id) !== 'absent' || answeredOrStored(r));

  const twice = [...new Set([...attributed.keys(), ...feeSettled.keys()])]
    .filter((id) => (attributed.get(id) ?? 0) > 1 || (feeSettled.get(id) ?? 0) > 1);
  const lost = answered.filter((r) => !onChain.get(r.id) || attributed.get(r.id) !== 1 || feeSettled.get(r.id) !== 1 || status.get(r.id) !== 'Settled');
  const settledIds = inEscrow.filter((r) => attributed.get(r.id) === 1);
  const totalMs = Date.now() - t0;
  const stats = (ms) => (ms.length === 0 ? null : {
    min: +(Math.min(...ms) / 1000).toFixed(1),
    mean: +(ms.reduce((a, b) => a + b, 0) / ms.length / 1000).toFixed(1),
    max: +(Math.max(...ms) / 1000).toFixed(1),
  });

  const summary = {
    seed: SEED,
    kills: figures.kills,
    killsRightAfterAnswer: figures.killsAfterAnswer,
    killsWithAnswersUnsettled: figures.killsWithUnsettled,
    restarts: figures.restarts,
    restartSeconds: stats(restartMs),
    blocksLostOnRestart: figures.blocksLostOnRestart,
    requestsSent: inEscrow.length,
    requestTxsLostInKills: all.length - inEscrow.length,
    answerCalls: figures.answerCalls,
    answerCallsDropped: figures.dropped,
    answerCallsRefusedOtherwise: figures.refusedOther,
    topUpErrors: figures.topUpErrors,
    answered: answered.length,
    // Asked, the reply lost in a kill, then refused as "already answered" (the node had
    // reserved or answered it): settled if the node had the answer on disk, else refunded at
    // expiry. At most once either way.
    replyLostThenRefusedAsAnswered: storedOnly.length,
    replyLostThenRefusedAsAnsweredSettled: storedOnly.filter((r) => attributed.get(r.id) === 1).length,
    answerSeconds: stats(answered.map((r) => r.answerMs)),
    answerToSettledSeconds: stats(answered.filter((r) => r.seenSettledAt).map((r) => r.seenSettledAt - r.answeredAtMs)),
    settled: settledIds.length,
    settledTwice: twice.length,
    lost: lost.length,
    answeredAgainAfterRestart: figures.reanswered,
    settlementFailedEvents: failures.length,
    stillPending: inEscrow.filter((r) => status.get(r.id) === 'Pending').length,
    blocks: best,
    blocksScanned: scanned,
    settleWaitSeconds: settleWaitMs / 1000,
    totalSeconds: totalMs / 1000,
  };
  console.log('crash: kills', JSON.stringify(kills));
  if (failures.length) console.log('crash: SettlementFailed', JSON.stringify(failures.slice(0, 20)));
  console.log('crash: figures', JSON.stringify(summary, null, 2));
  const describe = (r) => JSON.stringify({
    id: r.id, user: r.user, nonce: r.nonce, answeredAt: r.answeredAt, answeredEpoch: r.answeredEpoch, nodeStored: r.nodeStored,
    drops: r.drops, errors: r.errors, status: status.get(r.id), attributed: attributed.get(r.id) ?? 0, feeSettled: feeSettled.get(r.id) ?? 0,
  });

  assert.ok(figures.kills >= KILLS, `only ${figures.kills} kills within the time budget`);
  assert.equal(figures.restarts, figures.kills);
  assert.ok(answered.length > 0, 'the node answered under the load');
  assert.deepEqual(twice.map((id) => ({ id, attributed: attributed.get(id), feeSettled: feeSettled.get(id) })), [], 'no request settled twice');
  assert.deepEqual(lost.map(describe), [], `every answered request settled exactly once; see ${node.logPath}`);
  for (const r of answered) {
    const record = onChain.get(r.id);
    assert.equal(record.outputHash.toHex(), r.answer.outputHash, `${r.id} settled for the answer the user got`);
    assert.equal(record.tokensOut.toNumber(), r.answer.tokensOut);
    assert.equal(record.user.toHex(), u8aToHex(decodeAddress(r.address)));
    // The receipt the user got is the worker's, and says what was settled.
    const { receipt } = r.answer;
    await verifyReceipt(api, receipt);
    assert.deepEqual(
      [receipt.request, receipt.tokensIn, receipt.tokensOut, receipt.outputHash, receipt.adapterHash, receipt.version],
      [r.id, record.tokensIn.toNumber(), record.tokensOut.toNumber(), record.outputHash.toHex(), record.adapterHash.toHex(), record.version.toNumber()],
      `${r.id}: the receipt matches the settlement`,
    );
    assert.equal(record.worker.toString(), receipt.worker);
  }
  for (const r of inEscrow.filter((x) => !x.answer)) {
    const n = attributed.get(r.id) ?? 0;
    assert.ok(n <= 1, describe(r));
    assert.equal(status.get(r.id), n === 1 ? 'Settled' : 'Pending', describe(r));
  }
  assert.equal(figures.reanswered, 0, 'a request answered before a kill is not answered again after it');
});
