// A token service for distribution's `auth: token` (docs/spec/auth/token.md and jwt.md): it answers
// GET /token?service=S&scope=repository:NAME:ACTIONS with an RS256 JWT whose header carries the
// signing certificate (`x5c`), which the registry trusts through `rootcertbundle`. The claims are
// distribution 2.8's: iss, sub, aud (the service), exp, nbf, iat, jti, access.
//
// Policy: anonymous callers may pull repositories under `public/`; a known user may pull anything,
// and push when the user is the pusher. Wrong credentials get a 401, as Docker Hub's service does.
// Test-only: no real server can show a token flow without one.

import { createPrivateKey, randomUUID, sign, X509Certificate, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TokenIssuerOptions {
  service: string;
  issuer: string;
  /** PEM certificate and its private key (openssl req -x509 ...). */
  certPem: string;
  keyPem: string;
  users: Record<string, string>;
  /** Users that may push as well as pull. */
  pushers: string[];
  /** Lifetime of a token, in seconds. */
  expiresIn?: number;
}

export interface IssuedToken { user: string | null; scopes: string[] }

export interface TokenIssuer {
  realm: string;
  /** Every request the service answered, in order: who asked, and for which scopes. */
  readonly requests: IssuedToken[];
  /** Requests that carried wrong credentials (answered 401). */
  readonly refused: number;
  expiresIn: number;
  stop(): Promise<void>;
}

export async function startTokenIssuer(o: TokenIssuerOptions): Promise<TokenIssuer> {
  const key = createPrivateKey(o.keyPem);
  const certDer = new X509Certificate(o.certPem).raw.toString('base64');
  const requests: IssuedToken[] = [];
  let refused = 0;
  const state = { expiresIn: o.expiresIn ?? 300 };
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://issuer');
    if (req.method !== 'GET' || url.pathname !== '/token') { res.writeHead(404).end(); return; }
    const user = checkUser(req.headers.authorization, o.users);
    if (user === false) {
      refused++;
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"details":"wrong credentials"}');
      return;
    }
    const scopes = url.searchParams.getAll('scope');
    requests.push({ user, scopes });
    const access = scopes.map((s) => grant(s, user, o.pushers)).filter((a) => a !== null);
    const now = Math.floor(Date.now() / 1000);
    const token = jwt(key, certDer, {
      iss: o.issuer, sub: user ?? '', aud: url.searchParams.get('service') ?? o.service,
      exp: now + state.expiresIn, nbf: now - 10, iat: now, jti: randomUUID(), access,
    });
    res.writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ token, access_token: token, expires_in: state.expiresIn, issued_at: new Date(now * 1000).toISOString() }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    realm: `http://127.0.0.1:${port}/token`,
    requests,
    get refused() { return refused; },
    get expiresIn() { return state.expiresIn; },
    set expiresIn(s: number) { state.expiresIn = s; },
    stop: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

/** null: anonymous; false: credentials given but wrong; else the user name. */
function checkUser(header: string | undefined, users: Record<string, string>): string | null | false {
  if (!header) return null;
  const m = /^Basic\s+(\S+)$/i.exec(header);
  if (!m) return false;
  const text = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = text.indexOf(':');
  const [user, password] = [text.slice(0, colon), text.slice(colon + 1)];
  return colon > 0 && Object.hasOwn(users, user) && users[user] === password ? user : false;
}

function grant(scope: string, user: string | null, pushers: string[]) {
  const m = /^repository:([^:]+):([a-z,*]+)$/.exec(scope);
  if (!m) return null;
  const [, name, actions] = m as unknown as [string, string, string];
  const allowed = new Set<string>();
  if (user !== null || name.startsWith('public/')) allowed.add('pull');
  if (user !== null && pushers.includes(user)) { allowed.add('push'); allowed.add('pull'); }
  return { type: 'repository', name, actions: actions.split(',').filter((a) => allowed.has(a)) };
}

function jwt(key: KeyObject, certDer: string, claims: Record<string, unknown>): string {
  const enc = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const signing = `${enc({ typ: 'JWT', alg: 'RS256', x5c: [certDer] })}.${enc(claims)}`;
  return `${signing}.${sign('sha256', Buffer.from(signing), key).toString('base64url')}`;
}
