// The Ethereum side of the end-to-end tests: `openledger-node eth-rpc` in front of a node, and
// Solidity compiled by solc (the npm build of the compiler).
import { spawn } from 'node:child_process';
import { createWriteStream, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import solc from 'solc';
import { freePort, nodeBinary, repoRoot, sleep, tempDir } from './node.js';

/** OpenLedger's EIP-155 chain id. */
export const CHAIN_ID = 1612n;

/** The OpenLedger precompile (runtime/solidity/IOpenLedger.sol). */
export const OPENLEDGER_PRECOMPILE = '0x0000000000000000000000000000000016120000';

/** Ethereum development keys funded on `--dev` ("Alith", "Baltathar"; test only). */
export const DEV_ETH_KEYS = {
  alith: '0x5fb92d6e98884f76de468fa3f6278f8807c48bebc13595d45af5bdc4da702133',
  baltathar: '0x8075991ce870b93a8870eca0c0f91913d12f47948ca0fd25b49c6fa7cdbeee8b',
};

/** The 32-byte account of an Ethereum address: the address, then twelve 0xEE bytes. */
export function ethAccountId(address) {
  return `0x${address.slice(2).toLowerCase()}${'ee'.repeat(12)}`;
}

/** `openledger-node eth-rpc` serving Ethereum JSON-RPC for `node`, with its log next to its data. */
export class EthRpc {
  constructor(node) {
    this.node = node;
    this.basePath = tempDir('eth-rpc-');
    this.proc = null;
  }

  async start() {
    this.port = await freePort();
    const prometheusPort = await freePort();
    const args = [
      'eth-rpc',
      '--dev',
      '--node-rpc-url', this.node.wsUrl,
      '--rpc-port', String(this.port),
      '--prometheus-port', String(prometheusPort),
      '--base-path', this.basePath,
    ];
    this.logPath = `${this.basePath}.log`;
    const log = createWriteStream(this.logPath, { flags: 'a' });
    this.proc = spawn(nodeBinary(), args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.proc.stdout.pipe(log);
    this.proc.stderr.pipe(log);
    this.exited = new Promise((resolve) => this.proc.on('exit', (code, signal) => resolve({ code, signal })));
    let exited = false;
    this.exited.then(() => { exited = true; });
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline) {
      if (exited) throw new Error(`eth-rpc exited during start-up; see ${this.logPath}`);
      try {
        await this.rpc('eth_chainId');
        return this;
      } catch {
        await sleep(500);
      }
    }
    throw new Error(`eth-rpc not up after 120 s; see ${this.logPath}`);
  }

  get url() {
    return `http://127.0.0.1:${this.port}`;
  }

  /** One JSON-RPC call; rejects with the server's error message. */
  async rpc(method, params = []) {
    const res = await fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
    });
    const body = await res.json();
    if (body.error) throw new Error(`${method}: ${body.error.message}`);
    return body.result;
  }

  async cleanup() {
    if (this.proc && this.proc.exitCode === null && this.proc.signalCode === null) {
      this.proc.kill('SIGINT');
      const timer = setTimeout(() => this.proc.kill('SIGKILL'), 15_000);
      await this.exited;
      clearTimeout(timer);
    }
    if (!process.env.KEEP_TEST_DATA) rmSync(this.basePath, { recursive: true, force: true });
  }
}

/**
 * Compiles Solidity sources (`{ 'File.sol': text }`; `IOpenLedger.sol` is added) for the Cancun
 * EVM and returns `{ File: { Contract: { abi, bytecode } } }`; compiler errors throw.
 */
export function compileSolidity(sources) {
  const iface = readFileSync(path.join(repoRoot, 'runtime', 'solidity', 'IOpenLedger.sol'), 'utf8');
  const input = {
    language: 'Solidity',
    sources: Object.fromEntries(
      Object.entries({ 'IOpenLedger.sol': iface, ...sources }).map(([name, content]) => [name, { content }]),
    ),
    settings: {
      evmVersion: 'cancun',
      optimizer: { enabled: true, runs: 200 },
      outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } },
    },
  };
  const output = JSON.parse(solc.compile(JSON.stringify(input)));
  const errors = (output.errors ?? []).filter((e) => e.severity === 'error');
  if (errors.length > 0) throw new Error(errors.map((e) => e.formattedMessage).join('\n'));
  const contracts = {};
  for (const [file, byName] of Object.entries(output.contracts)) {
    contracts[file.replace(/\.sol$/, '')] = Object.fromEntries(
      Object.entries(byName).map(([name, c]) => [name, { abi: c.abi, bytecode: `0x${c.evm.bytecode.object}` }]),
    );
  }
  return contracts;
}
