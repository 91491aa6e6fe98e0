// Starts and stops real `openledger-node` processes for the end-to-end tests.
import { spawn, execFile } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync, createWriteStream, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '..', '..', '..');

/** The node binary under test: $OPENLEDGER_NODE, else the workspace's debug build. */
export function nodeBinary() {
  const fromEnv = process.env.OPENLEDGER_NODE;
  const targetDir = process.env.CARGO_TARGET_DIR || path.join(repoRoot, 'target');
  const bin = fromEnv || path.join(targetDir, 'debug', 'openledger-node');
  if (!existsSync(bin)) {
    throw new Error(`openledger-node not found at ${bin}: build it first (cargo build -p openledger-node)`);
  }
  return bin;
}

/** A TCP port on loopback that is free right now. */
export async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Runs the node binary to completion and returns its stdout. */
export async function runNode(args) {
  const { stdout } = await promisify(execFile)(nodeBinary(), args, { maxBuffer: 256 * 1024 * 1024 });
  return stdout;
}

/** Makes a temporary directory that `cleanup` removes. */
export function tempDir(prefix) {
  const base = path.join(repoRoot, 'tests', '.tmp');
  mkdirSync(base, { recursive: true });
  return mkdtempSync(path.join(base, prefix));
}

/**
 * A running node. `args` are extra CLI arguments; RPC, p2p and Prometheus ports are picked free.
 * Its log goes to `<basePath>.log` so a failing test can be read afterwards.
 */
export class Node {
  constructor({ name, args = [], basePath, p2pPort, nodeKey, inference = false }) {
    this.name = name;
    this.extraArgs = args;
    // Only the inference tests load the model; the others run without it.
    this.inference = inference;
    this.basePath = basePath ?? tempDir(`${name}-`);
    this.p2pPort = p2pPort;
    this.nodeKey = nodeKey;
    this.proc = null;
  }

  async start() {
    this.rpcPort = await freePort();
    this.p2pPort = this.p2pPort ?? (await freePort());
    this.prometheusPort = await freePort();
    this.openaiPort = await freePort();
    const args = [
      '--base-path', this.basePath,
      '--rpc-port', String(this.rpcPort),
      '--port', String(this.p2pPort),
      '--prometheus-port', String(this.prometheusPort),
      '--no-telemetry',
      '--no-mdns',
      '--rpc-cors', 'all',
      ...(this.nodeKey ? ['--node-key', this.nodeKey] : []),
      ...(this.inference ? ['--openai-port', String(this.openaiPort)] : ['--no-inference', '--openai-port', '0']),
      ...this.extraArgs,
    ];
    this.logPath = `${this.basePath}.log`;
    const log = createWriteStream(this.logPath, { flags: 'a' });
    this.proc = spawn(nodeBinary(), args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.proc.stdout.pipe(log);
    this.proc.stderr.pipe(log);
    this.exited = new Promise((resolve) => this.proc.on('exit', (code, signal) => resolve({ code, signal })));
    await this.waitForRpc();
    return this;
  }

  get wsUrl() {
    return `ws://127.0.0.1:${this.rpcPort}`;
  }

  /** Base URL of the OpenAI-compatible API (nodes started with `inference: true`). */
  get openaiUrl() {
    return `http://127.0.0.1:${this.openaiPort}/v1`;
  }

  get httpUrl() {
    return `http://127.0.0.1:${this.rpcPort}`;
  }

  /** One JSON-RPC call over HTTP. Rejects with the RPC error's message on an error reply. */
  async rpc(method, params = []) {
    const res = await fetch(this.httpUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
    });
    const body = await res.json();
    if (body.error) {
      const err = new Error(`${method}: ${body.error.message}${body.error.data ? `: ${JSON.stringify(body.error.data)}` : ''}`);
      err.rpc = body.error;
      throw err;
    }
    return body.result;
  }

  async waitForRpc(timeoutMs = 180_000) {
    const deadline = Date.now() + timeoutMs;
    let exited = false;
    this.exited.then(() => { exited = true; });
    while (Date.now() < deadline) {
      if (exited) throw new Error(`${this.name} exited during start-up; see ${this.logPath}`);
      try {
        await this.rpc('system_health');
        return;
      } catch {
        await sleep(500);
      }
    }
    throw new Error(`${this.name}: RPC not up after ${timeoutMs} ms; see ${this.logPath}`);
  }

  async bestNumber() {
    const header = await this.rpc('chain_getHeader');
    return parseInt(header.number, 16);
  }

  async finalizedNumber() {
    const hash = await this.rpc('chain_getFinalizedHead');
    const header = await this.rpc('chain_getHeader', [hash]);
    return parseInt(header.number, 16);
  }

  /** Waits until `probe()` returns a truthy value, polling every second. */
  async waitFor(what, probe, timeoutMs = 120_000) {
    const deadline = Date.now() + timeoutMs;
    let last;
    while (Date.now() < deadline) {
      try {
        last = await probe();
        if (last) return last;
      } catch (e) {
        last = e;
      }
      await sleep(1000);
    }
    throw new Error(`${this.name}: timed out waiting for ${what} (last: ${last}); see ${this.logPath}`);
  }

  async peerId() {
    return this.rpc('system_localPeerId');
  }

  get running() {
    return this.proc !== null && this.proc.exitCode === null && this.proc.signalCode === null;
  }

  /** Stops the node gracefully (SIGINT, as an operator's Ctrl-C), killing it if it hangs. */
  async stop() {
    if (!this.running) return;
    this.proc.kill('SIGINT');
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), 30_000);
    await this.exited;
    clearTimeout(timer);
  }

  /**
   * Kills the process with `signal` (SIGKILL by default: a crash, nothing is flushed or closed)
   * and returns a promise of its exit (`{code, signal}`). The signal is sent before this returns,
   * so a caller may kill at an exact moment without awaiting. The base path stays: `start()`
   * brings the node back on it.
   */
  kill(signal = 'SIGKILL') {
    if (this.running) this.proc.kill(signal);
    return this.exited ?? Promise.resolve(null);
  }

  /** Stops the node and removes its data. */
  async cleanup() {
    await this.stop();
    if (!process.env.KEEP_TEST_DATA) rmSync(this.basePath, { recursive: true, force: true });
  }
}

/**
 * A validator of `--chain local` (`name` is `alice` or `bob`), with a node key generated by
 * `key generate-node-key`.
 */
export async function localValidator(name, { args = [], inference = false } = {}) {
  const basePath = tempDir(`${name}-`);
  await runNode(['key', 'generate-node-key', '--chain', 'local', '--base-path', basePath]);
  return new Node({ name, basePath, inference, args: ['--chain', 'local', `--${name}`, '--validator', ...args] });
}
