import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, XAxis, YAxis } from 'recharts';

// The dashboard's charts (recharts, loaded lazily with this module so the first bundle does not
// carry it). A chart is a picture of the table beside it: it is one image with a text alternative,
// and the numbers are read from the table.

/** One category: its value and, where there is one, a second value beside it (a norm, a percentile). */
export type ChartBar = { name: string; value: number | null; second?: number | null };

export default function KpiChart({
  bars,
  summary,
  valueLabel,
  secondLabel,
  percent = false,
  horizontal = false,
}: {
  bars: readonly ChartBar[];
  /** What the chart shows, in words (its text alternative). */
  summary: string;
  valueLabel: string;
  secondLabel?: string;
  percent?: boolean;
  horizontal?: boolean;
}) {
  const scale = (v: number | null | undefined) => (v === null || v === undefined ? null : percent ? Math.round(v * 1000) / 10 : v);
  const data = bars.map((b) => ({ name: b.name, value: scale(b.value), second: scale(b.second ?? null) }));
  const withSecond = secondLabel !== undefined && data.some((d) => d.second !== null);
  const height = horizontal ? Math.max(160, data.length * 28 + 60) : 240;
  return (
    <div className="kpi-chart" role="img" aria-label={summary}>
      <ResponsiveContainer width="100%" height={height}>
        <BarChart data={data} layout={horizontal ? 'vertical' : 'horizontal'} margin={{ top: 8, right: 16, bottom: 8, left: 8 }} accessibilityLayer={false}>
          <CartesianGrid stroke="#8a8a8a" strokeDasharray="2 4" />
          {horizontal ? (
            <>
              <XAxis type="number" stroke="#333" domain={percent ? [0, 100] : [0, 'auto']} />
              <YAxis type="category" dataKey="name" width={150} stroke="#333" tick={{ fontSize: 12 }} />
            </>
          ) : (
            <>
              <XAxis dataKey="name" stroke="#333" tick={{ fontSize: 12 }} interval={0} />
              <YAxis stroke="#333" domain={percent ? [0, 100] : [0, 'auto']} />
            </>
          )}
          <Legend />
          <Bar dataKey="value" name={valueLabel} fill="#1d4ed8" isAnimationActive={false} />
          {withSecond ? <Bar dataKey="second" name={secondLabel} fill="#b45309" isAnimationActive={false} /> : null}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
