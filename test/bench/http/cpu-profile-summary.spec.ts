import { groupOf, summariseCpuProfile, threadOf, type CpuProfile } from '../../../bench/http/cpu-profile-summary';

describe('bench/http CPU profile summary', () => {
  it("groups frames by package, project folder, part of Node's core or V8", () => {
    expect(groupOf('file:///w/node_modules/@nestjs/core/router/x.js', 'f')).toBe('@nestjs/core');
    expect(groupOf('file:///w/node_modules/a/node_modules/fastify/lib/x.js', 'f')).toBe('fastify');
    expect(groupOf('/w/dist/libs/event-store/src/sqlite/store.js', 'f')).toBe('libs/event-store');
    expect(groupOf('file:///w/dist/apps/api/src/platform/commands/x.js', 'f')).toBe('apps/api/src/platform/commands');
    expect(groupOf('node:internal/crypto/sig', 'f')).toBe('node:internal/crypto');
    expect(groupOf('node:buffer', 'f')).toBe('node:buffer');
    expect(groupOf('', 'run')).toBe('(native or V8 builtin)');
    expect(groupOf('', '(garbage collector)')).toBe('(garbage collector)');
  });

  it('counts each sample until the next one, leaves idle out of the busy share', () => {
    const frame = (functionName: string, url: string) => ({ functionName, url, lineNumber: 9 });
    const profile: CpuProfile = {
      nodes: [
        { id: 1, callFrame: frame('(root)', '') },
        { id: 2, callFrame: frame('(idle)', '') },
        { id: 3, callFrame: frame('append', 'file:///w/dist/libs/event-store/src/a.js') },
        { id: 4, callFrame: frame('verify', 'file:///w/node_modules/@clerk/backend/dist/index.js') },
      ],
      startTime: 0,
      endTime: 10_000,
      samples: [3, 3, 4, 2],
      timeDeltas: [0, 3_000, 3_000, 1_000],
    };
    const summary = summariseCpuProfile(profile);
    expect(summary.wallMs).toBe(10);
    expect(summary.busyMs).toBe(7);
    expect(summary.byGroup).toEqual([
      { name: 'libs/event-store', ms: 6, percent: 85.7 },
      { name: '@clerk/backend', ms: 1, percent: 14.3 },
    ]);
    expect(summary.topFunctions[0].name).toBe('append libs/event-store/src/a.js:10');
    expect(summary.byFile.map((f) => f.name)).toEqual(['libs/event-store/src/a.js', '@clerk/backend/dist/index.js']);
    // Only the samples taken inside a window: the second append sample (at 3 ms) and the Clerk one (at 6 ms).
    const windowed = summariseCpuProfile(profile, { fromUs: 2_000, toUs: 7_000 });
    expect(windowed.wallMs).toBe(5);
    expect(windowed.byGroup).toEqual([
      { name: 'libs/event-store', ms: 3, percent: 75 },
      { name: '@clerk/backend', ms: 1, percent: 25 },
    ]);
  });

  it("names a profile's thread from Node's file name", () => {
    expect(threadOf('/tmp/p/CPU.20261207.015826.16125.0.001.cpuprofile')).toBe('main thread');
    expect(threadOf('CPU.20261207.015828.16125.1.002.cpuprofile')).toBe('worker thread 1');
  });
});
