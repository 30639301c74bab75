export interface ChartSeries {
  name: string;
  color: string;
  points: { x: number; y: number }[];
}

const WIDTH = 900;
const HEIGHT = 440;
const LEFT = 80;
/** Room for the legend: the baseline's name is ~230 px wide at 12 px. */
const RIGHT = 340;
const TOP = 50;
const BOTTOM = 60;
/** y values are clamped to this floor so the log scale is defined. */
const Y_FLOOR = 0.1;

/**
 * A line chart of p99 latency (log y axis, ms) against offered load (linear x axis, req/s), one line
 * and one legend entry per series, as standalone SVG.
 */
export function latencyChartSvg(series: readonly ChartSeries[], title: string): string {
  const points = series.flatMap((s) => s.points);
  const xMax = niceCeiling(Math.max(1, ...points.map((p) => p.x)));
  const yLogs = points.map((p) => Math.log10(Math.max(Y_FLOOR, p.y)));
  const yLow = Math.floor(Math.min(0, ...yLogs));
  const yHigh = Math.max(yLow + 1, Math.ceil(Math.max(...yLogs, 1)));
  const plotWidth = WIDTH - LEFT - RIGHT;
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const px = (x: number) => LEFT + (x / xMax) * plotWidth;
  const py = (y: number) => TOP + plotHeight - ((Math.log10(Math.max(Y_FLOOR, y)) - yLow) / (yHigh - yLow)) * plotHeight;
  const f = (n: number) => n.toFixed(1);

  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="white"/>`,
    `<text x="${WIDTH / 2}" y="24" text-anchor="middle" font-size="15">${escapeXml(title)}</text>`,
  ];
  for (let e = yLow; e <= yHigh; e++) {
    const y = f(py(10 ** e));
    parts.push(`<line x1="${LEFT}" y1="${y}" x2="${LEFT + plotWidth}" y2="${y}" stroke="#ddd"/>`);
    parts.push(`<text x="${LEFT - 8}" y="${y}" text-anchor="end" dominant-baseline="middle">${escapeXml(formatMs(10 ** e))}</text>`);
  }
  for (let i = 0; i <= 5; i++) {
    const value = (xMax / 5) * i;
    const x = f(px(value));
    parts.push(`<line x1="${x}" y1="${TOP}" x2="${x}" y2="${TOP + plotHeight}" stroke="#eee"/>`);
    parts.push(`<text x="${x}" y="${TOP + plotHeight + 18}" text-anchor="middle">${Math.round(value).toLocaleString('en-US')}</text>`);
  }
  parts.push(`<rect x="${LEFT}" y="${TOP}" width="${plotWidth}" height="${plotHeight}" fill="none" stroke="#333"/>`);
  parts.push(`<text x="${LEFT + plotWidth / 2}" y="${HEIGHT - 16}" text-anchor="middle">offered load (requests/s, open loop)</text>`);
  parts.push(`<text transform="translate(22 ${TOP + plotHeight / 2}) rotate(-90)" text-anchor="middle">p99 latency (ms, log scale)</text>`);
  series.forEach((s, i) => {
    const sorted = [...s.points].sort((a, b) => a.x - b.x);
    const color = escapeXml(s.color);
    parts.push(`<polyline fill="none" stroke="${color}" stroke-width="2" points="${sorted.map((p) => `${f(px(p.x))},${f(py(p.y))}`).join(' ')}"/>`);
    for (const p of sorted) parts.push(`<circle cx="${f(px(p.x))}" cy="${f(py(p.y))}" r="3.5" fill="${color}"><title>${escapeXml(`${s.name}: ${p.x}/s → p99 ${p.y} ms`)}</title></circle>`);
    const ly = TOP + 20 + i * 22;
    parts.push(`<line x1="${LEFT + plotWidth + 16}" y1="${ly}" x2="${LEFT + plotWidth + 40}" y2="${ly}" stroke="${color}" stroke-width="2"/>`);
    parts.push(`<text x="${LEFT + plotWidth + 46}" y="${ly}" dominant-baseline="middle">${escapeXml(s.name)}</text>`);
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

function formatMs(ms: number): string {
  return ms >= 1000 ? `${ms / 1000} s` : `${ms} ms`;
}

/** The next of 1, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10^k at or above n (an axis end that wastes little width). */
function niceCeiling(n: number): number {
  const magnitude = 10 ** Math.floor(Math.log10(n));
  const step = [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10].find((m) => m * magnitude >= n) ?? 10;
  return step * magnitude;
}
