import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** Where node-gyp was found, in the order they are tried. */
export type NodeGypSource = 'npm_config_node_gyp' | 'node-install' | 'npm_execpath' | 'project';

/** The node-gyp script to run with the current Node, and how it was found. */
export interface NodeGypLocation {
  scriptPath: string;
  source: NodeGypSource;
}

/** What the lookups read; tests inject their own. */
export interface NodeGypLookup {
  env: NodeJS.ProcessEnv;
  execPath: string;
  cwd: string;
  resolve: (request: string, paths: string[]) => string | undefined;
}

const SCRIPT = path.join('node-gyp', 'bin', 'node-gyp.js');

function resolveQuietly(request: string, paths: string[]): string | undefined {
  try {
    return require.resolve(request, { paths });
  } catch {
    return undefined;
  }
}

/** The lookup of this process. */
export function processLookup(): NodeGypLookup {
  return { env: process.env, execPath: process.execPath, cwd: process.cwd(), resolve: resolveQuietly };
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** npm's own folder from `npm_execpath` (…/npm/bin/npm-cli.js), which npm sets for scripts. */
function npmDirFromExecPath(execPath: string | undefined): string | undefined {
  if (execPath === undefined || execPath === '') return undefined;
  const binDir = path.dirname(execPath);
  return path.basename(binDir) === 'bin' ? path.dirname(binDir) : undefined;
}

/**
 * Finds the node-gyp that ships with npm: `npm_config_node_gyp` (npm sets it when running
 * scripts), then npm beside this Node (`<prefix>/lib/node_modules/npm`, where the official
 * tarballs, nvm and Debian's nodesource package put it), then npm named by `npm_execpath`,
 * then a node-gyp the project itself depends on.
 * @returns undefined when none is found
 */
export function findNodeGyp(lookup: NodeGypLookup = processLookup()): NodeGypLocation | undefined {
  const fromEnv = lookup.env['npm_config_node_gyp'];
  if (fromEnv !== undefined && fromEnv !== '' && isFile(fromEnv)) {
    return { scriptPath: fromEnv, source: 'npm_config_node_gyp' };
  }
  const prefix = path.dirname(path.dirname(lookup.execPath));
  const besideNode = path.join(prefix, 'lib', 'node_modules', 'npm', 'node_modules', SCRIPT);
  if (isFile(besideNode)) return { scriptPath: besideNode, source: 'node-install' };
  const npmDir = npmDirFromExecPath(lookup.env['npm_execpath']);
  const fromNpm = npmDir === undefined ? undefined : lookup.resolve(SCRIPT, [npmDir]);
  if (fromNpm !== undefined) return { scriptPath: fromNpm, source: 'npm_execpath' };
  const fromProject = lookup.resolve(SCRIPT, [lookup.cwd]);
  if (fromProject !== undefined) return { scriptPath: fromProject, source: 'project' };
  return undefined;
}

/**
 * The folder holding this Node's own headers (`<prefix>/include/node/node_api.h`), which
 * the official tarballs, nvm and Debian ship. node-gyp would otherwise download them from
 * nodejs.org, which fails on machines without network access.
 */
export function findLocalNodeHeaders(execPath: string, env: NodeJS.ProcessEnv): string | undefined {
  const configured = env['npm_config_nodedir'];
  if (configured !== undefined && configured !== '') return configured;
  const prefix = path.dirname(path.dirname(execPath));
  const headers = path.join(prefix, 'include', 'node');
  return isFile(path.join(headers, 'node_api.h')) && isFile(path.join(headers, 'common.gypi')) ? prefix : undefined;
}

/** The outcome of one node-gyp run: its exit code and its interleaved output. */
export interface NodeGypRun {
  exitCode: number | null;
  output: string;
}

/** Runs `node <node-gyp> rebuild` in `cwd` with this Node, collecting all its output. */
export function runNodeGyp(
  scriptPath: string,
  cwd: string,
  options: { execPath: string; env: NodeJS.ProcessEnv },
): Promise<NodeGypRun> {
  const nodeDir = findLocalNodeHeaders(options.execPath, options.env);
  const args = [scriptPath, 'rebuild', ...(nodeDir === undefined ? [] : [`--nodedir=${nodeDir}`])];
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const child = spawn(options.execPath, args, { cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.on('error', (error) => resolve({ exitCode: null, output: `${Buffer.concat(chunks).toString()}\n${error.message}` }));
    child.on('close', (code) => resolve({ exitCode: code, output: Buffer.concat(chunks).toString() }));
  });
}

/** Known causes of a failed build, matched on node-gyp's and the compiler's output. */
const DIAGNOSES: { pattern: RegExp; fix: string }[] = [
  {
    pattern: /valgrind\/(callgrind|valgrind)\.h/,
    fix: "Valgrind's headers (valgrind/callgrind.h) are missing. Install Valgrind, which ships them: `apt-get install -y valgrind` (Debian/Ubuntu) or `dnf install -y valgrind-devel` (Fedora).",
  },
  {
    pattern: /find any Python|Python is not set|could not find python/i,
    fix: 'node-gyp needs Python 3 and found none. Install it (`apt-get install -y python3`) or point `npm_config_python` at one.',
  },
  {
    pattern: /\b(cc|gcc|g\+\+|c\+\+|make)\b[^\n]*(not found|No such file or directory)|command not found|not found: make/i,
    fix: 'A C compiler or make is missing. Install them: `apt-get install -y build-essential` (Debian/Ubuntu).',
  },
  {
    pattern: /node-v[\d.]+-headers|nodejs\.org|ENOTFOUND|ECONNREFUSED|EAI_AGAIN|network/i,
    fix: "node-gyp tried to download Node's headers and could not. Point `npm_config_nodedir` at a Node source or headers folder (one holding include/node/node_api.h), or allow access to nodejs.org once.",
  },
];

/** The fix for a failed build, read from its output; a generic hint when none matches. */
export function diagnoseBuildFailure(output: string): string {
  const known = DIAGNOSES.find(({ pattern }) => pattern.test(output));
  return known?.fix ?? 'Read the build output below; the addon needs a C compiler, make, Python 3 and Valgrind\'s headers (`apt-get install -y build-essential python3 valgrind`).';
}
