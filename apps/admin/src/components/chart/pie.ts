import { PieChart } from 'echarts/charts';

/** Pie series (no coordinate system). */
export default [PieChart];
