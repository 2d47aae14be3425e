/**
 * The package as a user gets it: `npm pack` of the built tree, installed into an empty project
 * with the network closed (`npm ci --offline`: every tarball from the npm cache this machine
 * filled, onnxruntime-node's CUDA download skipped as the README says), as an offline Ascend
 * cluster would install it from a copied cache.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface InstalledPackage {
  /** The tarball `npm pack` wrote. */
  tarball: string;
  /** What `npm pack --json` says is in it. */
  files: string[];
  /** The consumer project the tarball was installed into. */
  project: string;
  /** Its node_modules/.bin/port-check. */
  bin: string;
}

interface LockEntry {
  dev?: boolean;
  [key: string]: unknown;
}

export function packAndInstall(): InstalledPackage {
  // In the tarball every file has the same date, so the bin runs dist/cli/ whatever its age here.
  if (statSync('dist/cli/main.js').mtimeMs < statSync('dist/src/cli/main.js').mtimeMs) {
    throw new Error('dist/cli/ (the bundled CLI) is older than dist/src/: run `npm run build` (or node dist/scripts/bundle-cli.js) before packing');
  }
  const root = mkdtempSync(path.join(tmpdir(), 'port-check-pack-'));
  // The tree is built already (npm test builds first): pack it as it is.
  const packed = JSON.parse(
    execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', root], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }),
  ) as { filename: string; files: { path: string }[] }[];
  const tarball = path.join(root, packed[0]!.filename);
  const project = path.join(root, 'consumer');
  mkdirSync(project);
  writeConsumerProject(project, tarball);
  execFileSync('npm', ['ci', '--offline', '--no-audit', '--no-fund'], {
    cwd: project,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'skip', npm_config_offline: 'true' },
  });
  return { tarball, files: packed[0]!.files.map((f) => f.path), project, bin: path.join(project, 'node_modules', '.bin', 'port-check') };
}

/**
 * An empty project that depends on the tarball, with a lockfile: port-check's own locked
 * production dependencies (what `npm install port-check` resolves), so that npm needs no registry
 * metadata, only the cached tarballs.
 */
function writeConsumerProject(project: string, tarball: string): void {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as Record<string, unknown>;
  const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as { packages: Record<string, LockEntry> };
  const spec = `file:${path.relative(project, tarball)}`;
  const integrity = `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`;
  const packages: Record<string, unknown> = {
    '': { name: 'consumer', version: '1.0.0', dependencies: { 'port-check': spec } },
    'node_modules/port-check': {
      version: pkg.version, resolved: spec, integrity, license: pkg.license, dependencies: pkg.dependencies, bin: pkg.bin, engines: pkg.engines,
    },
  };
  for (const [key, entry] of Object.entries(lock.packages)) if (key !== '' && !entry.dev) packages[key] = entry;
  writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, dependencies: { 'port-check': spec } }));
  writeFileSync(path.join(project, 'package-lock.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', lockfileVersion: 3, requires: true, packages }));
}
