import { SendSchedule } from '../../../bench/http/open-loop';

describe('bench/http open-loop SendSchedule', () => {
  it('spaces rate × seconds sends evenly over the window', () => {
    const schedule = new SendSchedule(1000, 2);
    expect(schedule.total).toBe(2000);
    expect(schedule.scheduledNs(0)).toBe(0);
    expect(schedule.scheduledNs(1)).toBe(1_000_000);
    expect(schedule.scheduledNs(1999)).toBe(1_999_000_000);
    const odd = new SendSchedule(3000, 1);
    for (let i = 1; i < odd.total; i++) expect(odd.scheduledNs(i) - odd.scheduledNs(i - 1)).toBeGreaterThanOrEqual(333_333);
  });

  it('after a stall hands over every overdue send at once, keeping their scheduled times (no coordinated omission)', () => {
    const schedule = new SendSchedule(1000, 1);
    expect(schedule.takeDue(0)).toEqual([0]);
    expect(schedule.delayMs(0)).toBe(1);
    // Nothing is taken for 10.5 ms (a blocked event loop, a slow server): the next call owes 10 sends.
    const due = schedule.takeDue(10_500_000);
    expect(due).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(due.map((i) => schedule.scheduledNs(i) / 1e6)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(schedule.delayMs(10_500_000)).toBe(0.5);
    expect(schedule.takeDue(10_600_000)).toEqual([]);
  });

  it('ends after the last send', () => {
    const schedule = new SendSchedule(10, 1);
    expect(schedule.takeDue(5e9)).toHaveLength(10);
    expect(schedule.delayMs(5e9)).toBeUndefined();
    expect(schedule.takeDue(6e9)).toEqual([]);
  });
});
