import { describe, expect, it } from 'vitest';
import { parseApkInstalled } from './apk';
import { parseCondaMeta } from './conda';
import { parseDpkgList, parseDpkgStatus, parseMd5sums } from './dpkg';
import { parsePackageJson } from './npm';
import { parseCsv, parseMetadata, parseRecord } from './pip';

function collect() {
  const messages: string[] = [];
  return { messages, warn: (m: string) => void messages.push(m) };
}

describe('dpkg status', () => {
  const status = [
    'Package: bash',
    'Status: install ok installed',
    'Installed-Size: 7175',
    'Architecture: amd64',
    'Version: 5.2.15-2+b7',
    'Description: GNU Bourne Again SHell',
    ' Bash is an sh-compatible command language interpreter.',
    ' .',
    ' Second paragraph.',
    '',
    'Package: libfoo1',
    'Status: deinstall ok config-files',
    'Version: 1.0',
    '',
    'package: __proto__',
    'STATUS: install ok installed',
    'Version: 1:2.0~rc1',
    '',
  ].join('\r\n');

  it('reads installed packages with sizes in KiB and skips removed ones', () => {
    const { messages, warn } = collect();
    const pkgs = parseDpkgStatus(status, warn);
    expect(pkgs.filter((p) => p.installed).map((p) => [p.name, p.version, p.installedSizeKiB])).toEqual([
      ['bash', '5.2.15-2+b7', 7175],
      ['__proto__', '1:2.0~rc1', undefined],
    ]);
    expect(pkgs.find((p) => p.name === 'libfoo1')?.installed).toBe(false);
    expect(messages).toEqual([]);
  });

  it('warns about junk and keeps going', () => {
    const { messages, warn } = collect();
    const pkgs = parseDpkgStatus('\u0000\u0001garbage\n continuation without field\nVersion: 1\n\nPackage: ok\nVersion: 2\n', warn);
    expect(pkgs.map((p) => p.name)).toEqual(['ok']);
    expect(messages.length).toBe(3);
  });

  it('reads .list and md5sums files as relative paths', () => {
    const { messages, warn } = collect();
    expect(parseDpkgList('/.\n/bin\n/bin/bash\n/usr/share/doc/bash/copyright\nnot-a-path\n', warn))
      .toEqual(['bin', 'bin/bash', 'usr/share/doc/bash/copyright']);
    expect(messages).toHaveLength(1);
    expect(parseMd5sums('d41d8cd98f00b204e9800998ecf8427e  usr/lib/x86_64-linux-gnu/libc.so.6\n', warn))
      .toEqual(['usr/lib/x86_64-linux-gnu/libc.so.6']);
  });
});

describe('pip', () => {
  it('parses RECORD rows with quoted commas and paths that climb out of site-packages', () => {
    const record = [
      'torch/__init__.py,sha256=abc,1000',
      '"torch/odd,name.py",sha256=def,20',
      '"torch/say ""hi"".txt",,',
      '../../../bin/torchrun,sha256=ghi,300',
      'torch-2.3.0.dist-info/RECORD,,',
      '../../../../../../../etc/escape,,',
      '',
    ].join('\n');
    const { messages, warn } = collect();
    expect(parseRecord(record, 'usr/local/lib/python3.11/site-packages', warn)).toEqual([
      'usr/local/lib/python3.11/site-packages/torch/__init__.py',
      'usr/local/lib/python3.11/site-packages/torch/odd,name.py',
      'usr/local/lib/python3.11/site-packages/torch/say "hi".txt',
      'usr/local/bin/torchrun',
      'usr/local/lib/python3.11/site-packages/torch-2.3.0.dist-info/RECORD',
    ]);
    expect(messages).toEqual(['row 6 has no usable path']);
  });

  it('survives an unterminated quote', () => {
    const { messages, warn } = collect();
    expect(parseCsv('a,"b\nc', warn)).toEqual([['a', 'b\nc']]);
    expect(messages).toEqual(['unterminated quoted field']);
  });

  it('reads Name and Version from METADATA headers only', () => {
    const meta = 'Metadata-Version: 2.1\nName: torch\nVersion: 2.3.0\n\nName: not-this\n';
    expect(parseMetadata(meta)).toEqual({ name: 'torch', version: '2.3.0' });
  });
});

describe('conda-meta', () => {
  it('reads files, falling back to paths_data', () => {
    const { warn } = collect();
    expect(parseCondaMeta('{"name":"numpy","version":"1.26.4","files":["lib/a.so",3]}', warn))
      .toEqual({ name: 'numpy', version: '1.26.4', files: ['lib/a.so'] });
    const pd = '{"name":"zlib","version":"1.3","paths_data":{"paths":[{"_path":"lib/libz.so.1","size_in_bytes":9}]}}';
    expect(parseCondaMeta(pd, warn)?.files).toEqual(['lib/libz.so.1']);
  });

  it('warns on junk', () => {
    const { messages, warn } = collect();
    expect(parseCondaMeta('{"name":', warn)).toBeNull();
    expect(parseCondaMeta('[1,2]', warn)).toBeNull();
    expect(messages).toHaveLength(2);
  });
});

describe('apk installed', () => {
  it('reads P/V/F/R blocks', () => {
    const db = 'C:Q1abc=\nP:musl\nV:1.2.4-r2\nF:lib\nR:ld-musl-x86_64.so.1\nR:libc.musl-x86_64.so.1\n\nP:busybox\nV:1.36.1-r5\nF:bin\nR:busybox\nF:etc\n\n';
    const { messages, warn } = collect();
    expect(parseApkInstalled(db, warn)).toEqual([
      { name: 'musl', version: '1.2.4-r2', files: ['lib/ld-musl-x86_64.so.1', 'lib/libc.musl-x86_64.so.1'] },
      { name: 'busybox', version: '1.36.1-r5', files: ['bin/busybox'] },
    ]);
    expect(messages).toEqual([]);
  });

  it('warns about lines that are not fields and blocks without a name', () => {
    const { messages, warn } = collect();
    expect(parseApkInstalled('garbage line\nV:1\n\nP:x\n', warn).map((e) => e.name)).toEqual(['x']);
    expect(messages).toHaveLength(2);
  });
});

describe('package.json', () => {
  it('reads name and version, tolerating odd keys and junk', () => {
    const { messages, warn } = collect();
    expect(parsePackageJson('{"__proto__":{"x":1},"name":"constructor","version":"1.0.0"}', warn))
      .toEqual({ name: 'constructor', version: '1.0.0' });
    expect(parsePackageJson('\u00ff\u00fe', warn)).toBeNull();
    expect(parsePackageJson('"a string"', warn)).toBeNull();
    expect(messages).toHaveLength(2);
  });
});
