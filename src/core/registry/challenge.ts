// `WWW-Authenticate` challenges (RFC 9110 11.6.1, auth-params with quoted strings) as registries send
// them: `Bearer realm="https://auth.example.com/token",service="registry.example.com",
// scope="repository:team/app:pull"` (Docker's token authentication spec) or `Basic realm="..."`.

export type Challenge =
  | { scheme: 'bearer'; realm: string; service?: string; scope?: string }
  | { scheme: 'basic' };

/** The first Bearer or Basic challenge in the header, or undefined when there is none we speak. */
export function parseChallenge(header: string | null): Challenge | undefined {
  if (!header) return undefined;
  for (const { scheme, params } of parseChallenges(header)) {
    if (scheme === 'basic') return { scheme: 'basic' };
    if (scheme === 'bearer' && params.realm) {
      return {
        scheme: 'bearer',
        realm: params.realm,
        ...(params.service !== undefined ? { service: params.service } : {}),
        ...(params.scope !== undefined ? { scope: params.scope } : {}),
      };
    }
  }
  return undefined;
}

interface RawChallenge { scheme: string; params: Record<string, string> }

function parseChallenges(header: string): RawChallenge[] {
  const out: RawChallenge[] = [];
  let i = 0;
  const n = header.length;
  const skip = (re: RegExp) => { while (i < n && re.test(header[i]!)) i++; };
  const token = () => { const s = i; skip(/[!#$%&'*+.^_`|~0-9A-Za-z-]/); return header.slice(s, i); };
  let current: RawChallenge | undefined;
  while (i < n) {
    skip(/[\s,]/);
    const start = i;
    const word = token();
    if (!word) { i++; continue; }
    skip(/[ \t]/);
    if (header[i] === '=' && current) {
      i++;
      skip(/[ \t]/);
      // Unquoted values should be tokens; servers send URLs unquoted too, so read to the comma.
      current.params[word.toLowerCase()] = header[i] === '"' ? quoted() : bare();
      continue;
    }
    if (i === start) { i++; continue; }
    current = { scheme: word.toLowerCase(), params: Object.create(null) as Record<string, string> };
    out.push(current);
  }
  return out;

  function bare(): string {
    const s = i;
    skip(/[^,\s]/);
    return header.slice(s, i);
  }

  function quoted(): string {
    i++; // opening quote
    let s = '';
    while (i < n && header[i] !== '"') {
      if (header[i] === '\\' && i + 1 < n) i++;
      s += header[i++];
    }
    i++; // closing quote
    return s;
  }
}
