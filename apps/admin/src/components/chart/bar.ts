import { BarChart } from 'echarts/charts';
import { GridComponent } from 'echarts/components';

/** Bar series and the cartesian grid they are drawn on. */
export default [BarChart, GridComponent];
