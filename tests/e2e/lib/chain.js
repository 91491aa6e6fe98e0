// polkadot.js helpers shared by the tests.
import assert from 'node:assert/strict';
import { ApiPromise, WsProvider, Keyring } from '@polkadot/api';
import { blake2AsU8a, cryptoWaitReady, encodeAddress, signatureVerify } from '@polkadot/util-crypto';
import { stringToU8a, u8aConcat, u8aToHex } from '@polkadot/util';

/** 1 OPEN in the smallest unit (18 decimals). */
export const OPEN = 10n ** 18n;

export async function connect(node) {
  await cryptoWaitReady();
  const provider = new WsProvider(node.wsUrl, 1000);
  const api = await ApiPromise.create({ provider, noInitWarn: true, throwOnConnect: true });
  return api;
}

export function keyring() {
  return new Keyring({ type: 'sr25519', ss58Format: 42 });
}

export async function freeBalance(api, address, at) {
  const query = at ? await api.at(at) : api;
  const { data } = await query.query.system.account(address);
  return data.free.toBigInt();
}

/**
 * Signs and sends `tx`, resolving once its block is FINALIZED with the block hash, the events of
 * the extrinsic, and its dispatch error decoded (`section.name`, or null on success).
 */
export function sendAndFinalize(api, tx, signer, options = {}) {
  return send(api, tx, signer, { ...options, finalized: true });
}

/**
 * As `sendAndFinalize`, resolving as soon as the extrinsic is in a block of the best chain.
 * `options.nonce` sends several from one signer without waiting for blocks.
 */
export function sendInBlock(api, tx, signer, options = {}) {
  return send(api, tx, signer, { ...options, finalized: false });
}

function send(api, tx, signer, { finalized, nonce = -1 }) {
  return new Promise((resolve, reject) => {
    let unsub;
    tx.signAndSend(signer, { nonce }, (result) => {
      const { status, events, dispatchError } = result;
      if (status.isInvalid || status.isDropped || status.isUsurped) {
        unsub?.();
        reject(new Error(`transaction ${status.type}`));
        return;
      }
      if (finalized ? status.isFinalized : status.isInBlock) {
        unsub?.();
        let error = null;
        if (dispatchError) {
          if (dispatchError.isModule) {
            const meta = api.registry.findMetaError(dispatchError.asModule);
            error = { kind: 'module', name: `${meta.section}.${meta.name}`, docs: meta.docs.join(' ') };
          } else if (dispatchError.isToken) {
            error = { kind: 'token', name: `Token.${dispatchError.asToken.type}` };
          } else {
            error = { kind: dispatchError.type, name: dispatchError.toString() };
          }
        }
        const blockHash = (finalized ? status.asFinalized : status.asInBlock).toHex();
        resolve({ blockHash, events, error });
      }
    })
      .then((u) => { unsub = u; })
      .catch(reject);
  });
}

/** Sends `tx` into a block and asserts that it succeeded; resolves with the extrinsic's events. */
export async function sendOk(api, tx, signer, options = {}) {
  const { events, error } = await sendInBlock(api, tx, signer, options);
  assert.equal(error, null, `${tx.method.section}.${tx.method.method}: ${JSON.stringify(error)}`);
  return events.map(({ event }) => event);
}

/** The event `section.method` among `events`, asserted to be there. */
export function findEvent(events, section, method) {
  const event = events.find((e) => e.section === section && e.method === method);
  assert.ok(event, `event ${section}.${method}`);
  return event;
}

// ---- Consent-bound settlement (requests naming tokensIn and workers, receipts, training sets).

/** The leaf of contribution `id` in a training set's Merkle tree: blake2-256 of the id as u64 LE. */
function trainingLeaf(id) {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(id), true);
  return blake2AsU8a(bytes, 256);
}

/**
 * The training-data root of a set of contribution ids, as the chain checks it at
 * `modelRegistry.registerVersion`: a binary Merkle tree (blake2-256) over the ids in the order
 * given (ascending for a valid set), pairs hashed as blake2_256(left ‖ right), an odd last node
 * promoted unchanged; one id gives its leaf hash, none the zero hash.
 */
export function trainingRoot(ids) {
  if (ids.length === 0) return u8aToHex(new Uint8Array(32));
  let level = ids.map(trainingLeaf);
  while (level.length > 1) {
    const next = [];
    for (let i = 0; i < level.length; i += 2) {
      next.push(i + 1 < level.length ? blake2AsU8a(u8aConcat(level[i], level[i + 1]), 256) : level[i]);
    }
    level = next;
  }
  return u8aToHex(level[0]);
}

/**
 * `modelRegistry.registerVersion` with a ModelFactory job's manifest: its provenance, tokenizer
 * and training set (`manifest.contributions`, ascending).
 */
export function registerVersionTx(api, model, manifest) {
  const m = manifest;
  return api.tx.modelRegistry.registerVersion(
    model, m.adapterHash, m.baseModelHash, m.tokenizerHash, m.trainingDataRoot, m.trainingDataCount, m.configHash,
    (m.evalScores ?? []).map((s) => ({ metric: s.metric, valueMicros: s.value_micros })),
    m.contributions,
  );
}

/**
 * What a serving node says to sign a paid request of `prompt` with (`inference_quoteRequest`):
 * `{model, version, tokenizerHash, promptHash, tokensIn, workers, maxFee}`. `rpc` is a
 * `Node` (its `rpc` method is used) or a function `(method, params) => Promise`.
 */
export async function quoteRequest(rpc, { model, prompt, maxOutputTokens }) {
  const call = typeof rpc === 'function' ? rpc : (method, params) => rpc.rpc(method, params);
  return call('inference_quoteRequest', [{ model, prompt, maxOutputTokens }]);
}

/**
 * A `feeSplit.InferenceRequest` of `prompt` built from the node's quote: its promptHash, tokensIn
 * and workers (all the node's workers for the model unless `workers` is given), `maxFee` the
 * quote's unless given. Resolves with `{request, quote}`.
 */
export async function quotedRequest(rpc, { model, prompt, maxOutputTokens, nonce, expiresAt, maxFee, workers }) {
  const quote = await quoteRequest(rpc, { model, prompt, maxOutputTokens });
  const request = {
    model,
    promptHash: quote.promptHash,
    tokensIn: quote.tokensIn,
    workers: workers ?? quote.workers,
    maxOutputTokens,
    maxFee: maxFee ?? BigInt(quote.maxFee),
    nonce,
    expiresAt,
  };
  return { request, quote };
}

/** The receipt's fields that its worker signs (without `worker` and `signature`). */
export function receiptFields(receipt) {
  const { request, model, version, adapterHash, tokensIn, tokensOut, outputHash } = receipt;
  return { request, model, version, adapterHash, tokensIn, tokensOut, outputHash };
}

/**
 * Asserts that a paid answer's receipt is signed by its worker: sr25519 over the digest the
 * runtime computes (`attributionApi.receiptDigest`). Resolves with the digest (hex).
 */
export async function verifyReceipt(api, receipt) {
  assert.ok(receipt, 'the answer carries a receipt');
  const digest = (await api.call.attributionApi.receiptDigest(receiptFields(receipt))).toU8a();
  const { isValid, crypto } = signatureVerify(digest, receipt.signature, receipt.worker);
  assert.ok(isValid, `the receipt of ${receipt.request} is signed by its worker ${receipt.worker}`);
  assert.equal(crypto, 'sr25519');
  return u8aToHex(digest);
}

/** Asserts that a receipt says what the settled record (`attribution_record`) says. */
export function assertReceiptMatchesRecord(receipt, record) {
  assert.deepEqual(
    { ...receiptFields(receipt), worker: receipt.worker },
    {
      request: record.request, model: record.model, version: record.version, adapterHash: record.adapterHash,
      tokensIn: record.tokensIn, tokensOut: record.tokensOut, outputHash: record.outputHash, worker: record.worker,
    },
    'the receipt matches the settlement',
  );
}

/** The sum of a fee breakdown's shares (JSON of `attribution_record`): equals its `fee`. */
export function sharesTotal(fee) {
  return ['platform', 'modelOwner', 'worker', 'stakers', 'contributors', 'remainder']
    .reduce((sum, k) => sum + BigInt(fee[k]), 0n);
}

/** The model registry's staking pot, which holds stakers' rewards until they claim them. */
export function stakingPot(api) {
  const id = u8aConcat(stringToU8a('modl'), api.consts.modelRegistry.palletId.toU8a(), new Uint8Array(32));
  return encodeAddress(id.subarray(0, 32), 42);
}
