/** One fixed-window counter hit: how many hits the window holds now and when it resets. */
export interface WindowCount {
  count: number;
  resetInMs: number;
}

/** Where rate-limit counters live: this process's memory, or Redis so several instances share them. */
export interface RateLimitStore {
  hit(key: string, windowMs: number): Promise<WindowCount>;
  close(): Promise<void>;
}
