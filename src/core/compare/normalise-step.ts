// A history step (`config.history[].created_by`) reduced to what the Dockerfile said, so one step
// built by two builders, or rebuilt with other content, compares equal.

/**
 * Drops `RUN ` (kaniko and BuildKit write it, the classic builder does not), the shell wrapper
 * (`/bin/sh -c `), the classic builder's `#(nop) ` marker and BuildKit's
 * `# buildkit` suffix, folds whitespace runs, and replaces the classic builder's content digests
 * in COPY/ADD (`file:<sha256> in /app`): those name the copied bytes, so a changed file would
 * otherwise make the step look like another step. BuildKit's `|N ARG=value` prefix is kept: a
 * changed build argument is a changed step.
 */
export function normaliseStep(createdBy: string): string {
  let s = createdBy.trim();
  s = s.replace(/^\/bin\/sh -c #\(nop\)\s*/, '').replace(/^#\(nop\)\s*/, '');
  s = s.replace(/^RUN\s+/, '').replace(/^(\|\d+ (?:\S+=\S*\s+)*)?\/bin\/(?:ba)?sh -c /, '$1');
  s = s.replace(/\s*# buildkit$/, '');
  s = s.replace(/\b(file|dir|multi):[0-9a-f]{64}\b/g, '$1:…');
  return s.replace(/\s+/g, ' ').trim();
}
