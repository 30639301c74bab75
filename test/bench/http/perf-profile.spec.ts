import { formatThreadCpu, placeOf, summarisePerfScript } from '../../../bench/http/perf-profile';

/** Three samples of `perf script` as it prints them: a header line, then the stack, innermost frame first. */
const SCRIPT = `
node 101 1000.000001:   10101010 cpu-clock:pppH:
\t    ffffffff8d2a1c3f _raw_spin_unlock_irqrestore+0x1f ([kernel.kallsyms])
\t    7f00000a1234 pthread_cond_signal@@GLIBC_2.3.2+0x84 (/usr/lib/x86_64-linux-gnu/libc.so.6)
\t    55555555a000 node::crypto::CryptoJob<node::crypto::SignTraits>::Run+0x20 (/usr/bin/node)
\t    7f31b02cb2f3 JS:*signOneShot node:internal/crypto/sig:143:21 (/tmp/perf-101.map)
\t    7f31b0399e65 JS:*seal /work/main/dist/libs/ledger/src/sealed-ledger-writer.js:144:15 (/tmp/perf-101.map)

node 101 1000.000002:   10101010 cpu-clock:pppH:
\t    7f31b0399e65 JS:*seal /work/main/dist/libs/ledger/src/sealed-ledger-writer.js:144:15 (/tmp/perf-101.map)
\t    7f31b0399e00 JS:~handle file:///work/main/node_modules/@nestjs/core/router/router-proxy.js:3:9 (/tmp/perf-101.map)

node 102 1000.000003:   10101010 cpu-clock:pppH:
\t    7f1234567890 sqlite3VdbeExec+0x1a2 (/work/main/node_modules/better-sqlite3/build/Release/better_sqlite3.node)
\t    55555555b000 v8::internal::(anonymous namespace)::Invoke(v8::internal::Isolate*)+0x10 (/usr/bin/node)
`;

describe('perf profile summary', () => {
  it('splits samples by thread, by where the CPU was, by JavaScript function (inclusive, once a stack) and by native leaf', () => {
    const [main, worker] = summarisePerfScript(SCRIPT);
    expect(main).toMatchObject({ tid: '101', samples: 2, percent: 66.7 });
    expect(main.byPlace).toEqual([
      { name: 'kernel', percent: 50 },
      { name: 'JIT code', percent: 50 },
    ]);
    expect(main.javascript).toEqual([
      { name: 'seal libs/ledger/src/sealed-ledger-writer.js:144:15', percent: 100 },
      { name: 'signOneShot node:internal/crypto/sig:143:21', percent: 50 },
      { name: 'handle @nestjs/core/router/router-proxy.js:3:9', percent: 50 },
    ]);
    expect(main.native).toEqual([{ name: '_raw_spin_unlock_irqrestore', percent: 50 }]);
    expect(worker).toMatchObject({ tid: '102', samples: 1, byPlace: [{ name: 'SQLite (better-sqlite3)', percent: 100 }], native: [{ name: 'sqlite3VdbeExec', percent: 100 }] });
  });

  it('names the places a frame can be', () => {
    expect(placeOf('/tmp/perf-4242.map')).toBe('JIT code');
    expect(placeOf('[kernel.kallsyms]')).toBe('kernel');
    expect(placeOf('/usr/bin/node')).toBe('V8 and Node (builtins, runtime)');
    expect(placeOf('/usr/lib/x86_64-linux-gnu/libc.so.6')).toBe('libc');
    expect(placeOf('/usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.30')).toBe('libstdc++.so.6.0.30');
  });

  it('prints each thread under its label', () => {
    const lines = formatThreadCpu(summarisePerfScript(SCRIPT), ['request thread']);
    expect(lines[0]).toBe("request thread (tid 101): 2 samples, 66.7 % of the process's");
    expect(lines).toContain('  JavaScript, inclusive');
    expect(lines.some((line) => line.startsWith('thread 102 (tid 102)'))).toBe(true);
  });
});
