import { cpuSeconds, cpuSecondsFromStat } from '../../../bench/http/targets';

describe('bench/http target CPU from /proc', () => {
  it('reads utime + stime (fields 14 and 15) in USER_HZ ticks, whatever the command name holds', () => {
    const stat = '4242 (node (worker) x) S 1 4242 4242 0 -1 4194560 9071 0 0 0 1234 567 0 0 20 0 11 0 100 1000000 5000 18446744073709551615';
    expect(cpuSecondsFromStat(stat)).toBeCloseTo(18.01, 10);
    expect(cpuSecondsFromStat('7 (sh) R 1')).toBeNaN();
  });

  it("reads this process's own CPU, which only grows", () => {
    const first = cpuSeconds(process.pid);
    let spin = 0;
    for (let i = 0; i < 2e7; i++) spin += i % 7;
    expect(spin).toBeGreaterThan(0);
    expect(cpuSeconds(process.pid)).toBeGreaterThanOrEqual(first);
    expect(first).toBeGreaterThan(0);
  });
});
