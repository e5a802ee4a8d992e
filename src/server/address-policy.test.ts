import { describe, expect, it } from 'vitest';
import { classifyAddress, parseIPv6 } from './address-policy';

const cls = (ip: string) => classifyAddress(ip)?.cls;

describe('classifyAddress', () => {
  it('never lets the proxy reach metadata, link-local, unspecified, multicast or reserved addresses', () => {
    for (const ip of ['169.254.169.254', '169.254.0.1', '0.0.0.0', '0.1.2.3', '224.0.0.1', '239.255.255.250',
      '255.255.255.255', '240.0.0.1', '192.0.2.10', '::', 'fe80::1', 'febf::1', 'ff02::1', '2001:db8::1',
      '::ffff:169.254.169.254', '[::ffff:a9fe:a9fe]', '64:ff9b::a9fe:a9fe', '2002:a9fe:a9fe::1', '::169.254.169.254',
      '2001:0:4136:e378:8000:63bf:3fff:fdd2']) {
      expect([ip, cls(ip)]).toEqual([ip, 'forbidden']);
    }
  });

  it('classes loopback, RFC 1918, CGNAT and unique-local addresses as private, IPv4-mapped forms too', () => {
    for (const ip of ['127.0.0.1', '127.1.2.3', '10.0.0.1', '172.16.0.1', '172.31.255.255', '192.168.1.1', '100.64.0.1',
      '100.127.255.254', '::1', '[::1]', '::ffff:127.0.0.1', '::ffff:7f00:1', '[::ffff:7f00:1]', '::ffff:10.1.2.3',
      '64:ff9b::a00:1', '2002:c0a8:101::1', 'fc00::1', 'fd12:3456::1', '0:0:0:0:0:0:0:1']) {
      expect([ip, cls(ip)]).toEqual([ip, 'private']);
    }
  });

  it('classes ordinary internet addresses as public, the edges of the private ranges included', () => {
    for (const ip of ['8.8.8.8', '1.1.1.1', '172.15.255.255', '172.32.0.0', '100.63.255.255', '100.128.0.0',
      '169.253.255.255', '192.169.0.1', '11.0.0.1', '2606:4700::1111', '::ffff:8.8.8.8', '2a00:1450:4001::200e']) {
      expect([ip, cls(ip)]).toEqual([ip, 'public']);
    }
  });

  it('says a host name is not an address, and parses IPv6 spellings to the same groups', () => {
    expect(classifyAddress('registry.example.com')).toBeNull();
    expect(parseIPv6('::ffff:127.0.0.1')).toEqual([0, 0, 0, 0, 0, 0xffff, 0x7f00, 1]);
    expect(parseIPv6('1::')).toEqual([1, 0, 0, 0, 0, 0, 0, 0]);
    expect(parseIPv6('1:2:3:4:5:6:7:8')).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(parseIPv6('1:2:3')).toBeNull();
    expect(parseIPv6('1::2::3')).toBeNull();
  });
});
