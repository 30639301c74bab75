import { clientSource, rateLimitSubject } from './client-source';

describe('clientSource', () => {
  it.each([
    ['203.0.113.77', '203.0.113.0/24'],
    ['::ffff:198.51.100.9', '198.51.100.0/24'],
    ['127.0.0.1', '127.0.0.0/24'],
    ['2001:db8:abcd:12::1', '2001:db8:abcd::/48'],
    ['2001:0DB8:0001:0000:0000:0000:0000:0001', '2001:db8:1::/48'],
    ['::1', '0:0:0::/48'],
    ['fe80::1%eth0', 'fe80:0:0::/48'],
    ['::ffff:c000:0280', '0:0:0::/48'],
  ])('truncates %s to %s', (ip, expected) => {
    expect(clientSource(ip)).toBe(expected);
  });

  it.each([[undefined], [''], ['not-an-ip'], ['999.1.1.1']])('names %j unknown', (ip) => {
    expect(clientSource(ip)).toBe('unknown');
  });

  it('never returns the full address', () => {
    for (const ip of ['203.0.113.77', '2001:db8:abcd:12:3456:789a:bcde:f012']) {
      expect(clientSource(ip)).not.toContain(ip);
    }
  });
});

describe('rateLimitSubject (what per-IP limits count)', () => {
  it('counts every address of one IPv6 /64 as one client', () => {
    const subjects = new Set(['2001:db8:abcd:12::1', '2001:db8:abcd:12:ffff:ffff:ffff:fffe', '2001:0db8:abcd:0012:1234:5678:9abc:def0', '2001:db8:abcd:12::1%eth0'].map(rateLimitSubject));
    expect([...subjects]).toEqual(['2001:db8:abcd:12::/64']);
    expect(rateLimitSubject('2001:db8:abcd:13::1')).toBe('2001:db8:abcd:13::/64');
  });

  it('counts IPv4 (and IPv4-mapped IPv6) addresses one by one', () => {
    expect(rateLimitSubject('203.0.113.77')).toBe('203.0.113.77');
    expect(rateLimitSubject('::ffff:203.0.113.77')).toBe('203.0.113.77');
    expect(rateLimitSubject('203.0.113.78')).toBe('203.0.113.78');
  });
});
