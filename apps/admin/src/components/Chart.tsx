import type { EChartsOption } from 'echarts';
import { lazy, Suspense } from 'react';

// ECharts (core, tooltip, legend, canvas) loads with a page's first chart, and each series type
// (bar, line, pie: components/chart) only when an option draws it; pages without charts carry none.
const ChartCanvas = lazy(() => import('./chart/ChartCanvas'));

/** An ECharts chart, sized by its container; its code loads on first use. */
export function Chart({
  option,
  height = 260,
  testId,
}: {
  option: EChartsOption;
  height?: number;
  testId?: string;
}) {
  return (
    <div data-testid={testId}>
      <Suspense fallback={<div style={{ height }} />}>
        <ChartCanvas option={option} height={height} />
      </Suspense>
    </div>
  );
}
