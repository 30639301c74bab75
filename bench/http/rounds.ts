import { median } from './latency';
import { judgedP99, type Figures, type Scenario } from './report';

/**
 * One scenario run several times (`--rounds N`), each round both targets back to back. A p99 from one
 * 10 s run moves with the minute on a shared 2-core VM (creates at 1,000/s: 26–85 ms for the same code
 * within an hour), so a target is judged on the median round, and each round's ratio is taken within
 * the round, where the two targets met the same minute.
 */
export interface RoundPair {
  ledgerline: Figures;
  baseline: Figures;
}

/** Whether a run kept its judged p99 within a limit; a mix must keep its reads' p99 there too. */
export function withinP99Limit(scenario: Scenario, f: Figures, limitMs: number): boolean {
  const judged = judgedP99(scenario, f);
  return judged <= limitMs && (scenario.mix !== 'mixed' || scenario.lag === true || f.read.p99 <= limitMs);
}

const whole = (value: number) => Math.round(value).toLocaleString('en-US');
const ms = (value: number) => (value >= 100 ? whole(value) : String(Math.round(value * 10) / 10));
const times = (value: number) => `×${value.toFixed(2)}`;

/** "median (min–max)" of one figure over the rounds. */
function spread(values: readonly number[], format: (value: number) => string): string {
  return `${format(median(values))} (${format(Math.min(...values))}–${format(Math.max(...values))})`;
}

/**
 * The lines printed after a scenario's rounds: each target's median with its range, the ratios
 * within each round and their median, and, when a limit is given, in how many rounds the judged
 * p99 stayed within it (see withinP99Limit).
 */
export function formatRoundsSummary(scenario: Scenario, rounds: readonly RoundPair[], p99LimitMs?: number): string[] {
  if (rounds.length < 2) return [];
  const label = scenario.lag ? 'lag p99' : scenario.mix === 'mixed' ? 'create p99' : 'p99';
  const of = (pick: (pair: RoundPair) => number) => rounds.map(pick);
  const target = (name: 'ledgerline' | 'baseline') => {
    const reads = scenario.mix === 'mixed' ? `, read p99 ${spread(of((p) => p[name].read.p99), ms)} ms` : '';
    return `${name} ${spread(of((p) => p[name].achieved), whole)}/s, ${label} ${spread(of((p) => judgedP99(scenario, p[name])), ms)} ms${reads}, peak ${Math.max(...of((p) => p[name].peakRssMiB))} MiB`;
  };
  const achievedRatios = of((p) => p.ledgerline.achieved / p.baseline.achieved);
  const lines = [
    `${scenario.label}, median of ${rounds.length} rounds (min–max): ${target('ledgerline')} | ${target('baseline')}`,
    `  achieved ${times(median(achievedRatios))} (rounds ${achievedRatios.map(times).join(', ')})`,
  ];
  if (p99LimitMs !== undefined) {
    const within = rounds.filter((p) => withinP99Limit(scenario, p.ledgerline, p99LimitMs)).length;
    const what = scenario.mix === 'mixed' && !scenario.lag ? 'read and create p99' : label;
    lines.push(`  ledgerline's ${what} ≤ ${p99LimitMs} ms in ${within} of ${rounds.length} rounds`);
  }
  return lines;
}
