// A small, dependency-free SVG line chart: linear x, logarithmic y (latency spans orders of
// magnitude around a knee), one polyline with point markers per series, grid lines, legend.
// panels() puts several charts side by side in one SVG (each with its own x range).

export interface Series {
  name: string;
  color: string;
  dashed?: boolean;
  points: [x: number, y: number][];
}

export interface ChartSpec {
  title: string;
  subtitle?: string;
  xLabel: string;
  yLabel: string;
  series: Series[];
  width?: number;
  height?: number;
}

const esc = (s: string) => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

/** 1, 2, 5 × 10^k ticks covering [lo, hi]. */
function logTicks(lo: number, hi: number): number[] {
  const out: number[] = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
    for (const m of [1, 2, 5]) {
      const v = m * 10 ** e;
      if (v >= lo && v <= hi) out.push(v);
    }
  }
  return out;
}

function niceStep(range: number, count: number): number {
  const raw = range / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
}

function fmt(v: number): string {
  if (v >= 1000) return `${+(v / 1000).toFixed(1)}k`;
  if (v >= 1) return String(+v.toFixed(1));
  return String(+v.toPrecision(2));
}

export function lineChart(spec: ChartSpec): string {
  const W = spec.width ?? 860;
  const H = spec.height ?? 520;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="system-ui, sans-serif" font-size="12">\n${panel(spec)}\n</svg>\n`;
}

/** Charts side by side, each spec.width wide (default 860), under one title. */
export function panels(title: string, specs: ChartSpec[]): string {
  const widths = specs.map((s) => s.width ?? 860);
  const H = Math.max(...specs.map((s) => s.height ?? 520)) + 30;
  const W = widths.reduce((a, b) => a + b, 0);
  let x = 0;
  const groups = specs.map((s, i) => {
    const g = `<g transform="translate(${x} 30)">\n${panel(s)}\n</g>`;
    x += widths[i]!;
    return g;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="system-ui, sans-serif" font-size="12">
<rect width="${W}" height="${H}" fill="white"/>
<text x="20" y="22" font-size="18" font-weight="600">${esc(title)}</text>
${groups.join('\n')}
</svg>
`;
}

function panel(spec: ChartSpec): string {
  const W = spec.width ?? 860;
  const H = spec.height ?? 520;
  const m = { left: 70, right: 200, top: spec.subtitle ? 62 : 44, bottom: 56 };
  const pw = W - m.left - m.right;
  const ph = H - m.top - m.bottom;
  const pts = spec.series.flatMap((s) => s.points).filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y) && y > 0);
  const xMax = Math.max(1, ...pts.map(([x]) => x)) * 1.05;
  const yLo = 10 ** Math.floor(Math.log10(Math.min(...pts.map(([, y]) => y), 1)));
  const yHi = 10 ** Math.ceil(Math.log10(Math.max(...pts.map(([, y]) => y), 10)));
  const sx = (x: number) => m.left + (x / xMax) * pw;
  const sy = (y: number) => m.top + ph - ((Math.log10(y) - Math.log10(yLo)) / (Math.log10(yHi) - Math.log10(yLo))) * ph;

  const parts: string[] = [];
  parts.push(`<rect width="${W}" height="${H}" fill="white"/>`);
  parts.push(`<text x="${m.left}" y="24" font-size="16" font-weight="600">${esc(spec.title)}</text>`);
  if (spec.subtitle) parts.push(`<text x="${m.left}" y="44" fill="#555">${esc(spec.subtitle)}</text>`);

  for (const t of logTicks(yLo, yHi)) {
    const y = sy(t).toFixed(1);
    parts.push(`<line x1="${m.left}" x2="${m.left + pw}" y1="${y}" y2="${y}" stroke="#e4e4e4"/>`);
    parts.push(`<text x="${m.left - 8}" y="${y}" text-anchor="end" dominant-baseline="middle" fill="#444">${fmt(t)}</text>`);
  }
  const step = niceStep(xMax, 8);
  for (let t = 0; t <= xMax; t += step) {
    const x = sx(t).toFixed(1);
    parts.push(`<line x1="${x}" x2="${x}" y1="${m.top}" y2="${m.top + ph}" stroke="#f0f0f0"/>`);
    parts.push(`<text x="${x}" y="${m.top + ph + 18}" text-anchor="middle" fill="#444">${fmt(t)}</text>`);
  }
  parts.push(`<rect x="${m.left}" y="${m.top}" width="${pw}" height="${ph}" fill="none" stroke="#999"/>`);
  parts.push(`<text x="${m.left + pw / 2}" y="${H - 14}" text-anchor="middle">${esc(spec.xLabel)}</text>`);
  parts.push(`<text transform="translate(18 ${m.top + ph / 2}) rotate(-90)" text-anchor="middle">${esc(spec.yLabel)}</text>`);

  spec.series.forEach((s, i) => {
    const ok = s.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y) && y > 0);
    const d = ok.map(([x, y]) => `${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join(' ');
    parts.push(`<polyline points="${d}" fill="none" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`);
    for (const [x, y] of ok) parts.push(`<circle cx="${sx(x).toFixed(1)}" cy="${sy(y).toFixed(1)}" r="3" fill="${s.color}"><title>${esc(s.name)}: ${fmt(x)} req/s → ${y.toFixed(2)} ms</title></circle>`);
    const ly = m.top + 10 + i * 20;
    const lx = m.left + pw + 16;
    parts.push(`<line x1="${lx}" x2="${lx + 24}" y1="${ly}" y2="${ly}" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`);
    parts.push(`<text x="${lx + 30}" y="${ly}" dominant-baseline="middle">${esc(s.name)}</text>`);
  });
  return parts.join('\n');
}
