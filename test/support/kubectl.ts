import { execFile, spawn, type ChildProcessWithoutNullStreams } from "node:child_process";

// A discovery cache per test process: simulated servers reuse ports across runs.
const CACHE_DIR = `/tmp/fleetgraph-kubectl-cache-${process.pid}`;

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real kubectl binary against a kubeconfig; never throws on a non-zero exit. */
export function kubectl(kubeconfig: string, args: string[], timeoutMs = 20_000): Promise<KubectlResult> {
  return new Promise((resolve) => {
    execFile(
      "kubectl",
      [`--kubeconfig=${kubeconfig}`, ...args],
      {
        timeout: timeoutMs,
        env: { ...process.env, KUBECONFIG: kubeconfig, KUBECACHEDIR: CACHE_DIR },
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Starts a long-running kubectl (get -w, logs -f) and collects its output as it arrives. */
export function kubectlStream(
  kubeconfig: string,
  args: string[],
): { child: ChildProcessWithoutNullStreams; output: () => string; stop: () => void } {
  const child = spawn("kubectl", [`--kubeconfig=${kubeconfig}`, ...args], {
    env: { ...process.env, KUBECONFIG: kubeconfig, KUBECACHEDIR: CACHE_DIR },
  });
  let out = "";
  child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString("utf8")));
  child.stderr.on("data", (chunk: Buffer) => (out += chunk.toString("utf8")));
  return { child, output: () => out, stop: () => void child.kill("SIGTERM") };
}
