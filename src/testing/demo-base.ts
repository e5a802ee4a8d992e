// The demo's base layer: shaped like a slim Debian bookworm root filesystem. Every dpkg package is
// declared once with its files, and both var/lib/dpkg/status and var/lib/dpkg/info/<pkg>.list are
// generated from that table, so package attribution in the app has real data to find. apt's lists
// are left behind in var/lib/apt/lists/ on purpose: a finding the app should report.

import type { LayerSpec } from './layer';
import { noise, type FileSpec } from './tar-writer';

export interface DebPackage {
  name: string;
  version: string;
  section: string;
  /** Multi-Arch: same packages name their info files `<pkg>:amd64.list`, as dpkg does. */
  multiArch?: 'same' | 'foreign';
  description: string;
  files: FileSpec[];
}

let seed = 1000;
const bin = (path: string, kib: number, mode = 0o755): FileSpec => ({ path, content: noise(kib * 1024, seed++), mode });
const link = (path: string, linkname: string): FileSpec => ({ path, type: 'symlink', linkname });

/** Placeholder licence text. */
const APACHE_LICENSE_TEXT = [
  '                                 Apache License',
  '                           Version 2.0, January 2004',
  '                        http://www.apache.org/licenses/',
  '',
  ...Array.from({ length: 160 }, (_, i) => `   ${i + 1}. (placeholder clause for the Strata demo image; the full licence text is not reproduced)`),
  '',
].join('\n');

const LIBGFORTRAN = noise(120 * 1024, 77);

const LIBDIR = 'usr/lib/x86_64-linux-gnu';

const OS_RELEASE = `PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
NAME="Debian GNU/Linux"
VERSION_ID="12"
VERSION="12 (bookworm)"
VERSION_CODENAME=bookworm
ID=debian
HOME_URL="https://www.debian.org/"
SUPPORT_URL="https://www.debian.org/support"
BUG_REPORT_URL="https://bugs.debian.org/"
`;

export const DEBIAN_PACKAGES: DebPackage[] = [
  {
    name: 'base-files', version: '12.4+deb12u5', section: 'admin', description: 'Debian base system miscellaneous files',
    files: [
      { path: 'etc/os-release', content: OS_RELEASE },
      { path: 'etc/debian_version', content: '12.5\n' },
      { path: 'usr/share/common-licenses/Apache-2.0', content: APACHE_LICENSE_TEXT },
    ],
  },
  {
    name: 'bash', version: '5.2.15-2+b2', section: 'shells', multiArch: 'foreign', description: 'GNU Bourne Again SHell',
    files: [bin('bin/bash', 160), { path: 'etc/bash.bashrc', content: '# System-wide .bashrc file\n[ -z "$PS1" ] && return\n' }],
  },
  {
    name: 'dash', version: '0.5.12-2', section: 'shells', multiArch: 'foreign', description: 'POSIX-compliant shell',
    files: [bin('bin/dash', 48), link('bin/sh', 'dash')],
  },
  {
    name: 'coreutils', version: '9.1-1', section: 'utils', multiArch: 'foreign', description: 'GNU core utilities',
    files: [bin('bin/cat', 12), bin('bin/cp', 28), bin('bin/ls', 36), bin('bin/rm', 16)],
  },
  {
    name: 'perl-base', version: '5.36.0-7+deb12u1', section: 'perl', description: 'minimal Perl system',
    files: [bin('usr/bin/perl', 64), { path: 'usr/bin/perl5.36.0', type: 'hardlink', linkname: 'usr/bin/perl' }],
  },
  {
    name: 'libc6', version: '2.36-9+deb12u7', section: 'libs', multiArch: 'same', description: 'GNU C Library: Shared libraries',
    files: [bin(`${LIBDIR}/libc.so.6`, 240), bin(`${LIBDIR}/libm.so.6`, 48), bin(`${LIBDIR}/ld-linux-x86-64.so.2`, 40)],
  },
  {
    name: 'libssl3', version: '3.0.11-1~deb12u2', section: 'libs', multiArch: 'same', description: 'Secure Sockets Layer toolkit - shared libraries',
    files: [bin(`${LIBDIR}/libssl.so.3`, 56, 0o644), bin(`${LIBDIR}/libcrypto.so.3`, 200, 0o644)],
  },
  {
    name: 'zlib1g', version: '1:1.2.13.dfsg-1', section: 'libs', multiArch: 'same', description: 'compression library - runtime',
    files: [bin(`${LIBDIR}/libz.so.1.2.13`, 24, 0o644), link(`${LIBDIR}/libz.so.1`, 'libz.so.1.2.13')],
  },
  {
    name: 'libgfortran5', version: '12.2.0-14', section: 'libs', multiArch: 'same', description: 'Runtime library for GNU Fortran applications',
    files: [
      { path: `${LIBDIR}/libgfortran.so.5.0.0`, content: LIBGFORTRAN },
      link(`${LIBDIR}/libgfortran.so.5`, 'libgfortran.so.5.0.0'),
    ],
  },
  {
    name: 'libsqlite3-0', version: '3.40.1-2', section: 'libs', multiArch: 'same', description: 'SQLite 3 shared library',
    files: [bin(`${LIBDIR}/libsqlite3.so.0.8.6`, 90, 0o644), link(`${LIBDIR}/libsqlite3.so.0`, 'libsqlite3.so.0.8.6')],
  },
];

export function dpkgStatus(pkgs: DebPackage[]): string {
  return pkgs.map((p) => {
    const kib = Math.max(1, Math.round(p.files.reduce((n, f) => n + (f.content?.length ?? 0), 0) / 1024));
    return [
      `Package: ${p.name}`,
      'Status: install ok installed',
      'Priority: required',
      `Section: ${p.section}`,
      `Installed-Size: ${kib}`,
      'Maintainer: Debian Maintainers <debian-devel@lists.debian.org>',
      'Architecture: amd64',
      ...(p.multiArch ? [`Multi-Arch: ${p.multiArch}`] : []),
      `Version: ${p.version}`,
      `Description: ${p.description}`,
      '',
    ].join('\n');
  }).join('\n');
}

/** dpkg's .list: "/." then every directory and file the package installed, absolute, sorted. */
export function dpkgList(p: DebPackage): string {
  const paths = new Set<string>(['/.']);
  for (const f of p.files) {
    const parts = f.path.split('/');
    for (let i = 1; i <= parts.length; i++) paths.add(`/${parts.slice(0, i).join('/')}`);
  }
  return `${[...paths].sort().join('\n')}\n`;
}

export function infoName(p: DebPackage): string {
  return p.multiArch === 'same' ? `${p.name}:amd64` : p.name;
}

const APT_LISTS = 'var/lib/apt/lists';

function aptLists(): FileSpec[] {
  const inRelease = Array.from({ length: 300 }, (_, i) => ` ${'0'.repeat(8)}${(i * 7919).toString(16).padStart(8, '0')} ${1000 + i} main/binary-amd64/Packages`).join('\n');
  return [
    { path: `${APT_LISTS}/lock`, content: '', mode: 0o640 },
    { path: `${APT_LISTS}/partial`, type: 'dir', mode: 0o700, uid: 42, uname: '_apt' },
    { path: `${APT_LISTS}/deb.example.org_debian_dists_bookworm_InRelease`, content: `Origin: Debian\nSuite: stable\nCodename: bookworm\nSHA256:\n${inRelease}\n` },
    { path: `${APT_LISTS}/deb.example.org_debian_dists_bookworm_main_binary-amd64_Packages.lz4`, content: noise(180 * 1024, 4242) },
  ];
}

function systemFiles(): FileSpec[] {
  return [
    { path: 'etc/passwd', content: 'root:x:0:0:root:/root:/bin/bash\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n' },
    { path: 'etc/group', content: 'root:x:0:\nshadow:x:42:\nnogroup:x:65534:\n' },
    { path: 'etc/shadow', content: 'root:*:19837:0:99999:7:::\nnobody:*:19837:0:99999:7:::\n', mode: 0o640, gid: 42, gname: 'shadow' },
    { path: 'root', type: 'dir', mode: 0o700 },
    { path: 'tmp', type: 'dir', mode: 0o1777 },
    { path: 'var/lib/dpkg/status', content: dpkgStatus(DEBIAN_PACKAGES) },
  ];
}

export function debianBaseLayer(): LayerSpec {
  const files: FileSpec[] = [...systemFiles(), ...aptLists()];
  for (const p of DEBIAN_PACKAGES) {
    files.push(...p.files);
    files.push({ path: `var/lib/dpkg/info/${infoName(p)}.list`, content: dpkgList(p) });
  }
  return { files, createdBy: "# debian.sh --arch 'amd64' out/ 'bookworm' '@1714953600'" };
}
