import { LineChart } from 'echarts/charts';
import { GridComponent } from 'echarts/components';

/** Line series and the cartesian grid they are drawn on. */
export default [LineChart, GridComponent];
