// The headers every response carries: a strict Content-Security-Policy and its companions. The page
// renders names, commands and labels from archives and registries anyone can craft; it renders them
// as text, and this policy makes a future slip harmless: no inline script, no eval, no plugin, no
// request to another origin (the registry goes through our own /registry/ proxy).
// CSP Level 3: https://www.w3.org/TR/CSP3/

/** The policy's directives, in the order they are sent. */
const DIRECTIVES: [string, string][] = [
  ['default-src', "'self'"],
  // Our own scripts and module workers only. 'wasm-unsafe-eval' lets zstddec and hash-wasm compile
  // their WebAssembly; it allows no eval() or new Function() of JavaScript.
  ['script-src', "'self' 'wasm-unsafe-eval'"],
  ['worker-src', "'self'"],
  // Stylesheets from our origin only. React's style={{...}} props and d3's selection.style() write
  // through the CSSOM, which style-src does not govern, so no 'unsafe-inline' is needed (and none
  // of our code writes a style attribute or a <style> element).
  ['style-src', "'self'"],
  // Our origin only (the registry goes through our /registry/ proxy), plus data: because zstddec
  // fetches its WebAssembly from a data: URL it carries; a data: URL reaches no server.
  ['connect-src', "'self' data:"],
  // Image previews of files inside an archive are blob: or data: URLs.
  ['img-src', "'self' blob: data:"],
  ['object-src', "'none'"],
  ['base-uri', "'none'"],
  ['form-action', "'none'"],
  ['frame-ancestors', "'none'"],
];

/**
 * The policy as a header value, or for the `<meta http-equiv>` the build writes into index.html
 * (static hosting of dist/). A meta policy cannot carry frame-ancestors (CSP3 §3.3: report-uri,
 * frame-ancestors and sandbox are not supported inside a meta element), so the meta form leaves it
 * out: only the header forbids framing. A meta policy also does not reach workers (they take the
 * policy of their script's response), so only the header governs them.
 */
export function contentSecurityPolicy(form: 'header' | 'meta' = 'header'): string {
  return DIRECTIVES.filter(([name]) => form === 'header' || name !== 'frame-ancestors')
    .map(([name, value]) => `${name} ${value}`)
    .join('; ');
}

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': contentSecurityPolicy('header'),
  // No URL of ours (which may name an image) leaks to another site.
  'Referrer-Policy': 'no-referrer',
  // A window we did not open cannot hold a reference to ours.
  'Cross-Origin-Opener-Policy': 'same-origin',
  'X-Content-Type-Options': 'nosniff',
};
