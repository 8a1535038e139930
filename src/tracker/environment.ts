import os from 'node:os';

/** Where a measurement was taken. Baselines are matched on {@link EnvironmentFingerprint.key}. */
export interface EnvironmentFingerprint {
  nodeVersion: string;
  v8Version: string;
  platform: string;
  osRelease: string;
  arch: string;
  cpuModel: string;
  cpuCores: number;
  totalMemoryBytes: number;
  /**
   * Coarse key that baselines are matched on: OS, arch, Node major version, core count and
   * CPU model. Never the CPU frequency, which moves from second to second.
   */
  key: string;
}

/** The coarse environment key of a fingerprint's parts. */
export function environmentKey(parts: Omit<EnvironmentFingerprint, 'key'>): string {
  const nodeMajor = parts.nodeVersion.replace(/^v/, '').split('.')[0] ?? '?';
  const model = parts.cpuModel.replace(/\s+/g, ' ').trim() || 'unknown cpu';
  return `${parts.platform}-${parts.arch} node${nodeMajor} ${parts.cpuCores}x ${model}`;
}

/** Reads the current machine's fingerprint. */
export function captureEnvironment(): EnvironmentFingerprint {
  const cpus = os.cpus();
  const parts = {
    nodeVersion: process.version,
    v8Version: process.versions.v8,
    platform: process.platform,
    osRelease: os.release(),
    arch: process.arch,
    cpuModel: cpus[0]?.model ?? 'unknown cpu',
    cpuCores: typeof os.availableParallelism === 'function' ? os.availableParallelism() : cpus.length,
    totalMemoryBytes: os.totalmem(),
  };
  return { ...parts, key: environmentKey(parts) };
}
