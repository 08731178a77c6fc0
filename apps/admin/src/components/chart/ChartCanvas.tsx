import type { EChartsOption } from 'echarts';
import { LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import ReactEChartsCore from 'echarts-for-react/esm/core';
import { use } from 'react';

echarts.use([LegendComponent, TooltipComponent, CanvasRenderer]);

type Extensions = Parameters<typeof echarts.use>[0];

/** Each series type the SPA draws, in its own chunk with the coordinate system it needs. */
const SERIES_TYPES: Record<string, () => Promise<{ default: Extensions }>> = {
  bar: () => import('./bar'),
  line: () => import('./line'),
  pie: () => import('./pie'),
};

const registered = new Map<string, Promise<void>>();

/** Loads and registers the series types an option draws (each set once). */
function seriesTypesOf(option: EChartsOption): Promise<void> {
  const series = option.series === undefined ? [] : [option.series].flat();
  const types = [...new Set(series.map((s) => String(s.type)))].sort();
  const key = types.join(',');
  let ready = registered.get(key);
  if (!ready) {
    ready = Promise.all(
      types.map((type) => {
        const load = Object.hasOwn(SERIES_TYPES, type) ? SERIES_TYPES[type] : undefined;
        if (!load)
          return Promise.reject(
            new Error(`Chart: series type "${type}" has no module in components/chart (bar, line, pie)`),
          );
        return load().then((m) => echarts.use(m.default));
      }),
    ).then(() => undefined);
    registered.set(key, ready);
  }
  return ready;
}

/** The ECharts canvas; suspends until the option's series types are registered. */
export default function ChartCanvas({ option, height }: { option: EChartsOption; height: number }) {
  use(seriesTypesOf(option));
  return <ReactEChartsCore echarts={echarts} option={option} style={{ height }} notMerge lazyUpdate />;
}
