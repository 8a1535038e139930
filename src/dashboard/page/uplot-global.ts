// uPlot comes as a classic script (uPlot.iife.min.js, served from the package's own files)
// that defines a global; its types come from the package.
import type UPlot from 'uplot';

/** The uPlot constructor the page's <script> tag defines. */
export const Chart = (globalThis as unknown as { uPlot: typeof UPlot }).uPlot;
export type Chart = UPlot;
export type ChartOptions = UPlot.Options;
export type ChartSeries = UPlot.Series;
