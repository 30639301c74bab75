import { runsOfFewShapes } from './statement-shapes';

describe('runsOfFewShapes', () => {
  it('splits into power-of-two runs, longest first, in order, none longer than the maximum', () => {
    const items = Array.from({ length: 437 }, (_, i) => i);
    const runs = [...runsOfFewShapes(items, 200)];
    expect(runs.map((run) => run.length)).toEqual([128, 128, 128, 32, 16, 4, 1]);
    expect(runs.flat()).toEqual(items);
  });

  it('takes every size from 0 to 600 with at most eight shapes when the maximum is 200', () => {
    const shapes = new Set<number>();
    for (let n = 0; n <= 600; n++) {
      const items = Array.from({ length: n }, (_, i) => i);
      const runs = [...runsOfFewShapes(items, 200)];
      expect(runs.flat()).toEqual(items);
      for (const run of runs) shapes.add(run.length);
    }
    expect([...shapes].sort((a, b) => a - b)).toEqual([1, 2, 4, 8, 16, 32, 64, 128]);
  });

  it('refuses a maximum below one', () => {
    expect(() => [...runsOfFewShapes([1], 0)]).toThrow(RangeError);
  });
});
