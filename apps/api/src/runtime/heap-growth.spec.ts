import { boundHeapGrowth } from './heap-growth';

describe('boundHeapGrowth', () => {
  it('leaves the heap to flags the operator started the process with', () => {
    expect(boundHeapGrowth(['--max-old-space-size=512'], '')).toBe(false);
    expect(boundHeapGrowth([], '--max_old_space_size=2048')).toBe(false);
    expect(boundHeapGrowth([], '--heap-growing-percent=20')).toBe(false);
  });

  it('sets the growing factor otherwise, whatever else the process was started with', () => {
    expect(boundHeapGrowth(['--enable-source-maps'], '--max-semi-space-size=16')).toBe(true);
  });
});
