import { spawn, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

export const PROJECT_ROOT = fileURLToPath(new URL("../../", import.meta.url));

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs one of the project's CLIs (cli/<name>.ts) in a child Node process, as `npm run` would. */
export function runCliScript(name: string, args: string[], env: NodeJS.ProcessEnv = {}): CliRun {
  const run = spawnSync(process.execPath, [`cli/${name}.ts`, ...args], {
    cwd: PROJECT_ROOT,
    encoding: "utf8",
    env: { ...process.env, ...env },
    timeout: 60_000,
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** The same, without blocking this process: for CLIs that talk to servers the test runs. */
export function runCliAsync(name: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  return startCli(name, args, env).done;
}

/** A CLI started, for a test that signals it while it runs (Ctrl-C): the process and its run when it ends. */
export function startCli(name: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const child = spawn(process.execPath, [`cli/${name}.ts`, ...args], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString("utf8");
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
  });
  const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
  const done = new Promise<CliRun>((resolve) => {
    child.on("close", (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
  return { child, done };
}
