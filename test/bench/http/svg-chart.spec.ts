import { latencyChartSvg } from '../../../bench/http/svg-chart';

/** Well-formedness as an XML parser sees it: balanced, properly nested tags, quoted attributes, only the five predefined entities. */
function xmlProblems(text: string): string[] {
  const problems: string[] = [];
  const open: string[] = [];
  const tag = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/y;
  let i = 0;
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    const chars = text.slice(i, lt === -1 ? text.length : lt);
    if (/&(?!(amp|lt|gt|quot|apos);)/.test(chars) || chars.includes('>')) problems.push(`bad character data: ${chars.slice(0, 40)}`);
    if (lt === -1) break;
    tag.lastIndex = lt;
    const match = tag.exec(text);
    if (!match) {
      problems.push(`malformed tag at ${lt}: ${text.slice(lt, lt + 40)}`);
      break;
    }
    const [, closing, name, attributes, selfClosing] = match;
    if (/&(?!(amp|lt|gt|quot|apos);)/.test(attributes)) problems.push(`bad attribute text in <${name}>`);
    if (closing) {
      if (open.pop() !== name) problems.push(`</${name}> closes nothing open`);
    } else if (!selfClosing) open.push(name);
    i = tag.lastIndex;
  }
  if (open.length > 0) problems.push(`unclosed: ${open.join(', ')}`);
  return problems;
}

describe('bench/http latency chart', () => {
  const svg = latencyChartSvg(
    [
      { name: 'Ledgerline <API> & co', color: '#c0392b', points: [500, 250, 1000, 2000].map((x) => ({ x, y: x / 10 })) },
      { name: 'baseline', color: '#2471a3', points: [{ x: 250, y: 0.8 }, { x: 500, y: 1.2 }, { x: 1000, y: 3 }] },
    ],
    'p99 vs load',
  );

  it('is one well-formed SVG document', () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(xmlProblems(svg)).toEqual([]);
    expect(xmlProblems('<svg><text>a < b</text></svg>')).not.toEqual([]);
  });

  it('draws one line and one legend entry per series, every point ordered by offered load', () => {
    const lines = [...svg.matchAll(/<polyline [^>]*stroke="([^"]+)"[^>]*points="([^"]+)"/g)];
    expect(lines.map((m) => m[1])).toEqual(['#c0392b', '#2471a3']);
    const xs = lines.map((m) => m[2].split(' ').map((p) => Number(p.split(',')[0])));
    expect(xs.map((x) => x.length)).toEqual([4, 3]);
    for (const x of xs) expect(x).toEqual([...x].sort((a, b) => a - b));
    expect(svg).toContain('>Ledgerline &lt;API&gt; &amp; co</text>');
    expect(svg).toContain('>baseline</text>');
  });

  it('puts higher latency higher up on a log axis', () => {
    const ys = [...svg.matchAll(/<polyline [^>]*points="([^"]+)"/g)][0][1].split(' ').map((p) => Number(p.split(',')[1]));
    // 25, 50, 100, 200 ms: equal steps on a log scale, going up (smaller y).
    const steps = ys.slice(1).map((y, i) => ys[i] - y);
    for (const step of steps) expect(step).toBeCloseTo(steps[0], 0);
    expect(steps[0]).toBeGreaterThan(0);
  });
});
