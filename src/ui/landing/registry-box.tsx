// The registry box of the landing page: type a reference, press Enter or Pull. The pull goes
// through Strata's own server (the page cannot speak to registries directly: they send no CORS
// headers). A 401 turns the box into a username/password prompt; other failures say what to do.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { describeRateLimit, pullReference, referenceFromHash, resetPull, submitCredentials, useRegistryStore } from '../../store/registry-store';
import type { RegistryFailure } from '../../workers/protocol';

/** One pull per page load comes from the URL (`#ref=...`): going home does not pull it again. */
let hashConsumed = false;

/** What the user can do about each failure, after the message that names it. */
function advice(f: RegistryFailure): string {
  switch (f.code) {
    case 'bad-reference': return 'Write it as name[:tag] or name@sha256:…, e.g. python:3.12-slim or registry.example.com/org/app:1.';
    case 'not-found': return 'Check the repository name and the tag; private images answer “not found” to anonymous pulls on some registries.';
    case 'unauthorized': return 'Give a username and a password or access token.';
    case 'denied': return 'These credentials may not pull this image: use an account or token with pull access.';
    case 'rate-limited': return f.retryAfter !== undefined ? `Try again in ${formatWait(f.retryAfter)}, or log in for a higher limit.` : 'Try again later, or log in for a higher limit.';
    case 'unreachable': return 'Check the registry name and port, your connection, and that Strata’s server (npm start) is running.';
    case 'digest-mismatch': return 'The registry (or something between it and you) served other bytes than the digest names: do not trust this image.';
    case 'too-large': return 'This is not an image Strata can read from a registry.';
    default: return 'Try another reference, or save the image with docker save and drop the file above.';
  }
}

function formatWait(s: number): string {
  return s < 90 ? `${s} s` : s < 5400 ? `${Math.round(s / 60)} min` : `${(s / 3600).toFixed(1)} h`;
}

export function RegistryBox() {
  const phase = useRegistryStore((s) => s.phase);
  const failure = useRegistryStore((s) => s.failure);
  const registry = useRegistryStore((s) => s.registry);
  const stored = useRegistryStore((s) => s.text);
  const [text, setText] = useState(stored);
  const [user, setUser] = useState('');
  const [password, setPassword] = useState('');
  const userInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (hashConsumed) return;
    hashConsumed = true;
    const fromHash = referenceFromHash(window.location.hash);
    if (fromHash) {
      setText(fromHash.text);
      void pullReference(fromHash.text, fromHash.platform ? { platform: fromHash.platform } : {});
    }
  }, []);

  useEffect(() => {
    if (phase === 'credentials') userInput.current?.focus();
  }, [phase]);

  const pull = (e: FormEvent) => {
    e.preventDefault();
    if (text.trim()) void pullReference(text);
  };
  const login = (e: FormEvent) => {
    e.preventDefault();
    const u = user;
    const p = password;
    setPassword('');
    void submitCredentials(u, p);
  };

  return (
    <section className="card-block" data-testid="open.registry.box">
      <h2>From a registry</h2>
      <form onSubmit={pull} className="registry-form">
        <input type="text" value={text} onChange={(e) => setText(e.target.value)} placeholder="python:3.12-slim"
          aria-label="Image reference" spellCheck={false} autoCapitalize="off" autoComplete="off" data-testid="open.registry" />
        <button type="submit" className="primary" disabled={!text.trim() || phase === 'pulling'} data-testid="open.registry.pull">Pull</button>
      </form>
      {phase === 'credentials' && (
        <form onSubmit={login} className="registry-login" data-testid="open.registry.login">
          <p className="muted">{registry} wants credentials for this image. They stay in this tab’s memory and go only to {registry}.</p>
          <input ref={userInput} type="text" value={user} onChange={(e) => setUser(e.target.value)} placeholder="Username"
            aria-label="Username" autoComplete="username" data-testid="open.registry.user" />
          <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} placeholder="Password or access token"
            aria-label="Password or access token" autoComplete="current-password" data-testid="open.registry.password" />
          <div className="registry-login-buttons">
            <button type="submit" className="primary" disabled={!user || !password} data-testid="open.registry.login-submit">Log in and pull</button>
            <button type="button" className="ghost" onClick={resetPull}>Cancel</button>
          </div>
        </form>
      )}
      {failure && failure.code !== 'unauthorized' && (
        <div className="registry-error" role="alert" data-testid="open.registry.error" data-code={failure.code}>
          <strong>{failure.message}</strong>
          {failure.rateLimit && <span> ({describeRateLimit(failure.rateLimit)})</span>}
          <p className="muted">{advice(failure)}</p>
        </div>
      )}
      {failure?.code === 'unauthorized' && phase === 'credentials' && failure.message && (
        <p className="muted" data-testid="open.registry.error" data-code="unauthorized">{failure.message}</p>
      )}
      {phase !== 'credentials' && !failure && (
        <p className="muted">
          Docker Hub names (<code>python:3.12-slim</code>), any registry host (<code>registry.example.com/org/app:1</code>) or a digest
          (<code>name@sha256:…</code>). Strata’s server fetches for the page; layers are read here, as a dropped file is.
        </p>
      )}
    </section>
  );
}
