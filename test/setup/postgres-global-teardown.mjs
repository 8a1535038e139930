// Jest's globalTeardown: stops the cluster postgres-global-setup.mjs started, if it started one.
export default function globalTeardown() {
  globalThis.perfguardTestCluster?.stop();
  globalThis.perfguardTestCluster = undefined;
}
