import type { TimeBuckets } from './time-buckets';

const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 800;
const HEIGHT = 160;
const AXIS = 18;

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attributes: Record<string, string | number>, text?: string): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  if (text !== undefined) element.textContent = text;
  return element;
}

const label = (ms: number, unit: 'hour' | 'day'): string => (unit === 'hour' ? new Date(ms).toISOString().slice(0, 13).replace('T', ' ') + 'h' : new Date(ms).toISOString().slice(0, 10));

/** A bar per bucket, drawn as SVG by hand (no chart library, nothing fetched); each bar has a tooltip. */
export function eventsChart(buckets: TimeBuckets): SVGSVGElement {
  const root = svg('svg', { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: 'img', 'aria-label': `Matching events per ${buckets.unit}`, preserveAspectRatio: 'none' });
  const max = Math.max(1, ...buckets.counts);
  const barWidth = WIDTH / Math.max(1, buckets.counts.length);
  buckets.counts.forEach((count, i) => {
    const height = ((HEIGHT - AXIS - 12) * count) / max;
    const bar = svg('rect', { class: 'bar', x: i * barWidth + 1, y: HEIGHT - AXIS - height, width: Math.max(1, barWidth - 2), height, 'data-count': count });
    bar.append(svg('title', {}, `${label(buckets.starts[i], buckets.unit)}: ${count} event${count === 1 ? '' : 's'}`));
    root.append(bar);
  });
  if (buckets.starts.length > 0) {
    root.append(svg('text', { x: 2, y: HEIGHT - 4 }, label(buckets.starts[0], buckets.unit)));
    root.append(svg('text', { x: WIDTH - 2, y: HEIGHT - 4, 'text-anchor': 'end' }, label(buckets.starts[buckets.starts.length - 1], buckets.unit)));
    root.append(svg('text', { x: 2, y: 10 }, `max ${max}`));
  }
  return root;
}
