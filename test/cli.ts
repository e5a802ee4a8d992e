// The CLI as tests drive it: an entry run as a Node process (exit code, stdout and stderr, a
// failing exit included), and `strata ci` in process.
import { execFile, type ExecFileOptions } from 'node:child_process';
import { promisify } from 'node:util';
import { runCi } from '../src/cli/ci';

const exec = promisify(execFile);

export interface CliRun { code: number; stdout: string; stderr: string }

/** `node --import tsx ENTRY ARGS...`; a non-zero exit is a result, not a rejection. */
export async function runEntry(entry: string, args: string[], opts: ExecFileOptions = {}): Promise<CliRun> {
  try {
    const { stdout, stderr } = await exec(process.execPath, ['--import', import.meta.resolve('tsx'), entry, ...args], { maxBuffer: 64 << 20, ...opts, encoding: 'utf8' });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

/** `strata ci ARGS...` in process: stdout and stderr as text, and the exit code. */
export async function ciInProcess(...args: string[]): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await runCi(args, { write: (s) => { stdout += s; } }, { write: (s) => { stderr += s; } });
  return { code, stdout, stderr };
}
