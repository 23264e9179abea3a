/** A small grouped bar chart in SVG: one group per key, one bar per series. */
export interface BarSeries {
  name: string;
  color: string;
  values: readonly number[];
}

export function BarChart(props: { title: string; labels: readonly string[]; series: readonly BarSeries[]; width?: number; height?: number }) {
  const width = props.width ?? 960;
  const height = props.height ?? 280;
  const pad = { left: 56, right: 16, top: 28, bottom: 40 };
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const max = Math.max(1, ...props.series.flatMap((s) => s.values));
  const step = niceStep(max);
  const top = Math.ceil(max / step) * step;
  const groupW = plotW / Math.max(1, props.labels.length);
  const barW = Math.max(2, Math.min(28, (groupW * 0.8) / Math.max(1, props.series.length)));
  const ticks = Array.from({ length: Math.round(top / step) + 1 }, (_, i) => i * step);
  const labelEvery = Math.ceil(props.labels.length / 24);
  return (
    <svg className="chart" viewBox={`0 0 ${width} ${height}`} role="img" aria-label={props.title}>
      <text x={pad.left} y={18} className="chart-title">
        {props.title}
      </text>
      {props.series.map((s, i) => (
        <g key={s.name} transform={`translate(${width - pad.right - 120 * (props.series.length - i)}, 8)`}>
          <rect width={12} height={12} fill={s.color} />
          <text x={18} y={11} className="chart-legend">
            {s.name}
          </text>
        </g>
      ))}
      {ticks.map((v) => {
        const y = pad.top + plotH - (v / top) * plotH;
        return (
          <g key={v}>
            <line x1={pad.left} x2={width - pad.right} y1={y} y2={y} className="chart-grid" />
            <text x={pad.left - 6} y={y + 4} textAnchor="end" className="chart-axis">
              {Number(v.toFixed(6))}
            </text>
          </g>
        );
      })}
      {props.labels.map((label, gi) => {
        const x0 = pad.left + gi * groupW + (groupW - barW * props.series.length) / 2;
        return (
          <g key={label}>
            {props.series.map((s, si) => {
              const v = s.values[gi] ?? 0;
              const h = (v / top) * plotH;
              return (
                <rect key={s.name} x={x0 + si * barW} y={pad.top + plotH - h} width={barW - 1} height={h} fill={s.color}>
                  <title>{`${label} ${s.name}: ${v}`}</title>
                </rect>
              );
            })}
            {gi % labelEvery === 0 && (
              <text x={pad.left + gi * groupW + groupW / 2} y={height - pad.bottom + 18} textAnchor="middle" className="chart-axis">
                {label}
              </text>
            )}
          </g>
        );
      })}
    </svg>
  );
}

function niceStep(max: number): number {
  const raw = max / 5;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / mag;
  return (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10) * mag;
}
