#!/usr/bin/env node
// `strata <command> [args]`: the installed command (package.json `bin`), bundled by
// scripts/build-cli.ts into dist-cli/strata.js so it runs on plain Node without tsx or a build.
//   strata analyze IMAGE [...]   the summary, --json report, --ls (src/cli/analyze.ts)
//   strata compare A [B] [...]   two images side by side, --json, --markdown (src/cli/compare.ts)
//   strata ci IMAGE [...]        the CI gate (src/cli/ci.ts)
//   strata serve [...]           serves the web app built into the package's dist/
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { endQuietlyOnClosedPipe } from './closed-pipe';

const USAGE = `usage: strata <command> [args]
  analyze IMAGE [--json FILE] [--ls] ...   what an image archive holds, dive's figures, the JSON report
  compare A [B] [--json FILE] ...          two images: layers aligned, files, directories, packages, config, pull cost
  ci IMAGE [--ci-config FILE] ...          the CI gate: dive's CI rules and ours (exit 0 pass, 1 fail, 2 misconfigured, 3 unreadable)
  serve [--port N] [--host H] [--open]     the web app, from this package's build
Run \`strata <command> --help\` for a command's options.`;

async function dispatch(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  // The commands read process.argv themselves: make it look as if each were run on its own.
  const runAs = (script: string, args: string[]) => { process.argv = [process.argv[0]!, script, ...args]; };
  switch (command) {
    case 'analyze':
      runAs('analyze', rest);
      await import('./analyze');
      return;
    case 'compare':
      runAs('compare', rest);
      await import('./compare');
      return;
    case 'ci': {
      const ci = await import('./ci');
      ci.main(rest);
      return;
    }
    case 'serve': {
      // The bundle sits in <package>/dist-cli; the web app's build in <package>/dist.
      const root = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
      const args = rest.includes('--root') || !existsSync(root) ? rest : ['--root', root, ...rest];
      runAs('serve', args);
      await import('../server/main');
      return;
    }
    case undefined: case '-h': case '--help': case 'help':
      process.stdout.write(`${USAGE}\n`);
      process.exitCode = command === undefined ? 1 : 0;
      return;
    default:
      process.stderr.write(`strata: unknown command '${command}'\n${USAGE}\n`);
      process.exitCode = 1;
  }
}

endQuietlyOnClosedPipe();

dispatch(process.argv.slice(2)).catch((e: unknown) => {
  process.stderr.write(`strata: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
