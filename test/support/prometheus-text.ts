/** Reading a Prometheus text exposition in specs: declared names, the sample lines of a series, its value. */

/** Names declared by `# HELP` (or `# TYPE`) lines, in order, duplicates kept. */
export function declaredNames(text: string, kind: 'HELP' | 'TYPE'): string[] {
  return [...text.matchAll(new RegExp(`^# ${kind} (\\S+) `, 'gm'))].map((match) => match[1]);
}

/** Sample lines of exactly this series (name and labels as written, no comments). */
export function samples(text: string, series: string): string[] {
  return text.split('\n').filter((line) => line.startsWith(`${series} `));
}

/** The value of the series' one sample, undefined when it has none; a series written twice is an error. */
export function sampleValue(text: string, series: string): number | undefined {
  const lines = samples(text, series);
  if (lines.length > 1) throw new Error(`${series} has ${lines.length} samples, not one`);
  return lines.length === 0 ? undefined : Number(lines[0].split(' ').pop());
}
