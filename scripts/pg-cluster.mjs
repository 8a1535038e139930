#!/usr/bin/env node
// A throwaway PostgreSQL cluster for perfguard's tests and benchmarks: initdb into a temporary
// folder, listening on 127.0.0.1 and a Unix socket in that folder only, TLS on with a
// self-signed certificate made for 127.0.0.1 (or off, to test servers without TLS), password
// (SCRAM) authentication for everyone.
// Nothing is installed or changed outside the folder; stopping removes it.
//
//   import { findPostgresBin, startCluster } from './pg-cluster.mjs'
//   node scripts/pg-cluster.mjs check       prints where the server binaries are, or why none
//   node scripts/pg-cluster.mjs start [--no-tls]  starts one, prints its admin URL and folder (stop it yourself)
//   node scripts/pg-cluster.mjs stop DIR    stops the cluster in DIR and removes DIR
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ADMIN_USER = 'postgres';

/** Where initdb, pg_ctl and postgres live: PERFGUARD_PG_BIN, pg_config --bindir, Debian's folders, else PATH. */
export function findPostgresBin(env = process.env) {
  const candidates = [];
  if (env.PERFGUARD_PG_BIN) candidates.push(env.PERFGUARD_PG_BIN);
  const pgConfig = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' });
  if (pgConfig.status === 0) candidates.push(pgConfig.stdout.trim());
  const debian = '/usr/lib/postgresql';
  if (fs.existsSync(debian)) {
    const versions = fs.readdirSync(debian).filter((name) => /^\d+$/.test(name)).sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((version) => path.join(debian, version, 'bin')));
  }
  candidates.push(...(env.PATH ?? '').split(path.delimiter));
  const found = candidates.find((dir) => dir && ['initdb', 'pg_ctl', 'postgres'].every((tool) => fs.existsSync(path.join(dir, tool))));
  if (found !== undefined) return { bin: found };
  return { reason: 'no PostgreSQL server binaries (initdb, pg_ctl, postgres) were found: install them (Debian: apt-get install postgresql), or set PERFGUARD_PG_BIN to their folder, or PERFGUARD_TEST_PG_URL to a server of your own' };
}

/** initdb and the server refuse to run as root: as root, they run as the `postgres` user. */
function runAs() {
  if (process.getuid?.() !== 0) return { prefix: [], owner: undefined };
  const id = spawnSync('id', ['-u', ADMIN_USER], { encoding: 'utf8' });
  if (id.status !== 0) throw new Error(`running as root, the cluster must run as the user ${ADMIN_USER}, which does not exist here (Debian's postgresql package creates it)`);
  const gid = spawnSync('id', ['-g', ADMIN_USER], { encoding: 'utf8' });
  return { prefix: ['runuser', '-u', ADMIN_USER, '--'], owner: { uid: Number(id.stdout.trim()), gid: Number(gid.stdout.trim()) } };
}

function run(prefix, command, args, options = {}) {
  const [program, ...rest] = [...prefix, command, ...args];
  return execFileSync(program, rest, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...options });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function chownTree(dir, owner) {
  if (owner === undefined) return;
  fs.chownSync(dir, owner.uid, owner.gid);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) chownTree(full, owner);
    else fs.chownSync(full, owner.uid, owner.gid);
  }
}

/** A self-signed certificate for 127.0.0.1 and localhost, so TLS (and sslmode) can be tested for real. */
function makeCertificate(dir) {
  const cert = path.join(dir, 'server.crt');
  const key = path.join(dir, 'server.key');
  execFileSync('openssl', ['req', '-new', '-x509', '-days', '2', '-nodes', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost', '-keyout', key, '-out', cert], { stdio: 'pipe' });
  fs.chmodSync(key, 0o600);
  return { cert, key };
}

/**
 * Starts a cluster in a new temporary folder and resolves to its admin URL (superuser
 * `postgres` with a random password, over 127.0.0.1), the certificate it serves (undefined
 * with `tls: false`), and `stop()`. `durable: false` (for tests) turns fsync off; benchmarks
 * keep the defaults.
 */
export async function startCluster({ durable = true, tls = true, bin = findPostgresBin().bin } = {}) {
  if (bin === undefined) throw new Error(findPostgresBin().reason);
  const { prefix, owner } = runAs();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'perfguard-pg-'));
  const data = path.join(dir, 'data');
  const password = randomBytes(12).toString('hex');
  fs.writeFileSync(path.join(dir, 'pwfile'), `${password}\n`);
  const certificate = tls ? makeCertificate(dir) : undefined;
  chownTree(dir, owner);
  const initdbArgs = ['-D', data, '-U', ADMIN_USER, '--auth=scram-sha-256', `--pwfile=${path.join(dir, 'pwfile')}`, '-E', 'UTF8', '--no-locale'];
  run(prefix, path.join(bin, 'initdb'), durable ? initdbArgs : [...initdbArgs, '--no-sync']);
  fs.rmSync(path.join(dir, 'pwfile'));
  let lastError;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const settings = [`-k ${dir}`, '-h 127.0.0.1', `-p ${port}`, '-c max_connections=200'];
    if (certificate !== undefined) settings.push('-c ssl=on', `-c ssl_cert_file=${certificate.cert}`, `-c ssl_key_file=${certificate.key}`);
    if (!durable) settings.push('-c fsync=off', '-c full_page_writes=off');
    try {
      run(prefix, path.join(bin, 'pg_ctl'), ['-D', data, '-o', settings.join(' '), '-l', path.join(dir, 'server.log'), '-w', '-t', '60', 'start']);
      const stop = () => stopCluster(dir, bin);
      return { adminUrl: `postgres://${ADMIN_USER}:${password}@127.0.0.1:${port}/postgres`, host: '127.0.0.1', port, dir, certificate: certificate?.cert, stop };
    } catch (error) {
      lastError = error;
    }
  }
  const log = fs.existsSync(path.join(dir, 'server.log')) ? fs.readFileSync(path.join(dir, 'server.log'), 'utf8') : '';
  fs.rmSync(dir, { recursive: true, force: true });
  throw new Error(`the PostgreSQL test cluster did not start: ${String(lastError?.stderr ?? lastError)}\n${log}`);
}

/** Stops the cluster in `dir` (immediately: it is thrown away) and removes the folder. */
export function stopCluster(dir, bin = findPostgresBin().bin) {
  const data = path.join(dir, 'data');
  if (fs.existsSync(path.join(data, 'postmaster.pid'))) {
    const { prefix } = runAs();
    try {
      run(prefix, path.join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
    } catch {
      // Already stopped: removing the folder is all that is left.
    }
  }
  fs.rmSync(dir, { recursive: true, force: true });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [command, dir] = process.argv.slice(2);
  if (command === 'check') {
    const found = findPostgresBin();
    console.log(found.bin ?? found.reason);
    process.exitCode = found.bin === undefined ? 1 : 0;
  } else if (command === 'start') {
    const cluster = await startCluster({ durable: false, tls: dir !== '--no-tls' });
    console.log(`PERFGUARD_TEST_PG_URL=${cluster.adminUrl}`);
    console.log(`stop with: node scripts/pg-cluster.mjs stop ${cluster.dir}`);
  } else if (command === 'stop' && dir !== undefined) {
    stopCluster(dir);
  } else {
    console.error('usage: node scripts/pg-cluster.mjs check | start | stop DIR');
    process.exitCode = 2;
  }
}
