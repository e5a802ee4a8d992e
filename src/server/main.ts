// `node --import tsx src/server/main.ts [--port N] [--host H] [--root DIR] [--open] [--allow-registry HOST[:PORT]]...`
// Serves the Vite build (dist/) and the registry proxy (`/registry/`, registry-proxy.ts). Nothing
// the user opens is uploaded: files dropped on the page are read in the browser, and the proxy only
// reads from registries. `--allow-registry` (repeatable; `http://HOST:PORT` for a plain-http one)
// lets the proxy reach a registry on a loopback or private address.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAppServer, listen } from './app-server';
import { AllowList } from './hop-policy';
import { ownHostNames } from './proxy-request';
import { createRegistryProxy, PROXY_PREFIX } from './registry-proxy';

interface Args { port: number; host: string; root: string; open: boolean; allowRegistry: string[] }

function parseArgs(argv: string[]): Args {
  const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
  const args: Args = { port: 5174, host: '127.0.0.1', root: path.join(repo, 'dist'), open: false, allowRegistry: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--port') args.port = Number(value());
    else if (a === '--host') args.host = value();
    else if (a === '--root') args.root = path.resolve(value());
    else if (a === '--open') args.open = true;
    else if (a === '--allow-registry') args.allowRegistry.push(value());
    else throw new Error(`unknown argument: ${a}`);
  }
  if (!Number.isInteger(args.port) || args.port < 0 || args.port > 65535) throw new Error('--port must be 0-65535');
  return args;
}

/** Opens the URL in the default browser if there is one; never fails. */
function openBrowser(url: string): void {
  const cmd = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  try {
    const child = spawn(cmd, [url], { stdio: 'ignore', detached: true });
    child.on('error', () => console.log(`(no browser to open; visit ${url})`));
    child.unref();
  } catch {
    console.log(`(no browser to open; visit ${url})`);
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (!existsSync(path.join(args.root, 'index.html'))) {
    console.error(`No build in ${args.root}: run \`npx vite build\` (or \`npm start\`) first.`);
    process.exit(1);
  }
  const allow = AllowList.parse(args.allowRegistry);
  let ownHosts = new Set<string>();
  const proxy = createRegistryProxy({ allow, ownHosts: () => ownHosts });
  const server = createAppServer({ root: args.root, routes: [{ prefix: PROXY_PREFIX, handler: proxy.handler }] });
  const port = await listen(server, args.port, args.host);
  ownHosts = ownHostNames(args.host, port);
  if (allow.entries.length) console.log(`The registry proxy may reach ${args.allowRegistry.join(', ')} on loopback or private addresses.`);
  const url = `http://${args.host === '0.0.0.0' ? 'localhost' : args.host}:${port}/`;
  console.log(`Strata is serving ${args.root} at ${url}`);
  // Opened at #demo: the page loads the demo images at once (see src/ui/landing/landing.tsx).
  if (args.open) openBrowser(`${url}#demo`);
  console.log(`Open ${url}#demo to start with the demo images loaded.`);
  const stop = () => { proxy.close(); server.close(() => process.exit(0)); };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
