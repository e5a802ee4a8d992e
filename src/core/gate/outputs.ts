// Machine-readable gate results: the `ci` key of the JSON report, JUnit XML (a testcase per rule,
// the shape CI servers' test tabs read: `<failure>` fails, `<skipped>` skips) and SARIF 2.1.0
// (OASIS sarif-v2.1.0: rule results plus the findings, each with the image paths it names).

import type { GateResult } from './evaluate';
import type { RuleOutcome } from './rules';
import type { FindingKind } from '../findings';
import type { ReportCi } from '../report/report-format';
import { humanizeBytes } from './humanize';

/** The `ci` key of the `--json` report: names are a contract (issue 13). */
export function ciReport(g: GateResult): ReportCi {
  const f = g.figures;
  return {
    result: g.result,
    tally: g.tally,
    rules: g.rules.map((r) => ({ key: r.key, threshold: r.threshold, value: r.value, status: r.status, message: r.message })),
    figures: {
      efficiency: f.efficiency, wastedBytes: f.wastedBytes, userSizeBytes: f.userSizeBytes, userWastedPercent: f.userWastedPercent,
      sizeBytes: f.sizeBytes, layerCount: f.layerCount, baseLayers: f.baseLayers, reclaimableBytes: f.reclaimableBytes,
      ...(f.baseline ? { baseline: f.baseline } : {}),
    },
  };
}

// XML 1.0 allows tab, LF, CR and everything from U+0020 except surrogates and U+FFFE/FFFF;
// anything else (an ESC in a file name) cannot appear even escaped, so it is written as \xNN.
 
const XML_INVALID = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export function xmlEscape(s: string): string {
  return s
    .replace(XML_INVALID, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

export function junitReport(g: GateResult, image: string): string {
  const t = g.tally;
  const cases = g.rules.map((r) => testcase(r));
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="strata ci" tests="${t.total}" failures="${t.failed}" skipped="${t.skipped}">`,
    `  <testsuite name="${xmlEscape(`strata ci: ${image}`)}" tests="${t.total}" failures="${t.failed}" errors="0" skipped="${t.skipped}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

function testcase(r: RuleOutcome): string {
  const open = `    <testcase classname="strata.ci" name="${xmlEscape(r.key)}">`;
  const msg = xmlEscape(r.message);
  const detail = `value=${r.value ?? 'null'} threshold=${r.threshold ?? 'null'}`;
  switch (r.status) {
    case 'fail': return `${open}\n      <failure message="${msg}" type="${xmlEscape(r.key)}">${xmlEscape(detail)}</failure>\n    </testcase>`;
    case 'skip': return `${open}\n      <skipped message="${msg}"/>\n    </testcase>`;
    case 'warn': return `${open}\n      <system-out>${xmlEscape(`WARN: ${r.message} (${detail})`)}</system-out>\n    </testcase>`;
    case 'pass': return r.message ? `${open}\n      <system-out>${msg}</system-out>\n    </testcase>` : `${open}</testcase>`;
  }
}

/** A path inside the image as a SARIF artifact URI, relative to the image root (RFC 3986 escaped). */
export function imageUri(path: string): string {
  return path.replace(/^\/+/, '').split('/').map((seg) => encodeURIComponent(seg)).join('/');
}

export const FINDING_TITLES: Record<FindingKind, string> = {
  'apt-cache': "apt's package lists and downloaded packages left in the image",
  'pip-cache': "pip's download cache left in the image",
  'conda-pkgs': "conda's package cache left in the image",
  'npm-cache': "npm's cache left in the image",
  pycache: 'Python byte-code shipped in the image',
  'removed-later': 'files a later layer deletes or replaces, still shipped by the layer that wrote them',
  'duplicate-content': 'files with the same content shipped twice',
  'model-weights': 'model weights baked into the image',
  'build-tools': 'compilers, headers and build-only packages shipped in the image',
  'static-libs': 'static libraries shipped in the image',
  'uv-cache': "uv's cache left in the image",
  'stray-wheels': 'wheel files left in the image after installing them',
  'cuda-duplicate': 'CUDA libraries shipped twice (pip wheels beside a system CUDA)',
  'cuda-devel': 'CUDA development files (headers, static libraries, nvcc) in a runtime image',
  'gpu-unused': 'GPU libraries in an image that shows no sign of GPU use (heuristic)',
  'package-twice': 'a package installed twice, the lower copy shadowed',
};

const LEVEL = { fail: 'error', warn: 'warning', pass: 'none', skip: 'none' } as const;

export function sarifReport(g: GateResult, image: string) {
  const ruleResults = g.rules.filter((r) => r.status === 'fail' || r.status === 'warn').map((r) => ({
    ruleId: r.key,
    level: LEVEL[r.status],
    message: { text: r.message },
    properties: { value: r.value, threshold: r.threshold },
    ...(g.figures.inefficientFiles.length && /wasted|Efficiency/i.test(r.key)
      ? { locations: g.figures.inefficientFiles.slice(0, 20).map((f) => location(f.path, `${f.count} copies, ${f.sizeBytes} bytes`)) }
      : {}),
    ...(r.key === 'highestDirectoryGrowthBytes' && g.figures.baseline?.directoryGrowth
      ? { locations: [location(g.figures.baseline.directoryGrowth.path, `grew by ${g.figures.baseline.directoryGrowth.delta} bytes`)] }
      : {}),
  }));
  const findingResults = g.figures.findings.map((f) => ({
    ruleId: `finding/${f.kind}`,
    level: 'note' as const,
    message: { text: `${humanizeBytes(f.bytes)} (${f.bytes} bytes) in ${f.files} file${f.files === 1 ? '' : 's'}, layer ${f.layer}${f.step ? ` (${f.step})` : ''}. ${f.fix}` },
    properties: { bytes: f.bytes, files: f.files, layer: f.layer },
    locations: f.paths.map((p) => location(p)),
  }));
  const kinds = [...new Set(g.figures.findings.map((f) => f.kind))];
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'strata',
          rules: [
            ...g.rules.map((r) => ({ id: r.key, shortDescription: { text: `CI rule ${r.key}` } })),
            ...kinds.map((k) => ({ id: `finding/${k}`, shortDescription: { text: FINDING_TITLES[k] } })),
          ],
        },
      },
      originalUriBaseIds: { IMAGEROOT: { description: { text: `The root filesystem of ${image}` } } },
      results: [...ruleResults, ...findingResults],
    }],
  };
}

function location(path: string, text?: string) {
  return {
    physicalLocation: { artifactLocation: { uri: imageUri(path), uriBaseId: 'IMAGEROOT' } },
    ...(text ? { message: { text } } : {}),
  };
}
