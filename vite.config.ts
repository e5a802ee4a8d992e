import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { contentSecurityPolicy } from './src/server/security-headers.ts';

/**
 * Writes the Content-Security-Policy into the built index.html as a `<meta http-equiv>`, right after
 * the charset, so dist/ hosted by any static server keeps the policy our server sends as a header
 * (the meta form leaves out frame-ancestors, which a meta cannot carry: see security-headers.ts).
 * Build only: the dev server injects an inline React Refresh preamble and <style> elements for
 * hot reloading, which the policy forbids, so `npm run dev` runs without a policy.
 */
function cspMeta(): Plugin {
  return {
    name: 'strata-csp-meta',
    apply: 'build',
    transformIndexHtml(html) {
      const charset = /<meta charset="UTF-8" \/>/;
      if (!charset.test(html)) throw new Error('index.html: no <meta charset="UTF-8" /> to put the CSP meta after');
      return html.replace(charset, (m) => `${m}\n    <meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy('meta')}" />`);
    },
  };
}

export default defineConfig({
  plugins: [react(), cspMeta()],
  worker: { format: 'es' },
  build: { target: 'es2022', sourcemap: true },
});
