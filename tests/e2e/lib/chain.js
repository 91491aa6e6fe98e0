// polkadot.js helpers shared by the tests.
import assert from 'node:assert/strict';
import { ApiPromise, WsProvider, Keyring } from '@polkadot/api';
import { cryptoWaitReady } from '@polkadot/util-crypto';

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
